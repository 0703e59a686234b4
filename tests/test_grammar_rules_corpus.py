"""Real manuscripts: no grammar finding ever covers markup (offline rules per document;
LanguageTool's mapping on the markup-heaviest ones, through the fake server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_location import covers_markup, manuscripts
from fakes.languagetool_server import FakeLanguageTool
from marginalia_grammar import LanguageToolPlugin
from marginalia_grammar.settings import LanguageToolSettings
from marginalia_grammar_rules import check_text

from lsp_server.documents import language_for_path, parse_document
from lsp_server.documents.model import ProseDocument
from lsp_server.plugin import CheckContext


def _parse(corpus_dir: Path, rel: str) -> ProseDocument:
    path = corpus_dir / rel
    return parse_document(path.read_text(encoding="utf-8", errors="replace"), language_for_path(path) or "plaintext", path.as_uri())


@pytest.mark.parametrize("rel", manuscripts())
def test_offline_rules_never_cover_markup(corpus_dir: Path, rel: str) -> None:
    doc = _parse(corpus_dir, rel)
    bad = []
    for chunk in doc.chunks:  # every chunk as English, whatever the document declares: the strictest case
        for f in check_text(chunk):
            if covers_markup(chunk, f) or not chunk.src_start <= f.start <= f.end <= chunk.src_end:
                bad.append((f.rule, doc.source[f.start : f.end]))
    assert not bad, f"{rel}: findings over markup: {bad[:5]}"


@pytest.mark.parametrize("rel", ["celerite-paper/paper/ms.tex", "rescience-pr18-maksimov/article/article.md", "quarto-paper-marwick/analysis/paper/paper.qmd"])
def test_languagetool_findings_never_cover_markup(corpus_dir: Path, rel: str) -> None:
    doc = _parse(corpus_dir, rel)
    plugin = LanguageToolPlugin()
    with FakeLanguageTool() as fake:
        ctx = CheckContext(settings=LanguageToolSettings(mode="remote", url=fake.url), core=None)
        found = [(c, f) for c in doc.chunks for f in plugin.check_chunk(c, ctx)]
        assert fake.check_requests == len(doc.chunks)
    bad = [(f.rule, doc.source[f.start : f.end]) for c, f in found if covers_markup(c, f)]
    assert not bad, f"{rel}: LanguageTool findings over markup: {bad[:5]}"
