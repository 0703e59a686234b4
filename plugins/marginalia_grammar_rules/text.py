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


class ChunkText:
    """Read-only views of one chunk that rules share (computed once per chunk)."""

    def __init__(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.text = chunk.text
        # Piece starts, once: Chunk.piece_at rebuilds them per call, too slow per token.
        self._piece_starts = [p.prose_start for p in chunk.pieces]
        self._has_placeholders = any(p.kind.is_placeholder for p in chunk.pieces)

    def _piece(self, offset: int) -> Piece | None:
        i = bisect.bisect_right(self._piece_starts, offset) - 1
        if i < 0:
            return None
        p = self.chunk.pieces[i]
        return p if p.prose_start <= offset < p.prose_end else None

    def placeholder_at(self, offset: int) -> PieceKind | None:
        if not self._has_placeholders:
            return None
        piece = self._piece(offset)
        if piece is None or not piece.kind.is_placeholder:
            return None
        return piece.kind

    def typed(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` was typed verbatim (no markup inside or replaced)."""
        if start >= end:
            return True
        piece = self._piece(start)
        return piece is not None and piece.exact and piece.prose_end >= end

    @cached_property
    def tokens(self) -> list[Token]:
        if not self._has_placeholders:
            return [Token(m.start(), m.end(), m.group(), None, m.group("w") is not None) for m in _TOKEN.finditer(self.text)]
        out: list[Token] = []
        for m in _TOKEN.finditer(self.text):
            kind = self.placeholder_at(m.start())
            if kind is not None and out and out[-1].placeholder is kind and out[-1].end == m.start():
                continue  # one placeholder, one token
            out.append(Token(m.start(), m.end(), m.group(), kind, m.group("w") is not None))
        return out

    def source_contiguous(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` covers no placeholder and no dropped markup: a finding
        there never covers markup, and its fix never deletes a macro."""
        pieces = [p for p in self.chunk.pieces if p.prose_start < end and p.prose_end > start]
        if any(p.kind.is_placeholder for p in pieces):
            return False
        return all(a.src_end == b.src_start for a, b in itertools.pairwise(pieces))

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

    def token_index_at(self, offset: int) -> int | None:
        """Index of the token starting at ``offset`` (None if none starts there)."""
        return self._starts.get(offset)

    @cached_property
    def _starts(self) -> dict[int, int]:
        return {t.start: i for i, t in enumerate(self.tokens)}
