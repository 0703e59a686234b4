"""A block's text with container prefixes removed, mapped back to the source.

markdown-it hands us a paragraph's text with ``>`` prefixes, list indentation
and line ends folded away.  Rather than trust that text, we rebuild it from the
*source*: each line's content is located inside its source line and copied, so
every content character is a source character at a known offset.  The inline
scanner then works on :class:`Content` and emits :class:`Op` runs in content
coordinates; :func:`emit_chunk` replays them into the ``ProseBuilder`` in source
coordinates.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lsp_server.documents.model import PieceKind, ProseBuilder

_LETTER = re.compile(r"[^\W\d_]")
# A zero-width replaced piece standing for dropped markup that separated words (``<br>``).
SPACE = "space"


class Content:
    """Concatenated source segments; ``text[i]`` is ``source[src(i)]``."""

    __slots__ = ("_cstarts", "_len", "_parts", "_sstarts", "_text")

    def __init__(self) -> None:
        self._cstarts: list[int] = []
        self._sstarts: list[int] = []
        self._parts: list[str] = []
        self._len = 0
        self._text: str | None = None

    def add(self, source: str, start: int, end: int) -> None:
        """Append ``source[start:end]``; contiguous spans share one segment."""
        if end <= start:
            return
        if self._cstarts and self._sstarts[-1] + (self._len - self._cstarts[-1]) == start:
            pass  # continues the last segment
        else:
            self._cstarts.append(self._len)
            self._sstarts.append(start)
        self._parts.append(source[start:end])
        self._len += end - start
        self._text = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._parts)
        return self._text

    def __len__(self) -> int:
        return self._len

    def src(self, c: int) -> int:
        """Source offset of content offset ``c`` (``len`` maps just past the last char)."""
        if not self._cstarts:
            return 0
        if c >= self._len:
            return self.src(self._len - 1) + 1 if self._len else self._sstarts[0]
        i = bisect.bisect_right(self._cstarts, max(c, 0)) - 1
        return self._sstarts[i] + (max(c, 0) - self._cstarts[i])

    def src_end(self, c_end: int, c_start: int) -> int:
        """Source offset just past content char ``c_end - 1`` (or of ``c_start`` if empty)."""
        if c_end <= c_start:
            return self.src(c_start)
        return self.src(c_end - 1) + 1

    def spans(self, cs: int, ce: int) -> Iterator[tuple[int, int]]:
        """Source spans covering content ``[cs, ce)``, split where segments break."""
        if ce <= cs or not self._cstarts:
            return
        i = bisect.bisect_right(self._cstarts, cs) - 1
        n = len(self._cstarts)
        while i < n and cs < ce:
            seg_end = self._cstarts[i + 1] if i + 1 < n else self._len
            stop = min(ce, seg_end)
            if stop > cs:
                s = self._sstarts[i] + (cs - self._cstarts[i])
                yield s, s + (stop - cs)
            cs = stop
            i += 1


@dataclass(slots=True)
class Op:
    """One run of prose in content coordinates; ``prose`` is None for verbatim text."""

    kind: PieceKind | str
    cs: int
    ce: int
    prose: str | None = None


@dataclass(slots=True)
class ChunkOps:
    """The prose of one chunk before it is trimmed and handed to the builder."""

    role: str
    content: Content
    ops: list[Op] = field(default_factory=list)

    def text(self, cs: int, ce: int) -> None:
        if ce > cs:
            last = self.ops[-1] if self.ops else None
            if last is not None and last.prose is None and last.kind is PieceKind.TEXT and last.ce == cs:
                last.ce = ce
            else:
                self.ops.append(Op(PieceKind.TEXT, cs, ce))

    def retract(self, cs: int, ce: int) -> bool:
        """Take back verbatim text ``[cs, ce)`` just emitted, if it is the tail of the last run."""
        last = self.ops[-1] if self.ops else None
        if last is None or last.prose is not None or last.ce != ce or last.cs > cs:
            return False
        if last.cs == cs:
            self.ops.pop()
        else:
            last.ce = cs
        return True

    def replace(self, kind: PieceKind, prose: str, cs: int, ce: int) -> None:
        self.ops.append(Op(kind, cs, ce, prose))

    def space(self, at: int) -> None:
        self.ops.append(Op(SPACE, at, at, " "))


def _op_text(op: Op, text: str) -> str:
    return text[op.cs : op.ce] if op.prose is None else op.prose


def emit_chunk(chunk: ChunkOps, builder: ProseBuilder) -> bool:
    """Trim, drop doubled whitespace left by removed markup, and feed the builder.

    Returns False (and emits nothing) when the chunk holds no real prose, e.g. a
    paragraph that is only display math or a table cell that is only code.
    """
    text = chunk.content.text
    ops: list[Op] = []
    prev_tail = ""  # last prose char emitted so far ("" at chunk start)
    prev_end = -1
    for op in chunk.ops:
        if op.kind == SPACE:
            if prev_tail and not prev_tail.isspace():
                ops.append(op)
                prev_tail = " "
            prev_end = op.ce
            continue
        if op.prose is None:
            cs = op.cs
            # Leading whitespace after dropped markup (or at chunk start) would double a space.
            if (not prev_tail or prev_tail.isspace()) and (prev_end != cs or not prev_tail):
                while cs < op.ce and text[cs].isspace():
                    cs += 1
            if cs >= op.ce:
                prev_end = op.ce
                continue
            op.cs = cs  # the ops are ours to trim: a chunk is emitted once
            ops.append(op)
            prev_tail = text[op.ce - 1]
            prev_end = op.ce
            continue
        ops.append(op)
        prev_tail = op.prose[-1:] or prev_tail
        prev_end = op.ce
    # Trailing whitespace and spaces are not prose.
    while ops:
        last = ops[-1]
        if last.kind == SPACE:
            ops.pop()
            continue
        if last.prose is None:
            ce = last.ce
            while ce > last.cs and text[ce - 1].isspace():
                ce -= 1
            if ce == last.cs:
                ops.pop()
                continue
            last.ce = ce
        break
    if not any(
        (op.kind is PieceKind.TEXT or op.kind is PieceKind.REPLACED) and _LETTER.search(_op_text(op, text))
        for op in ops
    ):
        return False
    content = chunk.content
    builder.set_role(chunk.role)
    for op in ops:
        if op.prose is None:
            for s, e in content.spans(op.cs, op.ce):
                builder.text(s, e)
        elif op.kind == SPACE:
            at = content.src(op.cs)
            builder.replace(" ", at, at)
        else:
            assert isinstance(op.kind, PieceKind)
            builder.replace(op.prose, content.src(op.cs), content.src_end(op.ce, op.cs), op.kind)
    builder.end_chunk()
    return True
