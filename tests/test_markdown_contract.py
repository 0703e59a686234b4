"""The offset-map contract of Markdown prose, shared by the Markdown parser tests.

Every chunk is trimmed and holds no blank line; pieces tile the prose in source
order, lie inside the source, and verbatim (TEXT) pieces equal their source text.
"""

from __future__ import annotations

import pytest

from lsp_server.documents.markdown import parse_markdown_unguarded
from lsp_server.documents.model import Chunk, Piece, PieceKind, ProseDocument


def assert_exact(doc: ProseDocument) -> None:
    src = doc.source
    starts = [c.src_start for c in doc.chunks]
    assert starts == sorted(starts), "chunks in source order"
    for chunk in doc.chunks:
        assert chunk.text and chunk.text.strip() == chunk.text, "chunks are trimmed and non-empty"
        assert "\n\n" not in chunk.text, "a chunk never holds a paragraph break"
        pos = 0
        prev_src = chunk.pieces[0].src_start
        for p in chunk.pieces:
            assert p.prose_start == pos, "pieces tile the prose"
            pos = p.prose_end
            assert 0 <= p.src_start <= p.src_end <= len(src), "pieces lie inside the source"
            assert p.src_start >= prev_src, "pieces follow source order"
            prev_src = max(prev_src, p.src_end)
            if p.kind is PieceKind.TEXT:
                assert chunk.text[p.prose_start : p.prose_end] == src[p.src_start : p.src_end]
        assert pos == len(chunk.text)


def parse(source: str, flavor: str = "markdown") -> ProseDocument:
    doc = parse_markdown_unguarded(source, "file:///t.md", 1, flavor)
    assert_exact(doc)
    return doc


def test_contract_rejects_a_text_piece_that_differs_from_its_source() -> None:
    doc = parse("Hello world.")
    chunk = doc.chunks[0]
    broken = Chunk("Hellp world.", chunk.pieces, chunk.src_start, chunk.src_end, chunk.key)
    with pytest.raises(AssertionError):
        assert_exact(ProseDocument(doc.uri, doc.source, doc.language_id, 1, (broken,)))


def test_contract_rejects_pieces_out_of_source_order() -> None:
    doc = parse("ab cd")
    pieces = (Piece(0, 2, 3, 5), Piece(2, 4, 0, 2))
    broken = Chunk("cdab", pieces, 0, 5, "k")
    with pytest.raises(AssertionError):
        assert_exact(ProseDocument(doc.uri, doc.source, doc.language_id, 1, (broken,)))
