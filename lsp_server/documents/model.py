"""Prose extracted from a marked-up buffer, with an exact map back to the source.

A parser walks the source once and feeds a :class:`ProseBuilder`.  The builder
records *pieces*: runs of prose that are either copied verbatim from the source
(so every prose character maps to exactly one source character) or replace a
source span as a whole (a placeholder for math, a citation, inline code, or a
decoded accent such as ``\\'e`` -> ``é``).  Plugins read ``Chunk.text`` and
report spans in prose coordinates; ``Chunk.to_source`` turns them into source
offsets.  All offsets are Python code points; LSP encodings are the server's
business.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class PieceKind(StrEnum):
    """What a run of prose stands for in the source."""

    TEXT = "text"  # copied verbatim, one prose char per source char
    REPLACED = "replaced"  # decoded markup (accent, ``--``, ``~``): real prose
    MATH = "math"  # placeholder for inline or display math
    CITATION = "citation"  # placeholder for \cite{...} / [@key]
    REFERENCE = "reference"  # placeholder for \ref{...} / @fig-x
    CODE = "code"  # placeholder for inline code
    COMMAND = "command"  # placeholder for a user-declared macro
    URL = "url"  # placeholder for a URL / link target

    @property
    def is_placeholder(self) -> bool:
        """Placeholders are not prose: spell checkers skip them, grammar reads them."""
        # Identity, not ``in``: str-enum equality compares strings, and this runs per token.
        return self is not PieceKind.TEXT and self is not PieceKind.REPLACED


@dataclass(frozen=True, slots=True)
class Piece:
    """``prose[prose_start:prose_end]`` stands for ``source[src_start:src_end]``."""

    prose_start: int
    prose_end: int
    src_start: int
    src_end: int
    kind: PieceKind = PieceKind.TEXT

    @property
    def exact(self) -> bool:
        return self.kind is PieceKind.TEXT


class Chunk:
    """One paragraph (or heading, list item, caption) of prose.

    Chunks are the unit of caching: ``key`` hashes the chunk's *source* text, so
    two chunks with the same key yield the same findings relative to
    ``src_start`` wherever they sit in the document.

    Immutable.  :meth:`moved` re-places a chunk after an edit above it without
    rebuilding its pieces: they are shifted lazily, on first use, because a
    keystroke in a long book moves thousands of chunks that no plugin reads.
    """

    __slots__ = ("_abs", "_base", "_delta", "_starts", "key", "role", "src_end", "src_start", "text")
    text: str
    src_start: int
    src_end: int
    key: str
    # Where the chunk came from, for rules that care ("heading", "caption", "footnote", "item").
    role: str
    _base: tuple[Piece, ...]
    _delta: int
    _abs: tuple[Piece, ...] | None
    _starts: list[int] | None

    def __init__(
        self, text: str, pieces: tuple[Piece, ...], src_start: int, src_end: int, key: str, role: str = "paragraph"
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "text", text)
        setattr_(self, "_base", pieces)
        setattr_(self, "_delta", 0)
        setattr_(self, "_abs", pieces)
        setattr_(self, "_starts", None)
        setattr_(self, "src_start", src_start)
        setattr_(self, "src_end", src_end)
        setattr_(self, "key", key)
        setattr_(self, "role", role)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Chunk is immutable (tried to set {name})")

    def moved(self, delta: int) -> Chunk:
        """The same chunk ``delta`` code points further on in the source."""
        if delta == 0:
            return self
        other: Chunk = _new_object(Chunk)
        _set_text(other, self.text)
        _set_base(other, self._base)
        _set_delta(other, self._delta + delta)
        _set_abs(other, None)
        _set_starts(other, self._starts)
        _set_src_start(other, self.src_start + delta)
        _set_src_end(other, self.src_end + delta)
        _set_key(other, self.key)
        _set_role(other, self.role)
        return other

    @property
    def pieces(self) -> tuple[Piece, ...]:
        pieces = self._abs
        if pieces is None:
            d = self._delta
            pieces = tuple(Piece(p.prose_start, p.prose_end, p.src_start + d, p.src_end + d, p.kind) for p in self._base)
            object.__setattr__(self, "_abs", pieces)
        return pieces

    def _key_tuple(self) -> tuple[object, ...]:
        return (self.text, self.pieces, self.src_start, self.src_end, self.key, self.role)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chunk):
            return NotImplemented
        return self._key_tuple() == other._key_tuple()

    def __hash__(self) -> int:
        return hash((self.key, self.src_start, self.src_end))

    def __repr__(self) -> str:
        return f"Chunk(text={self.text!r}, src_start={self.src_start}, src_end={self.src_end}, role={self.role!r})"

    def _piece_index(self, prose_offset: int) -> int:
        starts = self._starts
        if starts is None:
            starts = [p.prose_start for p in self._base]  # prose offsets never move
            object.__setattr__(self, "_starts", starts)
        i = bisect.bisect_right(starts, prose_offset) - 1
        return max(i, 0)

    def piece_at(self, prose_offset: int) -> Piece | None:
        """The piece containing ``prose_offset`` (None between pieces or when empty)."""
        if not self.pieces:
            return None
        p = self.pieces[self._piece_index(prose_offset)]
        if p.prose_start <= prose_offset < p.prose_end:
            return p
        return None

    def offset_to_source(self, prose_offset: int, *, end: bool = False) -> int:
        """Map one prose offset to a source offset.

        Inside an exact piece the mapping is per character.  Inside a replaced
        piece the whole source span is atomic: a start maps to its beginning, an
        end to its end, so a finding never cuts a macro in half.
        """
        if not self.pieces:
            return self.src_start
        o = min(max(prose_offset, 0), len(self.text))
        idx = self._piece_index(o)
        p = self.pieces[idx]
        if end and o == p.prose_start and idx > 0 and self.pieces[idx - 1].prose_end == o:
            # An end offset on a piece boundary belongs to the piece before it.
            p = self.pieces[idx - 1]
        if p.exact:
            return p.src_start + min(max(o - p.prose_start, 0), p.src_end - p.src_start)
        if end:
            return p.src_end if o > p.prose_start else p.src_start
        return p.src_start if o < p.prose_end else p.src_end

    def to_source(self, prose_start: int, prose_end: int) -> tuple[int, int]:
        """Map a prose span to the smallest source span that covers it."""
        s = self.offset_to_source(prose_start)
        e = self.offset_to_source(prose_end, end=True) if prose_end > prose_start else s
        return s, max(s, e)

    def placeholders(self) -> Iterator[Piece]:
        return (p for p in self.pieces if p.kind.is_placeholder)


# Slot descriptors set fields directly: a keystroke in a long book moves thousands of chunks.
_new_object = object.__new__
_set_text, _set_base, _set_delta, _set_abs, _set_starts, _set_src_start, _set_src_end, _set_key, _set_role = (
    getattr(Chunk, name).__set__
    for name in ("text", "_base", "_delta", "_abs", "_starts", "src_start", "src_end", "key", "role")
)


@dataclass(frozen=True)
class ProseDocument:
    """A parsed buffer: its source, its prose chunks, and what the parser learnt."""

    uri: str
    source: str
    language_id: str  # "latex" | "markdown" | "quarto" | "rmarkdown" | "plaintext" | "bibtex"
    version: int | None
    chunks: tuple[Chunk, ...]
    # Natural language declared by the document itself (babel, polyglossia, front matter),
    # or None; settings and magic comments decide what is used.
    declared_language: str | None = None
    # Source spans where checking is switched off by magic comments.
    disabled_regions: tuple[tuple[int, int], ...] = ()
    # Problems the parser noticed in the markup itself (unclosed environment, bad YAML).
    markup_notes: tuple[tuple[int, int, str], ...] = ()
    # Anything else parsers want to share with plugins (bibliography paths, includes).
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def prose(self) -> str:
        return "\n\n".join(c.text for c in self.chunks)

    def chunk_at(self, src_offset: int) -> Chunk | None:
        """The innermost chunk whose source span holds ``src_offset``.

        Footnotes and image captions are chunks that sit inside their
        paragraph's span, so the chunk that starts last before the offset may
        end before it; look back to the enclosing paragraph in that case.
        """
        starts = self._starts()
        i = bisect.bisect_right(starts, src_offset) - 1
        # Nested chunks start after their parent, so the first hit walking back is the innermost.
        for j in range(i, max(-1, i - 64), -1):
            c = self.chunks[j]
            if c.src_start <= src_offset <= c.src_end:
                return c
        return None

    def _starts(self) -> list[int]:
        cached = self.meta.get("_chunk_starts")
        if not isinstance(cached, list) or len(cached) != len(self.chunks):
            cached = [c.src_start for c in self.chunks]
            self.meta["_chunk_starts"] = cached
        return cached


def chunk_key(source_text: str, role: str) -> str:
    return hashlib.blake2b(f"{role}\0{source_text}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class ProseBuilder:
    """Collects pieces for one document and cuts them into chunks.

    Parsers call :meth:`text` for verbatim runs, :meth:`replace` for decoded
    characters and :meth:`placeholder` for markup read as a word, then
    :meth:`end_chunk` at paragraph breaks.  Whitespace runs are collapsed only
    where the parser asks (``space``), so verbatim pieces always map exactly.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._chunks: list[Chunk] = []
        self._pieces: list[Piece] = []
        self._parts: list[str] = []
        self._len = 0
        self._role = "paragraph"

    # -- feeding -------------------------------------------------------------
    def text(self, src_start: int, src_end: int) -> None:
        """Copy ``source[src_start:src_end]`` verbatim into the prose."""
        if src_end <= src_start:
            return
        s = self.source[src_start:src_end]
        last = self._pieces[-1] if self._pieces else None
        if last is not None and last.exact and last.src_end == src_start:
            # Merge adjacent verbatim runs: fewer pieces, faster lookups.
            self._pieces[-1] = Piece(last.prose_start, last.prose_end + len(s), last.src_start, src_end)
        else:
            self._pieces.append(Piece(self._len, self._len + len(s), src_start, src_end))
        self._parts.append(s)
        self._len += len(s)

    def replace(self, prose: str, src_start: int, src_end: int, kind: PieceKind = PieceKind.REPLACED) -> None:
        """Emit ``prose`` in place of ``source[src_start:src_end]`` (atomic)."""
        if not prose:
            return
        self._pieces.append(Piece(self._len, self._len + len(prose), src_start, max(src_start, src_end), kind))
        self._parts.append(prose)
        self._len += len(prose)

    def placeholder(self, kind: PieceKind, prose: str, src_start: int, src_end: int) -> None:
        self.replace(prose, src_start, src_end, kind)

    def space(self, src_at: int) -> None:
        """Emit one space standing for a dropped run of markup, unless one is already there."""
        if self._len == 0 or self._parts[-1].endswith((" ", "\n")):
            return
        self.replace(" ", src_at, src_at)

    def set_role(self, role: str) -> None:
        self._role = role

    @property
    def current_length(self) -> int:
        return self._len

    def end_chunk(self) -> None:
        """Close the current paragraph; empty or whitespace-only chunks are dropped."""
        text = "".join(self._parts)
        if self._pieces and text.strip():
            src_start = self._pieces[0].src_start
            src_end = max(p.src_end for p in self._pieces)
            key = chunk_key(self.source[src_start:src_end], self._role)
            self._chunks.append(Chunk(text, tuple(self._pieces), src_start, src_end, key, self._role))
        self._pieces = []
        self._parts = []
        self._len = 0
        self._role = "paragraph"

    def build(
        self,
        uri: str,
        language_id: str,
        version: int | None = None,
        *,
        declared_language: str | None = None,
        markup_notes: Sequence[tuple[int, int, str]] = (),
        meta: dict[str, object] | None = None,
    ) -> ProseDocument:
        self.end_chunk()
        chunks = sorted(self._chunks, key=lambda c: c.src_start)
        return ProseDocument(
            uri=uri,
            source=self.source,
            language_id=language_id,
            version=version,
            chunks=tuple(chunks),
            declared_language=declared_language,
            markup_notes=tuple(markup_notes),
            meta=meta or {},
        )
