"""Where the real-manuscript corpus lives (../shared/corpus beside the checkout, as in CI),
and helpers the per-plugin corpus tests share.

A module of its own rather than conftest, because tests/e2e has a conftest too and
``from conftest import …`` would pick whichever was imported first.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lsp_server.documents.model import Chunk
from lsp_server.plugin import Finding

REPO = Path(__file__).resolve().parent.parent


def _corpus() -> Path | None:
    env = os.environ.get("MARGINALIA_CORPUS")
    for cand in ([Path(env)] if env else []) + [REPO.parent / "shared" / "corpus", REPO / "shared" / "corpus"]:
        if cand.is_dir():
            return cand
    return None


CORPUS = _corpus()


def copy_from_corpus(corpus_dir: Path, folder: str, names: tuple[str, ...], workspace: Path) -> Path:
    """Copy ``names`` from ``corpus_dir/folder`` into ``workspace``; returns the workspace."""
    for name in names:
        shutil.copy(corpus_dir / folder / name, workspace / name)
    return workspace


MANUSCRIPT_SUFFIXES = {".tex", ".md", ".qmd", ".rmd"}


def manuscripts() -> list[str]:
    """Every manuscript of the corpus, relative to it (for test parameters)."""
    if CORPUS is None:
        return ["<corpus missing>"]
    return sorted(
        str(p.relative_to(CORPUS))
        for p in CORPUS.rglob("*")
        if p.suffix.lower() in MANUSCRIPT_SUFFIXES and "bib-messy" not in p.parts and p.is_file()
    )


def covers_markup(chunk: Chunk, f: Finding) -> bool:
    """Does the finding's source span reach outside the source of the chunk's prose pieces?"""
    prose_src = [(p.src_start, p.src_end) for p in chunk.pieces if not p.kind.is_placeholder]
    pos = f.start
    for s, e in prose_src:
        if s <= pos < e:
            pos = e
        if pos >= f.end:
            return False
    return pos < f.end
