"""A chunk as LanguageTool annotated text, and LanguageTool offsets back to prose.

Prose (verbatim or decoded, like an accent) goes as ``{"text": ...}``; each
placeholder (math, citation, code, macro) goes as ``{"markup": tag,
"interpretAs": reading}``, so LanguageTool checks the reading and never the
markup.  A chunk carries no source text, so the markup is a short tag naming
the piece kind: LanguageTool only needs its length for offsets.  LanguageTool reports offsets in the
*original* text (text and markup concatenated); :class:`OffsetMap` turns those
into prose offsets, and ``Chunk.to_source`` does the rest, exactly.
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
    def __init__(self, segments: list[_Segment]) -> None:
        self._segments = segments
        self._starts = [s.orig_start for s in segments]

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
        start = self.to_prose(offset)
        end = self.to_prose(offset + length, end=True) if length > 0 else start
        return start, max(start, end)


def annotate(chunk: Chunk) -> tuple[dict[str, Any], OffsetMap]:
    """The ``data`` parameter for ``chunk`` and the map from LanguageTool offsets to prose offsets."""
    parts: list[dict[str, str]] = []
    segments: list[_Segment] = []
    orig = 0
    for p in chunk.pieces:
        prose = chunk.text[p.prose_start : p.prose_end]
        if not p.kind.is_placeholder:
            parts.append({"text": prose})
            segments.append(_Segment(orig, orig + len(prose), p.prose_start, p.prose_end, True))
            orig += len(prose)
        else:
            markup = f"<{p.kind.value}/>"
            parts.append({"markup": markup, "interpretAs": prose})
            segments.append(_Segment(orig, orig + len(markup), p.prose_start, p.prose_end, False))
            orig += len(markup)
    return {"annotation": parts}, OffsetMap(segments)
