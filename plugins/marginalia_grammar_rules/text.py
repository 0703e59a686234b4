"""A chunk seen as words and sentences, with markup placeholders marked.

Rules read :class:`ChunkText` instead of raw text so that every rule agrees
on what a word is, which words stand for markup (math, code, citations) and
which characters were typed by the writer (only those may be blamed for
spacing: a space the parser inserted for a dropped macro is not the writer's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from lsp_server.documents.model import Chunk, PieceKind

# Words, contractions and hyphenated compounds; numbers separately.
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?|\d+(?:[.,]\d+)*|\[\d+\]")


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
        return self.placeholder is None and self.text[0].isalpha()


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

    def token_index_at(self, offset: int) -> int | None:
        """Index of the token starting at ``offset`` (None if none starts there)."""
        return self._starts.get(offset)

    @cached_property
    def _starts(self) -> dict[int, int]:
        return {t.start: i for i, t in enumerate(self.tokens)}
