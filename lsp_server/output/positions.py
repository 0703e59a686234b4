"""Offsets to the positions each output format wants.

Findings carry code-point offsets into the source.  Humans and the JSON format
read 1-based lines and code-point columns; SARIF counts UTF-16 code units by
default.  Line breaks are ``\\r\\n``, ``\\r`` or ``\\n`` (as in LSP), so a CRLF
file has the same line numbers as its LF twin while offsets still count both
characters.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a file.  ``line`` and ``column`` are 1-based; ``column`` counts code points."""

    line: int
    column: int
    offset: int
    # The same place counted in UTF-16 code units (SARIF's default column kind).
    utf16_column: int
    utf16_offset: int

    def as_json(self) -> dict[str, int]:
        return {"line": self.line, "column": self.column, "offset": self.offset}


class LineIndex:
    """Answers offset -> position questions for one source text in O(log n)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(source)]
        # Characters outside the BMP take two UTF-16 units; remember where they are.
        self._astral = [m.start() for m in _ASTRAL.finditer(source)]

    def _utf16(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)

    def position(self, offset: int) -> Position:
        offset = min(max(offset, 0), len(self.source))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        # Between the \r and \n of a CRLF the column is that of the line's end, as in the server.
        col_end = offset - 1 if _crlf_at(self.source, offset - 1) else offset
        return Position(
            line=line + 1,
            column=col_end - start + 1,
            offset=offset,
            utf16_column=self._utf16(col_end) - self._utf16(start) + 1,
            utf16_offset=self._utf16(offset),
        )


def _crlf_at(source: str, i: int) -> bool:
    return i >= 0 and source.startswith("\r\n", i)
