"""The grammar-rules plugin inside the engine: real parsers, languages, settings, the chunk cache."""

from __future__ import annotations

from pathlib import Path

from marginalia_grammar_rules import GrammarRulesPlugin

from lsp_server.engine import Engine
from lsp_server.plugin import LoadedPlugins


def _engine(settings: dict[str, object] | None = None) -> Engine:
    return Engine(None, settings or {}, loaded=LoadedPlugins({"grammar-rules": GrammarRulesPlugin()}, {}))


def _spans(engine: Engine, source: str, language_id: str) -> list[tuple[str, str]]:
    doc = engine.parse(source, language_id)
    return [(f.rule.removeprefix("grammar-rules."), source[f.start : f.end]) for f in engine.check(doc).findings]


def test_latex_placeholders_are_read_aloud() -> None:
    src = r"""\documentclass{article}
\usepackage{siunitx}
\begin{document}
Take an $x$ and a $y$, then wait for an \SI{8}{\hour} period and a \SI{5}{\second} pause.
Take a $x$ and an $y$ and a \SI{8}{\hour} break.
\end{document}
"""
    found = _spans(_engine(), src, "latex")
    assert found == [("a-an", "a"), ("a-an", "an"), ("a-an", "a")]
    line = src.index("Take a $x$")
    starts = sorted(f.start for f in _engine().check(_engine().parse(src, "latex")).findings)
    assert all(s > line for s in starts)  # only the second sentence's articles


def test_markdown_code_and_citations_are_not_judged() -> None:
    src = "Set it in an [`.editorconfig` file](https://editorconfig.org/) as in a [@smith2020] study.\n\nThe the end.\n"
    assert _spans(_engine(), src, "markdown") == [("doubled-word", " the")]


def test_other_languages_are_left_alone() -> None:
    src = "Il a une stratégie. Nous nous sommes trompés.\n"
    assert _spans(_engine({"language": "fr"}), src, "plaintext") == []
    # A French paragraph in a document said to be English is recognised too.
    assert _spans(_engine({"language": "en-US"}), src, "plaintext") == []


def test_comma_after_ie_eg_is_a_setting() -> None:
    src = "Use a tool, e.g. make, to build it.\n"
    assert _spans(_engine(), src, "plaintext") == []
    assert _spans(_engine({"grammar-rules": {"comma_after_ie_eg": True}}), src, "plaintext") == [("ie-eg", "e.g.")]


def test_rules_are_disabled_by_id() -> None:
    src = "It was a apple and the the end.\n"
    assert [r for r, _ in _spans(_engine({"disabled_rules": ["grammar-rules.a-an"]}), src, "plaintext")] == ["doubled-word"]


def test_an_edit_rechecks_one_paragraph(tmp_path: Path) -> None:
    engine = _engine()
    paragraphs = [f"Paragraph {i} has a apple." for i in range(50)]
    first = engine.check(engine.parse("\n\n".join(paragraphs), "plaintext", version=1))
    assert first.checked_chunks["grammar-rules"] == 50 and len(first.findings) == 50
    paragraphs[10] = "Paragraph 10 has an apple."
    second = engine.check(engine.parse("\n\n".join(paragraphs), "plaintext", version=2))
    assert second.checked_chunks["grammar-rules"] == 1
    assert len(second.findings) == 49
