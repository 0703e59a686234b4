"""A chunk as LanguageTool annotated text, and LanguageTool offsets back to prose.

Prose (verbatim or decoded, like an accent) goes as ``{"text": ...}``; each
placeholder (math, citation, code, macro) goes as ``{"markup": tag,
"interpretAs": reading}``, so LanguageTool checks the reading and never the
markup.  A chunk carries no source text, so the markup is a short tag naming
the piece kind: LanguageTool only needs its length for offsets.  LanguageTool reports offsets in the
*original* text (text and markup concatenated); :class:`OffsetMap` turns those
into prose offsets, and ``Chunk.to_source`` does the rest, exactly.  LanguageTool
counts Java chars (UTF-16 units), so an emoji or a math letter such as 𝒙 before a
match shifts its offsets by one per character unless converted.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from lsp_server.documents.model import Chunk


@dataclass(frozen=True, slots=True)
class _Segment:
    orig_start: int
    orig_end: int
    prose_start: int
    prose_end: int
    exact: bool


class OffsetMap:
    def __init__(self, segments: list[_Segment], original: str = "") -> None:
        self._segments = segments
        self._starts = [s.orig_start for s in segments]
        # UTF-16 position of each code point of the original text, only when they differ.
        self._utf16: list[int] | None = None
        self.length = len(original.encode("utf-16-le")) // 2  # in LanguageTool's units
        if any(ord(c) > 0xFFFF for c in original):
            pos, table = 0, []
            for c in original:
                table.append(pos)
                pos += 2 if ord(c) > 0xFFFF else 1
            table.append(pos)
            self._utf16 = table

    def from_utf16(self, unit: int) -> int:
        """LanguageTool's offset (UTF-16 units) as a code-point offset into the original text."""
        if self._utf16 is None:
            return unit
        return max(0, bisect.bisect_right(self._utf16, unit) - 1)

    def to_prose(self, orig: int, *, end: bool = False) -> int:
        if not self._segments:
            return 0
        i = max(0, bisect.bisect_right(self._starts, orig) - 1)
        seg = self._segments[i]
        if end and orig == seg.orig_start and i > 0:
            seg = self._segments[i - 1]  # an end on a boundary belongs to the segment before
        if seg.exact:
            return seg.prose_start + min(max(orig - seg.orig_start, 0), seg.prose_end - seg.prose_start)
        if end:
            return seg.prose_end if orig > seg.orig_start else seg.prose_start
        return seg.prose_start if orig < seg.orig_end else seg.prose_end

    def span_to_prose(self, offset: int, length: int) -> tuple[int, int]:
        """LanguageTool's (offset, length), in UTF-16 units of the original text, as a prose span."""
        o_start, o_end = self.from_utf16(offset), self.from_utf16(offset + length)
        start = self.to_prose(o_start)
        end = self.to_prose(o_end, end=True) if o_end > o_start else start
        return start, max(start, end)


def annotate(chunk: Chunk) -> tuple[dict[str, Any], OffsetMap]:
    """The ``data`` parameter for ``chunk`` and the map from LanguageTool offsets to prose offsets."""
    parts: list[dict[str, str]] = []
    segments: list[_Segment] = []
    original: list[str] = []
    orig = 0
    for p in chunk.pieces:
        prose = chunk.text[p.prose_start : p.prose_end]
        if not p.kind.is_placeholder:
            parts.append({"text": prose})
            original.append(prose)
            segments.append(_Segment(orig, orig + len(prose), p.prose_start, p.prose_end, True))
            orig += len(prose)
        else:
            markup = f"<{p.kind.value}/>"
            parts.append({"markup": markup, "interpretAs": prose})
            original.append(markup)
            segments.append(_Segment(orig, orig + len(markup), p.prose_start, p.prose_end, False))
            orig += len(markup)
    return {"annotation": parts}, OffsetMap(segments, "".join(original))
