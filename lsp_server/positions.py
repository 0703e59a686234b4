"""Code points <-> LSP positions, in the position encoding negotiated with the client.

The core works in code points (Python string indices); LSP counts UTF-16 units
by default, or UTF-8 / UTF-32 when both sides agree.  Conversion happens only
here, at the boundary.

Lines follow the LSP definition: they end at ``\\r\\n``, ``\\n`` or ``\\r`` and at
nothing else.  ``str.splitlines`` (which pygls' ``TextDocument.lines`` uses) also
breaks at form feeds, ``\\x85``, ``\\u2028`` and friends, which editors do not, so
every position after such a character would be off by a line.

A :class:`LineIndex` is built once per document version (one regex pass) and
turns each offset into a position with a bisection plus a count over one line,
so converting thousands of findings costs milliseconds, not a pass over the
document per finding.  Out-of-range input is clamped, never an error.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, pairwise

from lsprotocol import types

from lsp_server.text_diff import note_edit

UTF8 = types.PositionEncodingKind.Utf8.value
UTF16 = types.PositionEncodingKind.Utf16.value
UTF32 = types.PositionEncodingKind.Utf32.value
SUPPORTED_ENCODINGS = (UTF8, UTF16, UTF32)

_EOL = re.compile(r"\r\n|\r|\n")


def normalize_encoding(encoding: str | types.PositionEncodingKind | None) -> str:
    """The encoding's wire name; anything unknown means the LSP default, UTF-16."""
    value = encoding.value if isinstance(encoding, types.PositionEncodingKind) else encoding
    return value if value in SUPPORTED_ENCODINGS else UTF16


def choose_encoding(offered: list[str | types.PositionEncodingKind] | None) -> str:
    """Pick the cheapest exact encoding among those the client offers.

    UTF-32 positions *are* code points, so they need no conversion at all;
    otherwise the client's own order decides, and UTF-16 (which every client
    must support) is the fallback.
    """
    names: list[str] = []
    for e in offered or ():
        value = e.value if isinstance(e, types.PositionEncodingKind) else str(e)
        if value in SUPPORTED_ENCODINGS:
            names.append(value)
    if UTF32 in names:
        return UTF32
    return names[0] if names else UTF16


def _char_units(char: str, encoding: str) -> int:
    cp = ord(char)
    if encoding == UTF16:
        return 2 if cp > 0xFFFF else 1
    if cp < 0x80:
        return 1
    if cp < 0x800:
        return 2
    return 3 if cp < 0x10000 else 4


def units(text: str, encoding: str) -> int:
    """Length of ``text`` in code units of ``encoding``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        # Lone surrogates are one unit each, which "surrogatepass" preserves.
        return len(text.encode("utf-16-le", "surrogatepass")) // 2
    return len(text.encode("utf-8", "surrogatepass"))


def code_points_within(line: str, character: int, encoding: str) -> int:
    """How many leading code points of ``line`` fit in ``character`` code units.

    A position inside a character (half a surrogate pair, the middle of a UTF-8
    sequence) rounds down to that character's start; past the end clamps.
    """
    if character <= 0:
        return 0
    if encoding == UTF32 or line.isascii():
        return min(character, len(line))
    used = 0
    for i, ch in enumerate(line):
        used += _char_units(ch, encoding)
        if used > character:
            return i
    return len(line)


@dataclass(frozen=True, slots=True)
class LineIndex:
    """Line starts of one immutable text, for position conversion in one encoding."""

    text: str
    starts: tuple[int, ...]
    encoding: str = UTF16

    @classmethod
    def build(cls, text: str, encoding: str = UTF16) -> LineIndex:
        if "\r" in text:
            starts: tuple[int, ...] = (0, *(m.end() for m in _EOL.finditer(text)))
        else:  # the common case, about three times faster than the regex on a book
            starts = tuple(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))[:-1]
        return cls(text, starts, normalize_encoding(encoding))

    def edited(self, start: int, end: int, replacement: str) -> LineIndex:
        """The index of this text with ``[start, end)`` replaced, without re-splitting all of it.

        Only the lines around the edit are scanned again; later line starts are
        shifted.  Scanning from the start of the line *before* the edit catches a
        ``\r`` there that the edit joins to a ``\n`` (or separates from one).
        """
        text, starts = self.text, self.starts
        start, end = min(max(start, 0), len(text)), min(max(end, 0), len(text))
        start, end = min(start, end), max(start, end)
        new_text = text[:start] + replacement + text[end:]
        note_edit(text, new_text, start, end)
        delta = len(new_text) - len(text)
        first = max(bisect_right(starts, start) - 2, 0)  # the line before the edit's
        last = bisect_right(starts, end) + 1  # the first line start two lines after the edit's end
        scan_from = starts[first]
        if last < len(starts):
            scan_to = starts[last] + delta  # a line start in the unchanged tail: it ends the scan exactly
            tail = [s + delta for s in starts[last + 1 :]]
        else:
            scan_to, tail = len(new_text), []
        middle = [m.end() for m in _EOL.finditer(new_text, scan_from, scan_to)]
        return LineIndex(new_text, (*starts[: first + 1], *middle, *tail), self.encoding)

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def content_end(self, line: int) -> int:
        """Offset just before ``line``'s terminator (or the end of the text)."""
        if line + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1]
        return end - 2 if self.text.startswith("\r\n", end - 2) else end - 1

    def line_text(self, line: int) -> str:
        """``line`` without its terminator ("" past the end)."""
        if not 0 <= line < len(self.starts):
            return ""
        return self.text[self.starts[line] : self.content_end(line)]

    def lines(self) -> tuple[str, ...]:
        """Every line *with* its terminator, like ``str.splitlines(True)`` but by LSP rules."""
        bounds = (*self.starts, len(self.text))
        out = tuple(self.text[a:b] for a, b in pairwise(bounds))
        # ``splitlines`` has no empty last line after a final newline; keep that shape.
        return out[:-1] if out and out[-1] == "" else out

    # -- client -> code points -------------------------------------------------
    def offset_at(self, line: int, character: int) -> int:
        """Code-point offset of an LSP position, clamped into the text."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start = self.starts[line]
        end = self.content_end(line)
        return start + code_points_within(self.text[start:end], character, self.encoding)

    def offset_of(self, position: types.Position) -> int:
        return self.offset_at(position.line, position.character)

    def offsets_of(self, range_: types.Range) -> tuple[int, int]:
        """A range as (start, end) offsets; a reversed range is put in order."""
        a, b = self.offset_of(range_.start), self.offset_of(range_.end)
        return (a, b) if a <= b else (b, a)

    # -- code points -> client -------------------------------------------------
    def position_at(self, offset: int) -> types.Position:
        """LSP position of a code-point offset, clamped into the text.

        An offset between ``\\r`` and ``\\n`` maps to the end of that line's content.
        """
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        col_end = min(offset, self.content_end(line))
        return types.Position(line=line, character=units(self.text[start:col_end], self.encoding))

    def line_col(self, offset: int) -> tuple[int, int]:
        """:meth:`position_at` as plain integers (no protocol object): for bulk conversion."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, units(self.text[start : min(offset, self.content_end(line))], self.encoding)

    def range_at(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position_at(start), end=self.position_at(max(start, end)))

    def end_position(self) -> types.Position:
        return self.position_at(len(self.text))
