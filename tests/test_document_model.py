"""The prose/offset map contract every parser and plugin relies on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lsp_server.documents.model import PieceKind, ProseBuilder
from lsp_server.documents.plaintext import parse_plaintext


def test_verbatim_text_maps_per_character() -> None:
    src = "Hello wrold, see 😀 here."
    b = ProseBuilder(src)
    b.text(0, len(src))
    doc = b.build("u", "plaintext")
    (chunk,) = doc.chunks
    start = chunk.text.index("wrold")
    s, e = chunk.to_source(start, start + 5)
    assert src[s:e] == "wrold"
    i = chunk.text.index("here")
    assert src[slice(*chunk.to_source(i, i + 4))] == "here"


def test_replaced_piece_is_atomic() -> None:
    src = r"caf\'e and $x^2$ ok"
    b = ProseBuilder(src)
    b.text(0, 3)
    b.replace("é", 3, 6)
    b.text(6, 11)
    b.placeholder(PieceKind.MATH, "X", 11, 16)
    b.text(16, len(src))
    (chunk,) = b.build("u", "latex").chunks
    assert chunk.text == "café and X ok"
    # A word containing the accent maps to the whole macro.
    assert src[slice(*chunk.to_source(0, 4))] == r"caf\'e"
    # A span covering the placeholder covers the whole formula, never half of it.
    x = chunk.text.index("X")
    assert src[slice(*chunk.to_source(x, x + 1))] == "$x^2$"
    assert src[slice(*chunk.to_source(x - 4, x + 1))] == "and $x^2$"
    assert [p.kind for p in chunk.placeholders()] == [PieceKind.MATH]


def test_chunks_break_on_blank_lines_and_keys_follow_content() -> None:
    doc = parse_plaintext("One para.\r\n\r\nTwo para.\n\n\nOne para.")
    assert [c.text for c in doc.chunks] == ["One para.", "Two para.", "One para."]
    assert doc.chunks[0].key == doc.chunks[2].key
    assert doc.chunks[0].key != doc.chunks[1].key
    assert doc.chunk_at(doc.source.index("Two")) is doc.chunks[1]


def test_bom_is_not_prose() -> None:
    doc = parse_plaintext("\ufeffText")
    assert doc.chunks[0].text == "Text"
    assert doc.chunks[0].src_start == 1


@given(st.text(alphabet=st.sampled_from(list("ab \n\r😀漢\u0301.")), max_size=200))
def test_plaintext_spans_are_exact(src: str) -> None:
    doc = parse_plaintext(src)
    for chunk in doc.chunks:
        for p in chunk.pieces:
            assert 0 <= p.src_start <= p.src_end <= len(src)
            if p.exact:
                assert src[p.src_start : p.src_end] == chunk.text[p.prose_start : p.prose_end]
        for i in range(len(chunk.text)):
            s, e = chunk.to_source(i, i + 1)
            if chunk.piece_at(i) is not None and chunk.piece_at(i).exact:  # type: ignore[union-attr]
                assert src[s:e] == chunk.text[i]


def test_chunk_at_finds_the_paragraph_around_a_nested_footnote() -> None:
    src = "Before note^[A footnote.] and after it."
    b = ProseBuilder(src)
    b.text(0, 11)
    b.text(25, len(src))
    b.end_chunk()
    b.set_role("footnote")
    b.text(13, 24)
    doc = b.build("u", "markdown")
    assert doc.chunk_at(src.index("footnote")).role == "footnote"  # type: ignore[union-attr]
    assert doc.chunk_at(src.index("after")).role == "paragraph"  # type: ignore[union-attr]
    assert doc.chunk_at(len(src) + 5) is None
