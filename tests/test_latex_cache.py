"""The per-URI block cache: a re-parse after an edit equals a parse from scratch."""

from __future__ import annotations

import functools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lsp_server.config import LatexSettings
from lsp_server.documents.latex import parse_latex
from lsp_server.documents.latex_cache import reused_blocks
from lsp_server.documents.model import ProseDocument

BOOK = (
    "\\documentclass{book}\n\\begin{document}\n"
    + "\n\n".join(
        f"Paragraph {i} has \\emph{{some}} words, an $x_{i}$ and a citation~\\cite{{k{i}}}.\\footnote{{Note {i}.}}"
        for i in range(60)
    )
    + "\n\n\\begin{itemize}\n\\item One.\n\n\\item Two.\n\\end{itemize}\n\\end{document}\n"
)


def _same(cached: ProseDocument, fresh: ProseDocument) -> None:
    assert cached.chunks == fresh.chunks
    assert cached.markup_notes == fresh.markup_notes
    assert cached.meta == fresh.meta


def _fresh(source: str, settings_: LatexSettings | None = None) -> ProseDocument:
    return parse_latex(source, "", None, settings_ or LatexSettings(), cache=False)


def test_one_character_edit_reuses_the_other_blocks() -> None:
    uri = "file:///cache/book.tex"
    parse_latex(BOOK, uri)
    edited = BOOK.replace("Paragraph 30 has", "Paragraph 30 hass")
    doc = parse_latex(edited, uri)
    _same(doc, _fresh(edited))
    assert reused_blocks(uri) >= 55
    assert "Paragraph 30 hass some words" in doc.prose


def test_edits_that_change_structure_match_a_fresh_parse() -> None:
    uri = "file:///cache/structure.tex"
    parse_latex(BOOK, uri)
    edits = [
        BOOK.replace("Paragraph 10 has", "Paragraph 10 \\emph{has"),  # unclosed brace
        BOOK.replace("words, an $x_20$", "words, an $x_20"),  # lone dollar
        BOOK.replace("\n\nParagraph 40", "\nParagraph 40"),  # two paragraphs merge
        BOOK.replace("Paragraph 5 ", "\\begin{quote}\nParagraph 5 "),  # unclosed environment
        BOOK.replace("Paragraph 7 has", "Paragraph 7 % has"),  # comment swallows the rest of a line
        BOOK.replace("\\end{itemize}", ""),
        BOOK,
    ]
    for edited in edits:
        _same(parse_latex(edited, uri), _fresh(edited))


def test_changed_settings_or_macros_invalidate_the_cache() -> None:
    uri = "file:///cache/settings.tex"
    parse_latex(BOOK, uri)
    ignore = LatexSettings(commands={"\\emph": "ignore"})
    doc = parse_latex(BOOK, uri, None, ignore)
    _same(doc, _fresh(BOOK, ignore))
    assert "some words" not in doc.prose
    with_macro = BOOK.replace("\\begin{document}", "\\newcommand{\\emph}[2]{#2}\n\\begin{document}")
    _same(parse_latex(with_macro, uri), _fresh(with_macro))


@functools.cache
def _sources(corpus: Path) -> tuple[str, ...]:
    names = [
        "celerite-paper/paper/ms.tex",
        "fr-thesis-qeole/src/Main/EdA/dos_attacks.tex",
        "good-enough-practices/good-enough-practices-for-scientific-computing.tex",
    ]
    return tuple((corpus / n).read_text(encoding="utf-8") for n in names)


_EDITS = st.sampled_from(
    ["x", "\n", "\n\n", "{", "}", "$", "%", "\\", "\\begin{itemize}", "\\end{figure}", "\\verb|", "\\emph{", " "]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_random_edits_of_real_files_match_a_fresh_parse(corpus_dir: Path, data: st.DataObject) -> None:
    source = data.draw(st.sampled_from(_sources(corpus_dir)))
    uri = f"file:///cache/random-{hash(source)}.tex"
    parse_latex(source, uri)
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(source)))
        if data.draw(st.booleans()):
            source = source[:at] + data.draw(_EDITS) + source[at:]
        else:
            source = source[:at] + source[at + data.draw(st.integers(1, 40)) :]
        _same(parse_latex(source, uri), _fresh(source))


def test_an_edit_and_its_undo_reuse_every_other_stretch_of_the_trace() -> None:
    uri = "file:///cache/trace.tex"
    before = parse_latex(BOOK, uri)
    edited = BOOK.replace("Paragraph 30 has", "Paragraph 30 hxas")
    after = parse_latex(edited, uri)
    _same(after, _fresh(edited))
    # Stretches before the edit are taken over as the very same objects, not rebuilt.
    assert all(a is b for a, b in zip(after.chunks[:60], before.chunks[:60], strict=True))
    assert reused_blocks(uri) >= 58
    undone = parse_latex(BOOK, uri)
    _same(undone, _fresh(BOOK))
    assert reused_blocks(uri) >= 58


def test_the_trace_never_reuses_a_stretch_that_depends_on_text_after_it() -> None:
    uri = "file:///cache/dirty.tex"
    broken = BOOK.replace("Paragraph 3 has \\emph{some}", "Paragraph 3 has \\emph{some")
    parse_latex(broken, uri)
    edits = [
        broken.replace("Paragraph 40 has", "Paragraph 40 hass"),  # after the unclosed brace
        broken.replace("Paragraph 2 has", "Paragraph 2 hass"),  # before it
        broken.replace("Paragraph 50 has", "Paragraph 50 } has"),  # a closing brace far below
        broken.replace("\\begin{document}\n", "\\begin{document}\n\\title{x}\n"),  # the body moves
        broken.replace("\\end{document}", "Tail.\n\\end{document}"),  # the body end moves
        broken.replace("\\documentclass{book}", "\\documentclass[a4paper]{book}"),  # the preamble only
        broken.replace("\n\nParagraph 20", "\n\n\n\nParagraph 20"),  # a longer blank line
        broken.replace("\n\nParagraph 21", " Paragraph 21"),  # a blank line disappears
        broken,
    ]
    for edited in edits:
        _same(parse_latex(edited, uri), _fresh(edited))
