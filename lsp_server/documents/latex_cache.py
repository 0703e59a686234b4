"""Per-document parse state, so a keystroke in a long book re-walks one paragraph.

Two mechanisms, both resting on one fact: nothing carries parser state across a
blank line at the top level of the body, and every scan looks forward only.

* :class:`ParseTrace` remembers where the last parse of a URI crossed such blank
  lines and which chunks and markup notes each stretch produced.  The next parse
  compares the two sources once (common prefix and suffix), reuses the stretches
  before the edit as they are and everything after it shifted, and walks only
  the paragraphs in between: an edit costs O(edited paragraph), not O(book).
* :class:`BlockCache` finds unchanged blocks by their text wherever they moved:
  it serves the paragraphs the trace cannot (a paste, several edits at once,
  blank lines inside a top-level environment).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from dataclasses import dataclass

from lsp_server.documents.model import Chunk
from lsp_server.lru import LRU
from lsp_server.text_diff import changed_span

# A paragraph break: a line break, optional spaces, another line break (the parser uses this too).
BLANK_LINE = re.compile(r"[ \t]*(?:\r\n|\n|\r)[ \t]*(?:\r\n|\n|\r)")

Note = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    start: int  # where it sat when cached; reuse shifts by the difference
    chunks: tuple[Chunk, ...]


def shift(chunk: Chunk, delta: int) -> Chunk:
    return chunk.moved(delta)


@dataclass(frozen=True, slots=True)
class ParseTrace:
    """Where one parse crossed top-level blank lines, and what each stretch produced.

    ``bounds[i]`` is where stretch ``i`` starts (``bounds[0]`` is the body start,
    the others just after a top-level blank line); ``chunk_marks[i]`` and
    ``note_marks[i]`` count the chunks and notes made before it.  Stretches that
    made a markup note are ``dirty``: an unclosed ``{`` or ``$`` searched past
    them, so what they read depends on text after them.
    """

    source: str
    body: tuple[int, int]
    bounds: list[int]
    chunk_marks: list[int]
    note_marks: list[int]
    dirty: list[int]
    chunks: list[Chunk]  # in the order the parse made them
    notes: list[Note]


class TraceBuilder:
    """Records a new trace during a walk and splices in the old one where the source did not change."""

    def __init__(self, old: ParseTrace | None, source: str, body: tuple[int, int]) -> None:
        self.bounds: list[int] = []
        self.chunk_marks: list[int] = []
        self.note_marks: list[int] = []
        self.dirty: list[int] = []
        self.reused = 0  # old stretches taken over, for benchmarks and tests
        self.old = old
        self.prefix = self.suffix_start = self.delta = 0
        self.splice_ok = False
        if old is not None:
            self.delta = len(source) - len(old.source)
            self.prefix, suffix = changed_span(old.source, source)
            self.suffix_start = len(source) - suffix
            # The tail is reusable only if the body ends at the same place relative to it.
            self.splice_ok = body[1] - self.delta == old.body[1]

    def boundary(self, pos: int, chunks: list[Chunk], notes: list[Note]) -> None:
        """The walk is at a fresh top-level stretch starting at ``pos``."""
        if self.note_marks and self.note_marks[-1] != len(notes):
            self.dirty.append(len(self.bounds) - 1)
        self.bounds.append(pos)
        self.chunk_marks.append(len(chunks))
        self.note_marks.append(len(notes))

    def resume(self, pos: int, chunks: list[Chunk], notes: list[Note]) -> int | None:
        """Reuse old stretches from the boundary just recorded at ``pos``.

        Returns where the walk goes on (None: nothing reused).  After the edit the
        whole rest of the old parse is taken, shifted, and the walk is done.
        """
        old = self.old
        if old is None:
            return None
        if pos >= self.suffix_start and self.splice_ok:
            i = _index(old.bounds, pos - self.delta)
            if i is not None:
                self._splice(i, chunks, notes)
                return -1
        if pos < self.prefix:
            i = _index(old.bounds, pos)
            if i is not None:
                # Stretches before the edit, up to the first dirty one, with their blank line unchanged.
                last = bisect_left(old.bounds, self.prefix) - 1
                k = bisect_left(old.dirty, i)
                if k < len(old.dirty):
                    last = min(last, old.dirty[k])
                if last > i:
                    self._take(i, last, chunks)
                    return old.bounds[last]
        return None

    def _take(self, i: int, j: int, chunks: list[Chunk]) -> None:
        """Old clean stretches i..j-1, unmoved: the same chunk objects."""
        old = self.old
        assert old is not None
        c0, n = old.chunk_marks[i], len(chunks)
        chunks.extend(old.chunks[c0 : old.chunk_marks[j]])
        self.bounds.extend(old.bounds[i + 1 : j + 1])
        self.chunk_marks.extend([c - c0 + n for c in old.chunk_marks[i + 1 : j + 1]])
        self.note_marks.extend([self.note_marks[-1]] * (j - i))
        self.reused += j - i

    def _splice(self, i: int, chunks: list[Chunk], notes: list[Note]) -> None:
        """Everything from old stretch i on, shifted by the edit's length change."""
        old, d = self.old, self.delta
        assert old is not None
        c0, n0, k = old.chunk_marks[i], old.note_marks[i], len(self.bounds) - 1
        nc, nn = len(chunks), len(notes)
        chunks.extend([c.moved(d) for c in old.chunks[c0:]] if d else old.chunks[c0:])
        notes.extend([(a + d, b + d, m) for a, b, m in old.notes[n0:]])
        self.bounds.extend([b + d for b in old.bounds[i + 1 :]])
        self.chunk_marks.extend([c - c0 + nc for c in old.chunk_marks[i + 1 :]])
        self.note_marks.extend([x - n0 + nn for x in old.note_marks[i + 1 :]])
        self.dirty.extend([x - i + k for x in old.dirty[bisect_left(old.dirty, i) :]])
        self.reused += len(old.bounds) - i

    def finish(self, source: str, body: tuple[int, int], chunks: list[Chunk], notes: list[Note]) -> ParseTrace:
        return ParseTrace(source, body, self.bounds, self.chunk_marks, self.note_marks, self.dirty, chunks, notes)


def _index(sorted_values: list[int], value: int) -> int | None:
    i = bisect_left(sorted_values, value)
    return i if i < len(sorted_values) and sorted_values[i] == value else None


class BlockCache:
    """Prose of top-level blocks from earlier parses of one document, and its last :class:`ParseTrace`.

    A top-level block starts with a fresh paragraph right after a blank line
    and ends at the next blank line outside every group and environment.  Its
    prose depends only on its own text: nothing carries state across a
    top-level blank line, and argument look-ahead never crosses one.  Blocks
    with markup notes are never stored, because an unclosed ``{``, ``$`` or
    environment searched beyond the block.  So a block found again, followed
    again by a blank line, yields the same chunks shifted to its new place.

    A full walk replaces the stored blocks with the ones it saw.  A walk that
    reused the trace saw only the edited paragraphs: they are added to a small
    ``recent`` store, emptied when it grows past ``MAX_RECENT``, so memory
    still follows the document.
    """

    HEAD = 32  # blocks are looked up by their first characters
    MAX_RECENT = 512

    def __init__(self, fingerprint: object) -> None:
        self.fingerprint = fingerprint
        self.lock = threading.Lock()
        self.trace: ParseTrace | None = None
        self._old: dict[str, list[Block]] = {}
        self._recent: dict[str, list[Block]] = {}
        self._new: dict[str, list[Block]] = {}
        self.reused = 0  # blocks reused by the last parse, for benchmarks and tests

    def lookup(self, src: str, pos: int, end: int) -> Block | None:
        head = src[pos : pos + self.HEAD]
        for store in (self._old, self._recent):
            for block in store.get(head, ()):
                stop = pos + len(block.text)
                if stop <= end and src.startswith(block.text, pos) and BLANK_LINE.match(src, stop, end):
                    self.reused += 1
                    return block
        return None

    def store(self, block: Block) -> None:
        if len(block.text) >= self.HEAD:
            bucket = self._new.setdefault(block.text[: self.HEAD], [])
            if all(b.text != block.text for b in bucket):
                bucket.append(block)

    def rotate(self, *, full: bool = True) -> None:
        """After a walk: keep what a full walk saw, or add what a partial one saw."""
        if full:
            self._old, self._recent = self._new, {}
        else:
            if len(self._recent) + len(self._new) > self.MAX_RECENT:
                self._recent = {}
            for head, blocks in self._new.items():
                self._recent.setdefault(head, []).extend(blocks)
        self._new = {}

    def start(self) -> None:
        self.reused = 0


_CACHES: LRU[str, BlockCache] = LRU(16)  # parse state of the most recently parsed documents


def cache_for(uri: str, fingerprint: object) -> BlockCache:
    cache = _CACHES.get(uri)
    if cache is None or cache.fingerprint != fingerprint:
        cache = BlockCache(fingerprint)
        _CACHES.put(uri, cache)
    return cache


def reused_blocks(uri: str) -> int:
    """How many cached blocks or traced stretches the last parse of ``uri`` reused (0 when it has no cache)."""
    cache = _CACHES.get(uri)
    return cache.reused if cache is not None else 0


def forget(uri: str) -> None:
    """Drop the parse state of ``uri`` (the document was closed)."""
    _CACHES.pop(uri)
