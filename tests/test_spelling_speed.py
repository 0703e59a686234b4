"""A 100k-word book spell-checks in about a second once the dictionary is loaded.

The book is the corpus's English prose repeated to 100k words (a book repeats its vocabulary).
Limits are generous for a busy CI machine; ``python bench/spelling_eval.py`` prints the figures.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from marginalia_spelling import SpellingPlugin, SpellingSettings
from marginalia_spelling.ranking import Vocabulary

from lsp_server.documents import parse_document
from lsp_server.documents.model import Chunk
from lsp_server.plugin import CheckContext

WORDS = 100_000


def book(corpus: Path) -> list[Chunk]:
    chunks: list[Chunk] = []
    for path in sorted(corpus.rglob("*")):
        lid = {".tex": "latex", ".md": "markdown", ".qmd": "quarto"}.get(path.suffix)
        if lid and "fr-thesis-qeole" not in path.parts:
            chunks += parse_document(path.read_text(encoding="utf-8", errors="replace"), lid).chunks
    out: list[Chunk] = []
    count = 0
    while count < WORDS:
        for c in chunks:
            out.append(c)
            count += len(c.text.split())
            if count >= WORDS:
                break
    return out


@pytest.mark.slow
def test_book_checks_fast_without_suggestions(corpus_dir: Path) -> None:
    chunks = book(corpus_dir)
    plugin = SpellingPlugin()
    ctx = CheckContext(settings=SpellingSettings())
    assert plugin.dictionary_for(ctx) is not None  # loading (about a second) is not what is timed
    Vocabulary.for_language("en")
    # CPU time, not wall time: a shared CI machine must not make this test flaky.
    t0 = time.process_time()
    first = [f for c in chunks for f in plugin.check_chunk(c, ctx)]
    cold = time.process_time() - t0
    t0 = time.process_time()
    second = [f for c in chunks for f in plugin.check_chunk(c, ctx)]
    warm = time.process_time() - t0
    assert first == second and first
    # Every distinct word is looked up once: the cold pass pays spylls, the warm pass only tokenizes.
    assert cold < 5.0, f"cold pass {cold:.2f}s"
    assert warm < 1.5, f"warm pass {warm:.2f}s"
