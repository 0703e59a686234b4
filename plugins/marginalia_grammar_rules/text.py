"""A chunk seen as words and sentences, with markup placeholders marked.

Rules read :class:`ChunkText` instead of raw text so that every rule agrees
on what a word is, which words stand for markup (math, code, citations) and
which characters were typed by the writer (only those may be blamed for
spacing: a space the parser inserted for a dropped macro is not the writer's).
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import cached_property
from typing import NamedTuple

from lsp_server.documents.model import Chunk, Piece, PieceKind
from lsp_server.lru import LRU

# Words (with contractions and hyphens) in group "w"; numbers and mixes like "4A" as one token.
_TOKEN = re.compile(r"(?P<w>[^\W\d_]+(?:['’-][^\W\d_]+)*)(?!\w)|\w+(?:['’-]\w+)*|\[\d+\]")


_ENGLISH = frozenset(["the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "on", "are", "be", "this", "by", "we", "an", "was", "not", "from", "or", "which", "can", "at"])
_FOREIGN = frozenset(
    ["le", "la", "les", "des", "du", "un", "une", "et", "est", "dans", "pour", "que", "qui", "sur", "par", "au", "aux", "ce", "il", "nous", "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "von", "zu", "el", "los", "las", "y", "por", "con", "para", "una", "il", "lo", "gli", "della", "che", "non"]
)


_WORDS = re.compile(r"[^\W\d_]+")


class Token(NamedTuple):
    """A word, number or punctuation mark of a chunk.  A tuple, not a dataclass: a hundred
    thousand are built per book and a tuple is built three times faster."""

    start: int
    end: int
    text: str
    # The piece kind when the token is (part of) a placeholder, else None.
    placeholder: PieceKind | None
    # Letters only (with inner apostrophes or hyphens): not a number, not "4A".
    letters: bool = True

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.letters and self.placeholder is None


# A chunk's placeholders as (prose start, prose end, kind), in order.
Placeholders = tuple[tuple[int, int, PieceKind], ...]
SHARED_READINGS = 8192


class ChunkReading:
    """What depends only on a chunk's prose and its placeholders: tokens, their lower-case forms
    and the English guard.  Both grammar-rules and style read every chunk this way, from their
    own threads; :func:`reading_of` lets the second one reuse the first one's work."""

    def __init__(self, text: str, placeholders: Placeholders) -> None:
        self.text = text
        self.placeholders = placeholders

    @cached_property
    def tokens(self) -> list[Token]:
        if not self.placeholders:
            return [Token(m.start(), m.end(), m.group(), None, m.group("w") is not None) for m in _TOKEN.finditer(self.text)]
        # One walk over the placeholders alongside the tokens, not a search per token.
        spans = self.placeholders
        k, last = 0, len(spans) - 1
        out: list[Token] = []
        for m in _TOKEN.finditer(self.text):
            start = m.start()
            while k < last and spans[k][1] <= start:
                k += 1
            ph_start, ph_end, ph_kind = spans[k]
            kind = ph_kind if ph_start <= start < ph_end else None
            if kind is not None and out and out[-1].placeholder is kind and out[-1].end == start:
                continue  # one placeholder, one token
            out.append(Token(start, m.end(), m.group(), kind, m.group("w") is not None))
        return out

    @cached_property
    def lowers(self) -> list[str]:
        """``tokens[i].lower``, computed once (rules read it for every token)."""
        return [t.text.lower() for t in self.tokens]

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    @cached_property
    def looks_english(self) -> bool:
        """A cheap guard for chunks in another language inside an "English" document (a French
        chapter without its preamble): more foreign than English function words."""
        en = other = 0
        for w in _WORDS.findall(self.lower):
            if w in _ENGLISH:
                en += 1
            elif w in _FOREIGN:
                other += 1
        return not (other > en and other >= 2)


class _ReadingCache:
    """Recent readings by chunk content; the oldest dropped first.  The key holds the prose and
    the placeholders themselves (not only ``chunk.key``, a hash of the source), so a reading is
    shared only between chunks that read exactly alike."""

    def __init__(self, size: int = SHARED_READINGS) -> None:
        self._lru: LRU[tuple[str, str, Placeholders], ChunkReading] = LRU(size)

    def get(self, chunk: Chunk) -> ChunkReading:
        placeholders = tuple((p.prose_start, p.prose_end, p.kind) for p in chunk.pieces if p.kind.is_placeholder)
        key = (chunk.key, chunk.text, placeholders)
        hit = self._lru.get(key)
        if hit is None:  # two threads may both read it: the same value either way
            hit = ChunkReading(chunk.text, placeholders)
            self._lru.put(key, hit)
        return hit

    def clear(self) -> None:
        self._lru.clear()


_READINGS = _ReadingCache()


def reading_of(chunk: Chunk) -> ChunkReading:
    """The shared reading of ``chunk`` (made now if no plugin has read an identical chunk lately)."""
    return _READINGS.get(chunk)


def forget_readings() -> None:
    """Drop every shared reading (benchmarks of a cold start)."""
    _READINGS.clear()


class ChunkText:
    """Read-only views of one chunk that rules share (computed once per chunk)."""

    def __init__(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.text = chunk.text
        self.reading = reading_of(chunk)
        # Piece starts, once: Chunk.piece_at rebuilds them per call, too slow per token.
        self.piece_starts = [p.prose_start for p in chunk.pieces]
        self._has_placeholders = bool(self.reading.placeholders)

    def piece_at(self, offset: int) -> Piece | None:
        """The piece holding prose offset ``offset``, by bisection (Chunk.piece_at rebuilds its index per call)."""
        i = bisect.bisect_right(self.piece_starts, offset) - 1
        if i < 0:
            return None
        p = self.chunk.pieces[i]
        return p if p.prose_start <= offset < p.prose_end else None

    def placeholder_at(self, offset: int) -> PieceKind | None:
        if not self._has_placeholders:
            return None
        piece = self.piece_at(offset)
        if piece is None or not piece.kind.is_placeholder:
            return None
        return piece.kind

    def typed(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` was typed verbatim (no markup inside or replaced)."""
        if start >= end:
            return True
        piece = self.piece_at(start)
        return piece is not None and piece.exact and piece.prose_end >= end

    @property
    def tokens(self) -> list[Token]:
        return self.reading.tokens

    @property
    def lowers(self) -> list[str]:
        return self.reading.lowers

    def source_contiguous(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` covers no placeholder and no dropped markup: a finding
        there never covers markup, and its fix never deletes a macro."""
        pieces = [p for p in self.chunk.pieces if p.prose_start < end and p.prose_end > start]
        if any(p.kind.is_placeholder for p in pieces):
            return False
        return all(a.src_end == b.src_start for a, b in itertools.pairwise(pieces))

    @property
    def lower(self) -> str:
        return self.reading.lower

    @property
    def looks_english(self) -> bool:
        return self.reading.looks_english

    def token_index_at(self, offset: int) -> int | None:
        """Index of the token starting at ``offset`` (None if none starts there)."""
        return self._starts.get(offset)

    @cached_property
    def _starts(self) -> dict[int, int]:
        return {t.start: i for i, t in enumerate(self.tokens)}
