"""Where the real-manuscript corpus lives: ../shared/corpus beside the checkout (CI has it there).

A module of its own rather than conftest, because tests/e2e has a conftest too and
``from conftest import …`` would pick whichever was imported first.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _corpus() -> Path | None:
    env = os.environ.get("MARGINALIA_CORPUS")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared" / "corpus", REPO / "shared" / "corpus"]:
        if cand.is_dir():
            return cand
    return None


CORPUS = _corpus()
