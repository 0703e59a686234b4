"""Inline Markdown constructs: what becomes prose, what becomes a placeholder, and where it maps."""

from __future__ import annotations

import pytest
from test_markdown_contract import parse

from lsp_server.documents import parse_document
from lsp_server.documents.markdown import parse_markdown
from lsp_server.documents.model import Chunk, PieceKind, ProseDocument


def only(doc: ProseDocument, role: str | None = None) -> Chunk:
    chunks = [c for c in doc.chunks if role is None or c.role == role]
    assert len(chunks) == 1, [c.text for c in doc.chunks]
    return chunks[0]


def placeholders(chunk: Chunk, src: str) -> list[tuple[str, str, str]]:
    return [
        (p.kind.value, chunk.text[p.prose_start : p.prose_end], src[p.src_start : p.src_end])
        for p in chunk.placeholders()
    ]


def source_of(doc: ProseDocument, chunk: Chunk, prose: str) -> str:
    """The source text a prose substring maps back to."""
    at = chunk.text.index(prose)
    s, e = chunk.to_source(at, at + len(prose))
    return doc.source[s:e]


def test_plain_paragraph_maps_every_character() -> None:
    src = "Hello world.\nSecond line here."
    doc = parse(src)
    chunk = only(doc)
    assert chunk.text == src
    assert chunk.role == "paragraph"
    assert chunk.to_source(6, 11) == (6, 11)


@pytest.mark.parametrize(
    ("src", "prose"),
    [
        ("A *b* c **d** e.", "A b c d e."),
        ("Keep snake_case_name and __init__ words.", "Keep snake_case_name and init words."),
        ("Strike ~~this~~ out.", "Strike this out."),
        ("Spaced 2 * 3 stays.", "Spaced 2 * 3 stays."),
        ("Escaped \\*stars\\* and \\_under\\_.", "Escaped *stars* and _under_."),
        ("Tilde \\~14 ka.", "Tilde ~14 ka."),
        ("Intra**word**emphasis ok.", "Intrawordemphasis ok."),
        ("Water H~2~O and 2^10^ bytes, ~ 5 and a^b.", "Water H2O and 210 bytes, ~ 5 and a^b."),
    ],
)
def test_emphasis_and_escapes(src: str, prose: str) -> None:
    assert only(parse(src)).text == prose


def test_escaped_character_maps_to_itself_not_to_the_backslash() -> None:
    doc = parse("Cost \\$5 today.")
    chunk = only(doc)
    assert chunk.text == "Cost $5 today."
    assert chunk.to_source(5, 7) == (6, 8)


def test_inline_code_is_a_code_placeholder() -> None:
    src = "Run `ls -l` then `r nrow(df)` rows, and ``a ` b`` too."
    doc = parse(src)
    chunk = only(doc)
    got = placeholders(chunk, src)
    assert [g[0] for g in got] == ["code", "code", "code"]
    assert [g[2] for g in got] == ["`ls -l`", "`r nrow(df)`", "``a ` b``"]
    assert chunk.text.startswith("Run Y then ")


def test_unclosed_backtick_is_literal() -> None:
    assert only(parse("An `unclosed tick here.")).text == "An `unclosed tick here."


@pytest.mark.parametrize(
    ("src", "maths"),
    [
        ("Let $x^2$ be.", ["$x^2$"]),
        ("Display $$\\int f\\,dx$$ inline.", ["$$\\int f\\,dx$$"]),
        ("It costs $5 and $10 today.", []),
        ("Not $ x$ math.", []),
        ("Not $x$5 either.", []),
        ("Lone $ sign.", []),
        ("Escaped \\$x$ is not math.", []),
    ],
)
def test_math_follows_pandoc_rules(src: str, maths: list[str]) -> None:
    chunk = only(parse(src))
    got = [s for kind, _, s in placeholders(chunk, src) if kind == "math"]
    assert got == maths


def test_math_placeholder_reads_like_the_formula() -> None:
    chunk = only(parse("an $x$ and a $y$"))
    assert chunk.text == "an X and a Y"


def test_spacing_only_math_reads_as_a_space() -> None:
    chunk = only(parse("See Fig.$\\,$@fig:one for details."))
    assert chunk.text == "See Fig. 1 for details."


def test_bracketed_citations_record_every_key() -> None:
    src = "As shown [@doe99; @roe02, p. 4] and [see @key, ch. 2] and [-@smith]."
    doc = parse(src)
    chunk = only(doc)
    assert chunk.text == "As shown [1] and [1] and [1]."
    assert all(p.kind is PieceKind.CITATION for p in chunk.placeholders())
    cites = doc.meta["citations"]
    assert isinstance(cites, list)
    assert [(k, src[s:e], b) for k, s, e, b in cites] == [
        ("doe99", "@doe99", True),
        ("roe02", "@roe02", True),
        ("key", "@key", True),
        ("smith", "@smith", True),
    ]


def test_textual_citation_with_locator() -> None:
    src = "@doe99 says so, and @roe02 [p. 33] agrees; @{odd key} too."
    doc = parse(src)
    chunk = only(doc)
    assert chunk.text == "Smith says so, and Smith agrees; Smith too."
    assert source_of(doc, chunk, "Smith agrees")[:-7] == "@roe02 [p. 33]"
    cites = doc.meta["citations"]
    assert isinstance(cites, list)
    assert [(k, b) for k, _, _, b in cites] == [("doe99", False), ("roe02", False), ("odd key", False)]


def test_citation_key_stops_before_trailing_punctuation() -> None:
    src = "Proved by @doe99."
    doc = parse(src)
    assert only(doc).text == "Proved by Smith."
    cites = doc.meta["citations"]
    assert isinstance(cites, list)
    assert cites[0][0] == "doe99"


def test_email_and_code_are_not_citations() -> None:
    src = "Write to jane.doe@example.org or run `git log @{u}` please."
    doc = parse(src)
    chunk = only(doc)
    assert doc.meta["citations"] == []
    kinds = [p.kind for p in chunk.placeholders()]
    assert kinds == [PieceKind.URL, PieceKind.CODE]
    assert source_of(doc, chunk, "URL") == "jane.doe@example.org"


def test_crossrefs_are_references_not_citations() -> None:
    src = "See @fig-map, @tbl:x and [@fig-a; @fig-b], also \\@ref(fig:z) and [@fig-c; @doe99]."
    doc = parse(src, "quarto")
    chunk = only(doc)
    assert chunk.text == "See 1, 1 and 1, also 1 and [1]."
    kinds = [p.kind for p in chunk.placeholders()]
    assert kinds == [PieceKind.REFERENCE] * 4 + [PieceKind.CITATION]
    xrefs = doc.meta["crossrefs"]
    cites = doc.meta["citations"]
    assert isinstance(xrefs, list) and isinstance(cites, list)
    assert [k for k, *_ in xrefs] == ["fig-map", "tbl:x", "fig-a", "fig-b", "fig:z", "fig-c"]
    assert [k for k, *_ in cites] == ["doe99"]


def test_links_keep_their_text_and_drop_the_target() -> None:
    src = 'A [good *link*](http://x.org "Title") and [ref link][r] and [short].\n\n[r]: http://example.org\n[short]: /x'
    doc = parse(src)
    chunk = only(doc)
    assert chunk.text == "A good link and ref link and short."
    assert source_of(doc, chunk, "good") == "good"
    assert doc.source.index("good") == chunk.to_source(2, 6)[0]


def test_unresolved_brackets_stay_literal() -> None:
    assert only(parse("Values [a; b] and [wilson2014] stay.")).text == "Values [a; b] and [wilson2014] stay."


@pytest.mark.parametrize(
    ("src", "url"),
    [
        ("Go to <https://a.b/c> now.", "<https://a.b/c>"),
        ("Go to https://example.com/a_b. Next.", "https://example.com/a_b"),
        ("Go to (https://en.wikipedia.org/wiki/Foo_(bar)) now.", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("Go to www.example.org! Now.", "www.example.org"),
        ("Mail <me@example.org> now.", "<me@example.org>"),
        ("Upper HTTPS://A.B/c. Next.", "HTTPS://A.B/c"),
    ],
)
def test_urls_are_url_placeholders(src: str, url: str) -> None:
    chunk = only(parse(src))
    got = placeholders(chunk, src)
    assert got == [("url", "URL", url)]


@pytest.mark.parametrize("src", ["A bare http:// scheme.", "The www. prefix.", "Not xhttp://a.b here."])
def test_url_lookalikes_stay_text(src: str) -> None:
    assert only(parse(src)).text == src


def test_image_alt_text_is_a_caption_chunk() -> None:
    src = "Before ![The *alt* text [@doe99]](fig.png){#fig:x width=50%} after."
    doc = parse(src)
    para = only(doc, "paragraph")
    caption = only(doc, "caption")
    assert para.text == "Before after."
    assert caption.text == "The alt text [1]"
    assert source_of(doc, caption, "alt") == "alt"


def test_html_inline_tags_drop_but_keep_text() -> None:
    src = 'A <span class="x">kept</span> word, a<br>b, <kbd>Ctrl</kbd>, <!-- gone --> end<sup>1</sup>.'
    chunk = only(parse(src))
    assert chunk.text == "A kept word, a b, Ctrl, end."


def test_html_code_tag_is_code() -> None:
    src = "Use <code>--flag &#124; x</code> here."
    chunk = only(parse(src))
    assert chunk.text == "Use Y here."
    assert placeholders(chunk, src)[0][0] == "code"


def test_entities_decode_as_replaced_pieces() -> None:
    src = "Salt &amp; pepper, caf&eacute;, caf&#233;, &bogus; stays."
    chunk = only(parse(src))
    assert chunk.text == "Salt & pepper, café, café, &bogus; stays."
    replaced = [
        (chunk.text[p.prose_start : p.prose_end], src[p.src_start : p.src_end])
        for p in chunk.pieces
        if p.kind is PieceKind.REPLACED
    ]
    assert replaced == [("&", "&amp;"), ("é", "&eacute;"), ("é", "&#233;")]


def test_footnotes_are_separate_chunks() -> None:
    src = "Main text[^1] and inline^[An *inline* note.] end.\n\n[^1]: The footnote text.\n"
    doc = parse(src)
    assert only(doc, "paragraph").text == "Main text and inline end."
    notes = [c.text for c in doc.chunks if c.role == "footnote"]
    assert notes == ["An inline note.", "The footnote text."]


def test_raw_latex_commands() -> None:
    src = "An \\emph{important} point \\cite{k1,k2} with \\hspace{1em} space and \\textcite{k3} says."
    doc = parse(src)
    chunk = only(doc)
    assert chunk.text == "An important point [1] with space and Smith says."
    cites = doc.meta["citations"]
    assert isinstance(cites, list)
    assert [(k, b) for k, _, _, b in cites] == [("k1", True), ("k2", True), ("k3", False)]


def test_attributes_and_liquid_tags_are_dropped() -> None:
    src = "A [span]{.smallcaps} and {{ site.name }} and {% raw %} end{: .note}."
    assert only(parse(src)).text == "A span and and end."


def test_hard_line_break_keeps_the_newline() -> None:
    # Backslash and trailing-space breaks are markup; the line break itself is prose.
    chunk = only(parse("One\\\ntwo  \nthree"))
    assert chunk.text == "One\ntwo\nthree"


def test_crlf_maps_exactly() -> None:
    src = "First line\r\nsecond *line*\r\n\r\nNext para.\r\n"
    doc = parse(src)
    assert [c.text for c in doc.chunks] == ["First line\nsecond line", "Next para."]
    first = doc.chunks[0]
    assert first.to_source(11, 17) == (12, 18)


def test_public_entry_point_and_dispatch() -> None:
    doc = parse_document("# Title\n\nText.", "quarto", "file:///a.qmd", 3)
    assert doc.language_id == "quarto"
    assert doc.version == 3
    assert [(c.role, c.text) for c in doc.chunks] == [("heading", "Title"), ("paragraph", "Text.")]
    assert parse_markdown("x", "u", None, flavor="bogus").language_id == "markdown"
