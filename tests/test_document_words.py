"""Words plugins vouch for in a document: the authors a bibliography names are not misspellings."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

import pytest
from marginalia_citations.bibfile import parse_bib_text
from marginalia_citations.name_words import name_words

from lsp_server.documents.model import Chunk, ProseDocument
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, Finding, LoadedPlugins, Plugin, Severity, discover
from lsp_server.word_sets import WordSets

BIB = r"""@article{rybicki95,
  author = {Rybicki, George B. and Foreman-Mackey, Daniel and {\v{S}}ubr, Jan and others},
  title = {A Fast Method},
  journal = {ApJ}, year = {1995}
}
@book{edited, editor = {de la Cruz, Ana and Ambikasaran, Sivaram}, title = {Methods}, publisher = {P}, year = {2016}}
@misc{corp, author = {{LIGO Scientific Collaboration}}, title = {Data}, year = {2020}}
"""
PAPER = (
    "\\documentclass{article}\n\\begin{document}\n"
    "As Rybicki and Ambikasaran showed, the Foreman-Mackey method and the method of Šubr work \\cite{rybicki95}. "
    "Rybickki disagreed.\n"
    "\\bibliography{refs}\n\\end{document}\n"
)


def test_name_words_takes_every_capitalised_word_of_authors_and_editors(tmp_path: Path) -> None:
    bib = parse_bib_text(BIB, str(tmp_path / "refs.bib"))
    words = name_words([bib])
    assert {"Rybicki", "George", "Foreman-Mackey", "Foreman", "Mackey", "Šubr", "Ambikasaran", "Ana", "Cruz", "LIGO"} <= words
    assert not {"others", "and", "de", "la", "B", "Fast", "Method", "ApJ"} & words  # lower case, initials, titles


def _engine(tmp_path: Path, *names: str) -> Engine:
    return Engine(tmp_path, loaded=discover(include=names))


def _misspelt(engine: Engine, doc: ProseDocument) -> list[str]:
    return [doc.source[f.start : f.end] for f in engine.check(doc).findings if f.rule == "spelling.misspelled"]


def test_authors_of_the_cited_bibliography_are_not_misspellings(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(PAPER, encoding="utf-8")
    uri = (tmp_path / "paper.tex").as_uri()
    alone = _engine(tmp_path, "spelling")
    assert {"Rybicki", "Ambikasaran", "Rybickki"} <= set(_misspelt(alone, alone.parse(PAPER, "latex", uri)))
    both = _engine(tmp_path, "spelling", "citations")
    try:
        doc = both.parse(PAPER, "latex", uri)
        assert _misspelt(both, doc) == ["Rybickki"]  # a slip of a cited name is still caught
        # The bibliography changes on disk: its names go, and the cached verdicts with them.
        (tmp_path / "refs.bib").write_text(BIB.replace("Ambikasaran", "Smith"), encoding="utf-8")
        st = (tmp_path / "refs.bib").stat()
        os.utime(tmp_path / "refs.bib", ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        # The same document object, as a server re-checks an unchanged buffer after a .bib is saved.
        assert both.parse(PAPER, "latex", uri) is doc
        assert _misspelt(both, doc) == ["Ambikasaran", "Rybickki"]
    finally:
        both.shutdown()
        alone.shutdown()


class _Vouching(Plugin):
    """Vouches for one word; may fail or stall, to show what that costs."""

    name = "vouching"

    def __init__(self, word: str, mode: str = "ok") -> None:
        self.word, self.mode, self.calls = word, mode, 0
        self.words = frozenset({word})
        self.release = threading.Event()

    def document_words(self, doc: ProseDocument, ctx: CheckContext) -> frozenset[str]:
        self.calls += 1
        if self.mode == "raise":
            raise RuntimeError("no words today")
        if self.mode == "hang":
            self.release.wait(30)
        return self.words


class _Unknown(Plugin):
    """Flags every capitalised word not in ``ctx.dictionary``; counts chunk checks."""

    name = "unknown"

    def __init__(self) -> None:
        self.calls = 0

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        self.calls += 1
        pos = 0
        for word in chunk.text.split():
            start = chunk.text.index(word, pos)
            pos = start + len(word)
            bare = word.strip(".,")
            if bare[:1].isupper() and bare not in ctx.dictionary:
                s, e = chunk.to_source(start, start + len(bare))
                yield Finding(s, e, "unknown.word", bare, Severity.INFO)


@pytest.mark.parametrize("mode", ["ok", "raise", "hang"])
def test_a_failing_or_slow_plugin_only_costs_its_words(tmp_path: Path, mode: str) -> None:
    vouching, unknown = _Vouching("Zyx", mode), _Unknown()
    engine = Engine(tmp_path, {"plugin_time_limit": 0.5}, loaded=LoadedPlugins({"vouching": vouching, "unknown": unknown}, {}))
    try:
        doc = engine.parse("Zyx met Qua.", "plaintext")
        flagged = [f.message for f in engine.check(doc).findings]
        assert flagged == (["Qua"] if mode == "ok" else ["Zyx", "Qua"])
    finally:
        vouching.release.set()
        engine.shutdown()


def test_unchanged_words_keep_the_chunk_cache(tmp_path: Path) -> None:
    vouching, unknown = _Vouching("Zyx"), _Unknown()
    engine = Engine(tmp_path, loaded=LoadedPlugins({"vouching": vouching, "unknown": unknown}, {}))
    try:
        first = engine.parse("Zyx met Qua.\n\nAnother paragraph.", "plaintext", "file:///a.txt", 1)
        engine.check(first)
        assert unknown.calls == 2
        engine.check(engine.parse("Zyx met Qua.\n\nAnother paragraph!", "plaintext", "file:///a.txt", 2))
        assert unknown.calls == 3  # only the edited paragraph
        vouching.words = frozenset({"Zyx", "Qua"})  # new words: every paragraph is judged again
        found = engine.check(engine.parse("Zyx met Qua.\n\nAnother paragraph!", "plaintext", "file:///a.txt", 3))
        assert unknown.calls == 5 and [f.message for f in found.findings] == ["Another"]
    finally:
        engine.shutdown()


def test_word_sets_are_memoised_by_identity() -> None:
    sets = WordSets()
    a, b = frozenset({"Rybicki", "Press"}), frozenset({"Knuth"})
    assert sets.digest(a) == sets.digest(frozenset({"Press", "Rybicki"}))
    assert sets.digest(a) != sets.digest(b)
    merged = sets.union(a, b)
    assert merged == a | b and sets.union(a, b) is merged
    assert sets.union(a, frozenset()) is a and sets.union() == frozenset()
