"""Offsets -> the positions lint prints: code-point columns, UTF-16 columns, CRLF as one break."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lsp_server.output.positions import LineIndex
from lsp_server.positions import UTF16, UTF32
from lsp_server.positions import LineIndex as ServerIndex


def test_lines_and_columns_count_code_points_and_crlf_as_one_break() -> None:
    source = "😀 中文\r\nab 😀 teh\rcd\nend"
    index = LineIndex(source)
    at = source.index("teh")
    pos = index.position(at)
    assert (pos.line, pos.column, pos.offset) == (2, 6, at)
    # One emoji before it on its line: two UTF-16 units; two emoji before it in the file.
    assert (pos.utf16_column, pos.utf16_offset) == (7, at + 2)
    # A lone CR is a line break too (LSP's definition), and so is LF.
    assert index.position(source.index("cd")).line == 3
    assert index.position(source.index("end")).line == 4


def test_positions_at_line_ends_and_out_of_range_are_clamped() -> None:
    source = "ab\r\ncd"
    index = LineIndex(source)
    assert (index.position(2).line, index.position(2).column) == (1, 3)  # just before the CR
    assert (index.position(4).line, index.position(4).column) == (2, 1)
    assert index.position(-5).offset == 0
    end = index.position(99)
    assert (end.line, end.column, end.offset) == (2, 3, len(source))


def test_cjk_is_one_unit_in_both_encodings() -> None:
    index = LineIndex("中文字 x")
    pos = index.position(4)
    assert (pos.column, pos.utf16_column) == (5, 5)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\r", "\n", "😀", "中", "é", "\u2028"]), max_size=40), st.data())
def test_positions_agree_with_the_language_server(text: str, data: st.DataObject) -> None:
    """What lint prints is what the editor shows: same lines and columns as lsp_server.positions."""
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    ours = LineIndex(text).position(offset)
    utf16 = ServerIndex.build(text, UTF16).position_at(offset)
    utf32 = ServerIndex.build(text, UTF32).position_at(offset)
    assert (ours.line - 1, ours.utf16_column - 1) == (utf16.line, utf16.character)
    assert (ours.line - 1, ours.column - 1) == (utf32.line, utf32.character)
    assert ours.utf16_offset == len(text[:offset].encode("utf-16-le")) // 2
