"""The grammar-rules plugin inside the engine: real parsers, languages, settings, the chunk cache."""

from __future__ import annotations

from pathlib import Path

from marginalia_grammar_rules import GrammarRulesPlugin
from marginalia_grammar_rules.text import _TOKEN, ChunkText, forget_readings

from lsp_server.documents.model import Chunk, PieceKind
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


def _reference_tokens(chunk: Chunk) -> list[tuple[object, ...]]:
    """Tokens the plain way: the piece around each token's start looked up on its own."""
    out: list[tuple[object, ...]] = []
    for m in _TOKEN.finditer(chunk.text):
        piece = chunk.piece_at(m.start())
        kind = piece.kind if piece is not None and piece.kind.is_placeholder else None
        if kind is not None and out and out[-1][3] is kind and out[-1][1] == m.start():
            continue
        out.append((m.start(), m.end(), m.group(), kind, m.group("w") is not None))
    return out


def test_tokens_walk_the_placeholders_like_a_lookup_per_token(corpus_dir: Path) -> None:
    path = corpus_dir / "celerite-paper/paper/ms.tex"
    doc = _engine().parse(path.read_text(encoding="utf-8"), "latex", path.as_uri())
    with_placeholders = [c for c in doc.chunks if any(p.kind.is_placeholder for p in c.pieces)]
    assert len(with_placeholders) > 20  # math, citations and macros: the walk is exercised
    for chunk in doc.chunks:
        assert [tuple(t) for t in ChunkText(chunk).tokens] == _reference_tokens(chunk)


def test_identical_chunks_share_one_reading_and_different_ones_do_not() -> None:
    forget_readings()
    engine = _engine()
    a = engine.parse("An $x$ and a word.\n\nAn $x$ and a word.\n\nAn x and a word.\n", "markdown")
    first, second, plain = (ChunkText(c) for c in a.chunks)
    assert first.chunk.src_start != second.chunk.src_start
    assert first.reading is second.reading  # same prose, same placeholders
    assert plain.reading is not first.reading  # "x" typed, not a formula
    assert [t.placeholder for t in first.tokens if t.text == "X"] == [PieceKind.MATH]
    assert all(t.placeholder is None for t in plain.tokens)
    # Again after the cache is emptied: the same tokens, rebuilt.
    forget_readings()
    assert ChunkText(a.chunks[0]).tokens == first.tokens and ChunkText(a.chunks[0]).reading is not first.reading
