"""Incremental Markdown parsing (markdown_cache): an edit re-parses a window, the result is a full parse's.

The property tests type random edits into real corpus papers, several in a row
per URI, and compare every document with a full parse of the same source:
chunks (text, pieces, offsets, roles, keys), markup notes, meta, declared
language.  The other tests check that a mid-paragraph edit in a long document
really re-parses a few blocks, and that the constructs that carry state
across blocks fall back to a full parse.
"""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache

import pytest
from corpus_location import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lsp_server.documents import parse_document
from lsp_server.documents.markdown import parse_markdown_unguarded
from lsp_server.documents.markdown_cache import forget, last_parse_stats, parse_markdown_cached
from lsp_server.documents.model import ProseDocument

PAPERS = (
    "rescience-pr18-maksimov/article/article.md",
    "rescience-pr24-rostami/article/VRostami_JIto_MDenker_SGruen_2016.md",
    "quarto-paper-marwick/analysis/paper/paper.qmd",
    "md-docs-prettier/docs/options.md",
    "md-docs-prettier/docs/rationale.md",
    "md-docs-prettier/docs/plugins.md",
    "good-enough-practices/index.md",
)
# What a writer (or a paste) puts into a buffer, including every construct that carries state across blocks.
INSERTS = [
    "x", "word ", " ", "\n", "\n\n", "\r\n", "```", "```{r}\n", "~~~", ":::", "::: {.callout-note}\n", "---", "---\n",
    "===", "[x]: http://a", "\n[x]: http://a\n", "[^1]: n", "[^1]", "# ", "## ", "> ", "- ", "1. ", "* ", "|",
    "| a | b |\n|---|---|\n", "    ", "\t", "$$", "$$\n", "\\begin{figure}\n", "\\end{figure}", "<!--", "-->",
    "<div>\n", "</div>", "{% raw %}", "{% endraw %}", "+---+---+\n", ": ", "Term\n: ", "#| fig-cap: \"C\"\n", "[@key]",
    "@fig-x", "`", "*", "\\", "title: T\n", "...",
]  # fmt: skip
MAX_DOC = 12_000  # characters of a paper the property test starts from: large enough for many blocks


def canonical(doc: ProseDocument) -> tuple[object, ...]:
    chunks = [(c.text, c.pieces, c.src_start, c.src_end, c.key, c.role) for c in doc.chunks]
    meta = {k: v for k, v in doc.meta.items() if not k.startswith("_")}
    return (doc.source, doc.language_id, chunks, doc.markup_notes, meta, doc.declared_language, doc.disabled_regions)


@cache
def paper(rel: str) -> str:
    if CORPUS is None:
        pytest.skip("corpus missing")
    return (CORPUS / rel).read_text(encoding="utf-8")


@st.composite
def documents(draw: st.DrawFn) -> str:
    text = paper(draw(st.sampled_from(PAPERS)))
    if len(text) <= MAX_DOC:
        return text
    # Keep the front matter half the time; otherwise start at a paragraph somewhere inside.
    if draw(st.booleans()):
        return text[:MAX_DOC]
    starts = [m.end() for m in re.finditer(r"\n\n", text[: len(text) - MAX_DOC // 2])]
    at = draw(st.sampled_from(starts)) if starts else 0
    return text[at : at + MAX_DOC]


@st.composite
def edit(draw: st.DrawFn, source: str) -> str:
    """One edit at a random place, biased to line starts and ends where block markup takes effect."""
    line_starts = [0, *(m.end() for m in re.finditer(r"\n", source))]
    where = draw(st.sampled_from(["anywhere", "line start", "line end"]))
    if where == "anywhere" or not source:
        pos = draw(st.integers(0, len(source)))
    else:
        pos = draw(st.sampled_from(line_starts))
        if where == "line end":
            nl = source.find("\n", pos)
            pos = nl if nl >= 0 else len(source)
    if draw(st.integers(0, 2)) == 0:
        return source[:pos] + source[pos + draw(st.integers(1, 40)) :]  # delete
    text = draw(st.one_of(st.sampled_from(INSERTS), st.text(alphabet="ab #>-*`:|[]^\n", min_size=1, max_size=5)))
    if draw(st.booleans()):
        # Replace: a typed selection.
        return source[:pos] + text + source[pos + draw(st.integers(1, 10)) :]
    return source[:pos] + text + source[pos:]


_uris = itertools.count()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents(), st.sampled_from(["markdown", "quarto", "rmarkdown"]), st.data())
def test_edits_give_the_full_parse(source: str, flavor: str, data: st.DataObject) -> None:
    uri = f"file:///prop{next(_uris)}.md"
    parse_markdown_cached(source, uri, 0, flavor)
    for version in range(1, data.draw(st.integers(1, 6)) + 1):
        source = data.draw(edit(source))
        doc = parse_markdown_cached(source, uri, version, flavor)
        stats = last_parse_stats(uri)
        assert canonical(doc) == canonical(parse_markdown_unguarded(source, uri, version, flavor)), stats
    forget(uri)


def _typing(source: str, rng_seed: int, n: int) -> list[str]:
    """``n`` versions of ``source``: one character typed, then undone, in random paragraphs."""
    import random

    rng = random.Random(rng_seed)
    words = [m.start() for m in re.finditer(r"(?<= )[a-z]{4,}", source)]
    versions = []
    for _ in range(n):
        at = rng.choice(words)
        versions.append(source[:at] + "q" + source[at:])
        versions.append(source)
    return versions


@lru_cache(maxsize=1)
def book() -> str:
    """A long document of the corpus papers, as bench/bench_markdown.py builds it."""
    bodies = [re.sub(r"\A---\n.*?\n---\n", "", paper(rel), flags=re.S) for rel in PAPERS]
    return "---\ntitle: Book\nbibliography: refs.bib\n---\n\n" + "\n\n".join(bodies * 4)


def test_typing_in_a_long_document_reparses_a_few_blocks() -> None:
    source = book()
    uri = "file:///book.md"
    full = parse_markdown_cached(source, uri, 0, "markdown")
    assert last_parse_stats(uri).mode == "full"
    windows = 0
    for version, text in enumerate(_typing(source, 7, 40), start=1):
        doc = parse_markdown_cached(text, uri, version, "markdown")
        stats = last_parse_stats(uri)
        if stats.mode == "window":
            windows += 1
            assert stats.blocks_walked <= 12, stats
            assert stats.window_chars < len(text) // 20, stats
        if version % 10 == 0:
            assert canonical(doc) == canonical(parse_markdown_unguarded(text, uri, version, "markdown"))
    # Typing a letter into a word of prose never needs a full parse, except near a reference definition.
    assert windows >= 70, windows
    # The last version undid the last edit: the document is the first one again.
    assert canonical(doc) == canonical(full)
    forget(uri)


def test_parse_document_uses_the_cache_for_a_uri() -> None:
    source = book()
    uri = "file:///via-parse-document.qmd"
    parse_document(source, "quarto", uri, 1)
    at = source.index("reproducib", len(source) // 2)
    edited = source[:at] + "x" + source[at:]
    doc = parse_document(edited, "quarto", uri, 2)
    assert last_parse_stats(uri).mode == "window"
    assert canonical(doc) == canonical(parse_markdown_unguarded(edited, uri, 2, "quarto"))
    forget(uri)


def _edit_and_compare(source: str, edited: str, flavor: str = "markdown") -> str:
    """Parse ``source`` then ``edited`` under one URI; check the second against a full parse; return its mode/reason."""
    uri = f"file:///case{next(_uris)}.md"
    parse_markdown_cached(source, uri, 0, flavor)
    doc = parse_markdown_cached(edited, uri, 1, flavor)
    stats = last_parse_stats(uri)
    assert canonical(doc) == canonical(parse_markdown_unguarded(edited, uri, 1, flavor)), stats
    forget(uri)
    return f"{stats.mode}: {stats.reason}"


PARAS = "".join(f"Paragraph {i} has some words in it and [@key{i}] too.\n\n" for i in range(40))


def test_a_mid_paragraph_edit_is_a_window() -> None:
    at = PARAS.index("Paragraph 20 has") + len("Paragraph 20 ")
    assert _edit_and_compare(PARAS, PARAS[:at] + "also " + PARAS[at:]).startswith("window")


def test_front_matter_edit_parses_in_full() -> None:
    source = "---\ntitle: A title\nlang: en\n---\n\n" + PARAS
    edited = source.replace("lang: en", "lang: de")
    assert _edit_and_compare(source, edited).startswith("full: edit in the front matter")


def test_front_matter_closed_later_parses_in_full() -> None:
    source = "---\ntitle: A title\n\n" + PARAS  # an opening fence that never closes
    at = source.index("Paragraph 30")
    assert _edit_and_compare(source, source[:at] + "---\n" + source[at:]).startswith("full")


def test_link_reference_definition_parses_in_full() -> None:
    source = PARAS + "A [link][x] here.\n"
    at = source.index("Paragraph 20")
    assert _edit_and_compare(source, source[:at] + "[x]: http://a\n\n" + source[at:]).startswith(
        "full: a link reference"
    )
    with_def = source[:at] + "[x]: http://a\n\n" + source[at:]
    at2 = with_def.index("[x]: http") + 1
    assert _edit_and_compare(with_def, with_def[:at2] + "y" + with_def[at2 + 1 :]).startswith("full: a link reference")


def test_opening_a_fence_parses_in_full() -> None:
    at = PARAS.index("Paragraph 20")
    assert _edit_and_compare(PARAS, PARAS[:at] + "```\n" + PARAS[at:]).startswith("full")
    at = PARAS.index("Paragraph 10")
    assert _edit_and_compare(PARAS, PARAS[:at] + "::: {.note}\n" + PARAS[at:]).startswith("full")


def test_closing_an_unclosed_raw_tex_environment_parses_in_full() -> None:
    source = "\\begin{figure}\nA figure.\n\n" + PARAS
    at = source.index("Paragraph 30")
    assert _edit_and_compare(source, source[:at] + "\\end{figure}\n" + source[at:]).startswith("full")


@pytest.mark.parametrize(
    ("before", "typed"),
    [
        ("Term\n\n", ": "),  # a definition list's next term
        ("- item\n\n", "  "),  # list continuation
        ("    code\n\n", "    "),  # indented code continuation
        ("Heading\n", "---"),  # setext heading
        ("| a | b |\n", "|---|---|"),  # table delimiter row
        ("[^1]: A note.\n\n", "    "),  # footnote continuation
        ("> quote\n", "> "),  # block quote lazy line
    ],
)
def test_neighbours_that_read_ahead(before: str, typed: str) -> None:
    source = PARAS.replace("Paragraph 20 ", before + "Paragraph 20 ")
    at = source.index("Paragraph 20")
    _edit_and_compare(source, source[:at] + typed + source[at:])
    at = source.index(before) + len(before) - 1
    _edit_and_compare(source, source[:at] + typed + source[at:])


def test_crlf_sources() -> None:
    source = PARAS.replace("\n", "\r\n")
    at = source.index("Paragraph 20")
    _edit_and_compare(source, source[:at] + "x" + source[at:])
    _edit_and_compare(source, source[: at - 1] + source[at:])  # "\r\n\r" + "P": the line break splits
    _edit_and_compare(source, source[: at - 2] + "\n" + source[at - 1 :])


def test_language_change_and_unchanged_source() -> None:
    uri = "file:///lang.md"
    parse_markdown_cached(PARAS, uri, 0, "markdown")
    parse_markdown_cached(PARAS, uri, 1, "quarto")
    assert last_parse_stats(uri).mode == "full"
    doc = parse_markdown_cached(PARAS, uri, 2, "quarto")
    assert last_parse_stats(uri).mode == "unchanged"
    assert doc.version == 2
    assert canonical(doc) == canonical(parse_markdown_unguarded(PARAS, uri, 2, "quarto"))
    forget(uri)


def test_a_thematic_break_on_the_first_line_is_no_front_matter() -> None:
    source = "---\n\n" + PARAS
    at = source.index("Paragraph 20")
    assert _edit_and_compare(source, source[:at] + "x" + source[at:]).startswith("window")
    # A closing line later changes nothing: the blank second line already decided.
    assert _edit_and_compare(source, source[:at] + "---\n" + source[at:]).startswith("window")
    assert _edit_and_compare(source, "---\ntitle: T\n" + source[4:]).startswith("full")


def test_removing_a_link_reference_definition_parses_in_full() -> None:
    with_def = PARAS + "[x]: http://a\n\nA shortcut [x] link here.\n"
    # Only the definition decides how the far paragraph reads: the test is about something real.
    far = [c.text for c in parse_markdown_unguarded(with_def, "u", 0, "markdown").chunks][-1]
    at = with_def.index("[x]: http")
    without = with_def[:at] + with_def[at + len("[x]: http://a\n\n") :]
    assert far != [c.text for c in parse_markdown_unguarded(without, "u", 0, "markdown").chunks][-1]
    assert _edit_and_compare(with_def, without).startswith("full: a link reference")


def test_typing_a_begin_whose_end_is_far_away_parses_in_full() -> None:
    source = PARAS.replace("Paragraph 30 ", "\\end{figure}\nParagraph 30 ")
    at = source.index("Paragraph 10")
    edited = source[:at] + "\\begin{figure}\n" + source[at:]
    assert len(parse_markdown_unguarded(edited, "u", 0, "markdown").chunks) < 30  # the figure swallows 20 paragraphs
    assert _edit_and_compare(source, edited).startswith("full")


def test_display_math_that_closes_beyond_the_window() -> None:
    # "$$" scans for its closing "$$" up to a blank line, across blocks that follow without one.
    source = PARAS.replace("[@key20] too.\n\n", "[@key20] too.\n# Heading\nText $$\n")
    at = source.index("Paragraph 20")
    edited = source[:at] + "$$ " + source[at:]
    # The math runs from "$$ Paragraph 20" over the heading to "Text $$".
    assert "Heading" not in {c.text for c in parse_markdown_unguarded(edited, "u", 0, "markdown").chunks}
    assert _edit_and_compare(source, edited) in {
        "window: ",
        "full: the window's blocks run into the block after the edit",
    }
