"""A chunk under construction: the LaTeX parser's cheaper, local cousin of ProseBuilder.

Pieces are kept as small lists while a chunk grows (adjacent verbatim runs
merge in place) and frozen into :class:`Piece` objects once, when the chunk
ends.
"""

from __future__ import annotations

from typing import Any

from lsp_server.documents.model import Chunk, Piece, PieceKind, chunk_key

TEXT = PieceKind.TEXT
REPLACED = PieceKind.REPLACED

_new = object.__new__
_set_prose_start, _set_prose_end, _set_src_start, _set_src_end, _set_kind = (
    vars(Piece)[name].__set__ for name in ("prose_start", "prose_end", "src_start", "src_end", "kind")
)


def make_piece(prose_start: int, prose_end: int, src_start: int, src_end: int, kind: PieceKind) -> Piece:
    """``Piece(...)`` at half the cost: a frozen dataclass's ``__init__`` goes through
    ``object.__setattr__`` per field, and a book re-parse builds tens of thousands of pieces.
    The slot descriptors set the same fields; ``Piece`` stays immutable for everyone else."""
    piece: Piece = _new(Piece)
    _set_prose_start(piece, prose_start)
    _set_prose_end(piece, prose_end)
    _set_src_start(piece, src_start)
    _set_src_end(piece, src_end)
    _set_kind(piece, kind)
    return piece


class ChunkWriter:
    """One chunk under construction (a cheaper, local cousin of ProseBuilder).

    Runs of spaces are folded so the prose never holds two spaces in a row or a
    leading space: dropped markup such as ``word \\label{x} next`` reads
    ``word next``.  A space standing for markup (``~``, ``\\,``, a line break
    replaced) is only written when more prose follows, and not before ``.``,
    ``,`` or ``)``: ``action\\,\\footnote{...}.`` reads ``action.``.
    """

    __slots__ = ("blank", "length", "parts", "pending", "pieces", "role", "src")

    def __init__(self, src: str, role: str = "paragraph") -> None:
        self.src = src
        self.role = role
        # [prose_start, prose_end, src_start, src_end, kind], mutable so verbatim runs can grow
        self.pieces: list[list[Any]] = []
        self.parts: list[str] = []
        self.length = 0
        self.blank = True  # empty, or ends with whitespace (written or pending)
        self.pending: tuple[int, int] | None = None  # source span of a space not yet written

    def text(self, a: int, b: int) -> None:
        src = self.src
        if self.blank:
            while a < b and src[a] == " ":
                a += 1
        if a >= b:
            return
        if self.pending is not None:
            self._flush(src[a])
        s = src[a:b]
        n = len(s)
        pieces = self.pieces
        if pieces:
            last = pieces[-1]
            if last[4] is TEXT and last[3] == a:
                last[1] = self.length + n
                last[3] = b
                self.parts.append(s)
                self.length += n
                self.blank = s[-1] in " \n"
                return
        pieces.append([self.length, self.length + n, a, b, TEXT])
        self.parts.append(s)
        self.length += n
        self.blank = s[-1] in " \n"

    def put(self, prose: str, a: int, b: int, kind: PieceKind = REPLACED) -> None:
        if not prose:
            return
        if self.pending is not None:
            self._flush(prose[0])
        n = len(prose)
        self.pieces.append([self.length, self.length + n, a, b if b > a else a, kind])
        self.parts.append(prose)
        self.length += n
        self.blank = prose[-1] in " \u00a0"

    def space(self, a: int, b: int) -> None:
        if not self.blank:
            self.pending = (a, b)
            self.blank = True

    def _flush(self, following: str) -> None:
        a, b = self.pending or (0, 0)
        self.pending = None
        if following not in ".,)":
            self.pieces.append([self.length, self.length + 1, a, b, REPLACED])
            self.parts.append(" ")
            self.length += 1

    def chunk(self) -> Chunk | None:
        """The finished chunk, trailing spaces trimmed; None if it holds no prose."""
        text = "".join(self.parts)
        if not text.strip():
            return None
        keep = len(text.rstrip(" \n"))
        pieces = self.pieces
        while pieces and pieces[-1][1] > keep:
            last = pieces[-1]
            ps, pe = last[0], last[1]
            if last[4] is TEXT and ps < keep:
                last[3] -= pe - keep
                last[1] = keep
                break
            if text[ps:pe].strip(" \n"):
                keep = pe  # never cut into a placeholder
                break
            pieces.pop()
        text = text[:keep]
        frozen = tuple([make_piece(*p) for p in pieces])
        # Pieces follow the prose; a macro can read its arguments out of source order.
        src_start = min([p[2] for p in pieces])
        src_end = max([p[3] for p in pieces])
        return Chunk(text, frozen, src_start, src_end, chunk_key(self.src[src_start:src_end], self.role), self.role)
