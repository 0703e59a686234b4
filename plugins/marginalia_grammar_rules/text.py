"""A chunk seen as words and sentences, with markup placeholders marked.

Rules read :class:`ChunkText` instead of raw text so that every rule agrees
on what a word is, which words stand for markup (math, code, citations) and
which characters were typed by the writer (only those may be blamed for
spacing: a space the parser inserted for a dropped macro is not the writer's).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property

from lsp_server.documents.model import Chunk, PieceKind

# Words (with contractions and hyphens), numbers, and mixes like "4A" as one token.
_TOKEN = re.compile(r"\w+(?:['’-]\w+)*|\[\d+\]")


_ENGLISH = frozenset(["the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "on", "are", "be", "this", "by", "we", "an", "was", "not", "from", "or", "which", "can", "at"])
_FOREIGN = frozenset(
    ["le", "la", "les", "des", "du", "un", "une", "et", "est", "dans", "pour", "que", "qui", "sur", "par", "au", "aux", "ce", "il", "nous", "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "mit", "von", "zu", "el", "los", "las", "y", "por", "con", "para", "una", "il", "lo", "gli", "della", "che", "non"]
)


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    # The piece kind when the token is (part of) a placeholder, else None.
    placeholder: PieceKind | None

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.placeholder is None and self.text.replace("'", "").replace("’", "").replace("-", "").isalpha()


class ChunkText:
    """Read-only views of one chunk that rules share (computed once per chunk)."""

    def __init__(self, chunk: Chunk) -> None:
        self.chunk = chunk
        self.text = chunk.text

    def placeholder_at(self, offset: int) -> PieceKind | None:
        piece = self.chunk.piece_at(offset)
        if piece is None or not piece.kind.is_placeholder:
            return None
        return piece.kind

    def typed(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` was typed verbatim (no markup inside or replaced)."""
        if start >= end:
            return True
        piece = self.chunk.piece_at(start)
        return piece is not None and piece.exact and piece.prose_end >= end

    @cached_property
    def tokens(self) -> list[Token]:
        out: list[Token] = []
        for m in _TOKEN.finditer(self.text):
            kind = self.placeholder_at(m.start())
            if kind is not None and out and out[-1].placeholder is kind and out[-1].end == m.start():
                continue  # one placeholder, one token
            out.append(Token(m.start(), m.end(), m.group(), kind))
        return out

    def source_contiguous(self, start: int, end: int) -> bool:
        """True when ``text[start:end]`` covers no placeholder and no dropped markup: a finding
        there never covers markup, and its fix never deletes a macro."""
        pieces = [p for p in self.chunk.pieces if p.prose_start < end and p.prose_end > start]
        if any(p.kind.is_placeholder for p in pieces):
            return False
        return all(a.src_end == b.src_start for a, b in itertools.pairwise(pieces))

    @cached_property
    def looks_english(self) -> bool:
        """A cheap guard for chunks in another language inside an "English" document (a French
        chapter without its preamble): more foreign than English function words."""
        en = other = 0
        for t in self.tokens:
            low = t.lower
            if low in _ENGLISH:
                en += 1
            elif low in _FOREIGN:
                other += 1
        return not (other > en and other >= 2)

    def token_index_at(self, offset: int) -> int | None:
        """Index of the token starting at ``offset`` (None if none starts there)."""
        return self._starts.get(offset)

    @cached_property
    def _starts(self) -> dict[int, int]:
        return {t.start: i for i, t in enumerate(self.tokens)}
