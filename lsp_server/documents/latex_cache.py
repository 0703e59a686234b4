"""Per-document cache of top-level blocks, so a keystroke in a long book re-walks one paragraph."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from lsp_server.documents.model import Chunk

# A paragraph break: a line break, optional spaces, another line break (the parser uses this too).
BLANK_LINE = re.compile(r"[ \t]*(?:\r\n|\n|\r)[ \t]*(?:\r\n|\n|\r)")


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    start: int  # where it sat when cached; reuse shifts by the difference
    chunks: tuple[Chunk, ...]


def shift(chunk: Chunk, delta: int) -> Chunk:
    return chunk.moved(delta)


class BlockCache:
    """Prose of top-level blocks from the previous parse of one document.

    A top-level block starts with a fresh paragraph right after a blank line
    and ends at the next blank line outside every group and environment.  Its
    prose depends only on its own text: nothing carries state across a
    top-level blank line, and argument look-ahead never crosses one.  Blocks
    with markup notes are never stored, because an unclosed ``{``, ``$`` or
    environment searched beyond the block.  So a block found again, followed
    again by a blank line, yields the same chunks shifted to its new place.
    """

    HEAD = 32  # blocks are looked up by their first characters

    def __init__(self, fingerprint: object) -> None:
        self.fingerprint = fingerprint
        self.lock = threading.Lock()
        self._old: dict[str, list[Block]] = {}
        self._new: dict[str, list[Block]] = {}
        self.reused = 0  # blocks reused by the last parse, for benchmarks and tests

    def lookup(self, src: str, pos: int, end: int) -> Block | None:
        cands = self._old.get(src[pos : pos + self.HEAD])
        if not cands:
            return None
        for block in cands:
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

    def rotate(self) -> None:
        """Keep only what the last parse saw, so memory follows the document."""
        self._old, self._new = self._new, {}

    def start(self) -> None:
        self.reused = 0


_CACHES: OrderedDict[str, BlockCache] = OrderedDict()
_CACHES_LOCK = threading.Lock()
_MAX_CACHED_DOCUMENTS = 16


def cache_for(uri: str, fingerprint: object) -> BlockCache:
    with _CACHES_LOCK:
        cache = _CACHES.get(uri)
        if cache is None or cache.fingerprint != fingerprint:
            cache = BlockCache(fingerprint)
            _CACHES[uri] = cache
        _CACHES.move_to_end(uri)
        while len(_CACHES) > _MAX_CACHED_DOCUMENTS:
            _CACHES.popitem(last=False)
        return cache


def reused_blocks(uri: str) -> int:
    """How many cached blocks the last parse of ``uri`` reused (0 when it has no cache)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(uri)
    return cache.reused if cache is not None else 0
