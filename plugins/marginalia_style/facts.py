"""What the document-wide rules need from each chunk, cached by the chunk's key.

``check_document`` runs on every edit of a whole book, so each chunk is read
once (its variant spellings and acronym mentions, in its own prose offsets)
and kept in an LRU keyed by ``chunk.key``; an edit re-reads only the
paragraph it touched, and the rules then only add up small per-chunk lists.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from lsp_server.documents.model import Chunk
from marginalia_style import acronyms, variants
from marginalia_style.prose import StyleText

FACTS_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class VariantUse:
    start: int
    end: int
    text: str
    form: variants.Form


@dataclass(frozen=True, slots=True)
class ChunkFacts:
    english: bool
    variants: tuple[VariantUse, ...]
    acronyms: tuple[acronyms.Mention, ...]


def _sentence_start(s: str, offset: int) -> bool:
    before = s[max(0, offset - 80) : offset].rstrip()
    return not before or before[-1] in ".!?:"


def read_facts(text: StyleText) -> ChunkFacts:
    if not text.looks_english:
        return ChunkFacts(False, (), ())
    uses = []
    for m in variants.INDEX.finditer(text):
        form = variants.lookup(m.group())
        if m.group()[0].isupper() and not _sentence_start(text.text, m.start()):
            continue  # a name or a title ("Center for Open Science", "... of Stone Artifacts"): not the writer's choice
        if form is not None and text.source_contiguous(m.start(), m.end()):
            uses.append(VariantUse(m.start(), m.end(), m.group(), form))
    mentions = () if acronyms.shouting(text) else tuple(acronyms.mentions(text))
    return ChunkFacts(True, tuple(uses), mentions)


class FactsCache:
    """chunk key -> facts, the oldest read dropped first when full; safe across the host's threads."""

    def __init__(self, size: int = FACTS_CACHE_SIZE) -> None:
        self._data: OrderedDict[str, ChunkFacts] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self.misses = 0

    def facts_for(self, chunks: Sequence[Chunk]) -> list[ChunkFacts]:
        """Facts of every chunk, in order; only chunks not seen before are read."""
        with self._lock:
            data = self._data
            found = [data.get(c.key) for c in chunks]
        missing = [i for i, f in enumerate(found) if f is None]
        for i in missing:
            found[i] = self.facts(chunks[i])
        return [f for f in found if f is not None]

    def facts(self, chunk: Chunk) -> ChunkFacts:
        with self._lock:
            hit = self._data.get(chunk.key)
            if hit is not None:
                self._data.move_to_end(chunk.key)
                return hit
        return self.remember(chunk, StyleText(chunk))

    def remember(self, chunk: Chunk, text: StyleText) -> ChunkFacts:
        """Read and keep the facts of ``chunk`` from a view the caller already built."""
        facts = read_facts(text)
        with self._lock:
            self.misses += 1
            self._data[chunk.key] = facts
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return facts




# A document as the document rules read it: each chunk with its facts, in document order.
DocumentFacts = list[tuple[Chunk, ChunkFacts]]
