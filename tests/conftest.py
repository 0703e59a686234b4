"""Shared fixtures: where the real manuscripts live, and the repository root."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _corpus() -> Path | None:
    env = os.environ.get("MARGINALIA_CORPUS")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared" / "corpus", REPO / "shared" / "corpus"]:
        if cand.is_dir():
            return cand
    return None


CORPUS = _corpus()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus beside the checkout (CI always has it)."""
    if CORPUS is None:
        pytest.fail("the real-manuscript corpus ../shared/corpus is missing; set MARGINALIA_CORPUS")
    return CORPUS
