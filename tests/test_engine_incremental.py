"""Checking one version after another of a long LaTeX document: only the edit is re-checked,
and every result equals that of a fresh engine on the same text."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lsp_server.documents.latex_cache import reused_blocks
from lsp_server.documents.model import Chunk
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, Finding, LoadedPlugins, Plugin


class WordPlugin(Plugin):
    """Flags "teh" and counts the chunks it was shown."""

    name = "word"

    def __init__(self) -> None:
        self.calls = 0

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        self.calls += 1
        start = chunk.text.find("teh")
        while start >= 0:
            s, e = chunk.to_source(start, start + 3)
            yield Finding(s, e, "word.teh", "'teh' looks wrong", replacements=("the",))
            start = chunk.text.find("teh", start + 1)

BOOK = (
    "\\documentclass{book}\n\\begin{document}\n"
    + "\n\n".join(f"Paragraph {i} has teh word and \\emph{{teh}} again." for i in range(40))
    + "\n\\end{document}\n"
)
URI = "file:///incremental/book.tex"


def _engine(tmp_path: Path) -> tuple[Engine, WordPlugin]:
    plugin = WordPlugin()
    return Engine(tmp_path, {}, loaded=LoadedPlugins({"word": plugin}, {})), plugin


def _fresh_findings(tmp_path: Path, source: str) -> list[tuple[int, int, str]]:
    engine, _ = _engine(tmp_path)
    try:
        doc = engine.parse(source, "latex", "file:///incremental/fresh.tex", 1)
        return [(f.start, f.end, f.rule) for f in engine.check(doc).findings]
    finally:
        engine.shutdown()


def test_an_edit_rechecks_one_paragraph_and_matches_a_fresh_check(tmp_path: Path) -> None:
    engine, plugin = _engine(tmp_path)
    try:
        engine.check(engine.parse(BOOK, "latex", URI, 1))
        assert plugin.calls == 40
        versions = [
            BOOK.replace("Paragraph 20 has", "Paragraph 20 hxas"),
            BOOK.replace("Paragraph 20 has", "Paragraph 20\n\nhas"),  # one more line, one more paragraph
            BOOK.replace("Paragraph 3 has teh", "Paragraph 3 has"),  # a finding disappears
            BOOK,
        ]
        for version, source in enumerate(versions, start=2):
            calls = plugin.calls
            result = engine.check(engine.parse(source, "latex", URI, version))
            assert plugin.calls - calls <= 2  # the edited paragraph(s), never the book
            assert [(f.start, f.end, f.rule) for f in result.findings] == _fresh_findings(tmp_path, source)
    finally:
        engine.shutdown()


def test_forgetting_a_document_drops_its_parse_state(tmp_path: Path) -> None:
    engine, _ = _engine(tmp_path)
    try:
        engine.check(engine.parse(BOOK, "latex", URI, 1))
        engine.check(engine.parse(BOOK.replace("Paragraph 9", "Paragraph 99"), "latex", URI, 2))
        assert reused_blocks(URI) > 30
        engine.forget(URI)
        assert reused_blocks(URI) == 0
        result = engine.check(engine.parse(BOOK, "latex", URI, 3))
        assert len(result.findings) == 80  # the chunk cache still answers, and correctly
    finally:
        engine.shutdown()


def test_forgetting_a_markdown_document_drops_its_parse_state(tmp_path: Path) -> None:
    from lsp_server.documents import markdown_cache

    engine, _ = _engine(tmp_path)
    uri = "file:///book.md"
    try:
        engine.parse("# Title\n\nFirst paragraph.\n\nSecond paragraph.\n", "markdown", uri, 1)
        assert markdown_cache._STATES.get(uri) is not None
        engine.forget(uri)
        assert markdown_cache._STATES.get(uri) is None
    finally:
        engine.shutdown()
