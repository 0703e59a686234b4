"""Code points <-> LSP positions, and incremental edits against a reference buffer.

The oracle below is deliberately naive (encode the line prefix, count units),
so it shares no code with :mod:`lsp_server.positions`.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

from lsp_server.positions import UTF8, UTF16, UTF32, LineIndex, choose_encoding, code_points_within, units
from lsp_server.text_document import LspTextDocument

PIECES = [
    "a",
    "b",
    "TODO",
    " ",
    "\n",
    "\r\n",
    "\r",
    "😀",
    "👩‍🔬",
    "漢",
    "字",
    "e\u0301",
    "é",
    "∑",
    "\u2028",
    "\x0c",
    "\t",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
ENCODINGS = [UTF8, UTF16, UTF32]
_EOL = re.compile(r"\r\n|\r|\n")
_WIDTH = {UTF8: 1, UTF16: 2, UTF32: 4}
_CODEC = {UTF8: "utf-8", UTF16: "utf-16-le", UTF32: "utf-32-le"}


def oracle_position(text: str, offset: int, encoding: str) -> types.Position:
    prefix = text[:offset]
    breaks = list(_EOL.finditer(prefix))
    line_start = breaks[-1].end() if breaks else 0
    col = prefix[line_start:]
    return types.Position(line=len(breaks), character=len(col.encode(_CODEC[encoding])) // _WIDTH[encoding])


def lsp_boundary(text: str, offset: int) -> int:
    """LSP cannot address the point between \\r and \\n; step back to before the \\r."""
    return offset - 1 if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n" else offset


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


# --------------------------------------------------------------------------- unit tests


def test_units_per_encoding() -> None:
    s = 'x="😋"'
    assert (units(s, UTF8), units(s, UTF16), units(s, UTF32)) == (8, 6, 5)


def test_position_inside_a_surrogate_pair_rounds_down() -> None:
    assert code_points_within("😀b", 1, UTF16) == 0
    assert code_points_within("😀b", 2, UTF16) == 1
    assert code_points_within("éb", 1, UTF8) == 0


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_out_of_range_positions_are_clamped(encoding: str) -> None:
    idx = LineIndex.build("ab\r\ncd", encoding)
    assert idx.offset_at(0, 99) == 2  # end of line content, before the CRLF
    assert idx.offset_at(7, 0) == 6  # past the last line: end of text
    assert idx.offset_at(-1, 5) == 0
    assert idx.position_at(-3) == pos(0, 0)
    assert idx.position_at(99) == pos(1, 2)
    assert idx.position_at(3) == pos(0, 2)  # between \r and \n: end of the line's content


def test_only_lsp_line_breaks_split_lines() -> None:
    idx = LineIndex.build("a\u2028b\x0cc\rd\ne", UTF16)
    assert idx.line_count == 3
    assert idx.line_text(0) == "a\u2028b\x0cc"
    assert idx.position_at(idx.text.index("e")) == pos(2, 0)


def test_encoding_choice_prefers_utf32_then_client_order() -> None:
    assert choose_encoding(["utf-8", "utf-16", "utf-32"]) == UTF32
    assert choose_encoding(["utf-8", "utf-16"]) == UTF8
    assert choose_encoding(["latin-1"]) == UTF16
    assert choose_encoding(None) == UTF16


@settings(max_examples=300, deadline=None)
@given(text=texts, data=st.data(), encoding=st.sampled_from(ENCODINGS))
def test_positions_match_the_oracle_both_ways(text: str, data: st.DataObject, encoding: str) -> None:
    idx = LineIndex.build(text, encoding)
    offset = lsp_boundary(text, data.draw(st.integers(0, len(text))))
    expected = oracle_position(text, offset, encoding)
    assert idx.position_at(offset) == expected
    assert idx.offset_of(expected) == offset


@settings(max_examples=200, deadline=None)
@given(
    text=texts.filter(lambda t: "\u2028" not in t and "\x0c" not in t),
    data=st.data(),
    encoding=st.sampled_from(ENCODINGS),
)
def test_agrees_with_pygls_codec_where_pygls_splits_lines_like_lsp(
    text: str, data: st.DataObject, encoding: str
) -> None:
    """pygls' codec is the reference implementation for ordinary text."""
    idx = LineIndex.build(text, encoding)
    offset = lsp_boundary(text, data.draw(st.integers(0, len(text))))
    mine = idx.position_at(offset)
    lines = text.splitlines(True)
    col = offset - idx.starts[mine.line]
    theirs = PositionCodec(types.PositionEncodingKind(encoding)).position_to_client_units(
        lines, ServerTextPosition(mine.line, col)
    )
    if lines and mine.line < len(lines):
        assert theirs == mine


@pytest.mark.parametrize(
    ("text", "start", "end", "replacement"),
    [
        ("a\rb", 2, 2, "\n"),  # an inserted \n joins the \r before it
        ("a\r\nb", 2, 3, ""),  # deleting the \n leaves a lone \r
        ("a\r\nb", 1, 2, ""),  # deleting the \r leaves a lone \n
        ("a\n\nb\nc", 1, 1, "x\ny"),
    ],
)
def test_edits_at_line_breaks_keep_the_index_exact(text: str, start: int, end: int, replacement: str) -> None:
    assert LineIndex.build(text).edited(start, end, replacement) == LineIndex.build(
        text[:start] + replacement + text[end:]
    )


@given(
    text=st.text(alphabet="ab\r\n\x85", max_size=30),
    replacement=st.text(alphabet="ab\r\n", max_size=6),
    data=st.data(),
)
def test_an_edited_index_equals_one_built_from_scratch(text: str, replacement: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(-2, len(text) + 2))
    end = data.draw(st.integers(-2, len(text) + 2))
    a, b = sorted((min(max(start, 0), len(text)), min(max(end, 0), len(text))))
    edited = LineIndex.build(text).edited(start, end, replacement)
    assert edited == LineIndex.build(text[:a] + replacement + text[b:])


# --------------------------------------------------------------------------- stateful: edits vs a reference


class IncrementalEdits(RuleBasedStateMachine):
    """Random incremental changes applied to the server's document and to a plain string."""

    @initialize(text=texts, encoding=st.sampled_from(ENCODINGS))
    def open(self, text: str, encoding: str) -> None:
        self.encoding = encoding
        self.reference = text
        codec = PositionCodec(types.PositionEncodingKind(encoding))
        self.doc = LspTextDocument("file:///t.txt", source=text, version=1, position_codec=codec)

    def _apply(self, a: types.Position, b: types.Position, new: str) -> None:
        self.doc.apply_change(types.TextDocumentContentChangePartial(range=types.Range(start=a, end=b), text=new))

    @rule(data=st.data(), new=texts)
    def replace(self, data: st.DataObject, new: str) -> None:
        n = len(self.reference)
        s = lsp_boundary(self.reference, data.draw(st.integers(0, n)))
        e = lsp_boundary(self.reference, data.draw(st.integers(s, n)))
        self._apply(
            oracle_position(self.reference, s, self.encoding), oracle_position(self.reference, e, self.encoding), new
        )
        self.reference = self.reference[:s] + new + self.reference[e:]

    @precondition(lambda self: self.reference)
    @rule(line=st.integers(0, 50), character=st.integers(0, 500), new=texts)
    def insert_anywhere_even_out_of_range(self, line: int, character: int, new: str) -> None:
        idx = LineIndex.build(self.reference, self.encoding)
        if line >= idx.line_count:
            at = len(self.reference)
        else:
            content = idx.line_text(line)
            at = idx.starts[line] + code_points_within(content, character, self.encoding)
        self._apply(pos(line, character), pos(line, character), new)
        self.reference = self.reference[:at] + new + self.reference[at:]

    @rule()
    def replace_everything(self) -> None:
        self.doc.apply_change(types.TextDocumentContentChangeWholeDocument(text=self.reference + "x"))
        self.reference += "x"

    @invariant()
    def same_text(self) -> None:
        assert self.doc.source == self.reference

    @invariant()
    def incremental_index_equals_a_fresh_one(self) -> None:
        assert self.doc.index == LineIndex.build(self.reference, self.encoding)

    @invariant()
    def positions_round_trip(self) -> None:
        for offset in {0, len(self.reference) // 2, len(self.reference)}:
            offset = lsp_boundary(self.reference, offset)
            p = self.doc.client_position_at_offset(offset)
            assert p == oracle_position(self.reference, offset, self.encoding)
            assert self.doc.offset_at_position(p) == offset


IncrementalEdits.TestCase.settings = settings(max_examples=150, stateful_step_count=25, deadline=None)
TestIncrementalEdits = IncrementalEdits.TestCase
