"""Word frequencies answered from a compact index, so a check starts without building the table.

The spelling check asks how frequent a handful of words are (a verdict on an
unknown word and its one-edit neighbours); building wordfreq's whole table as
a dict (~300k words) costs a tenth of a second at every start.  The index is
two flat arrays loaded straight from the cache's bytes: an open-addressing
hash table of the words' 64-bit BLAKE2b keys (linear probing, at most two
thirds full) and, slot for slot, each word's frequency bucket.  A lookup hashes the
word and probes a slot or two.  Anything that walks the table
(suggestions rank the most frequent words) builds the full dict on first use.
"""

from __future__ import annotations

import hashlib
import threading
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence

# 64-bit keys: a false hit among ~1e5 words and a probe is ~1e-14 likely; a clash between two
# words of the table is detected when the index is built, and then no index is made.
KEY_BYTES = 8
EMPTY = 0  # a free slot; a word whose key is 0 makes no index


def word_key(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=KEY_BYTES).digest()
    return int.from_bytes(digest, "little")


def bucket_value(bucket: int) -> float:
    """The frequency of bucket ``bucket``: wordfreq's ``cB_to_freq(-bucket)``, as build_frequencies computes it."""
    return 10 ** (-bucket / 100)


def build_index(buckets: Sequence[Sequence[str]]) -> tuple[bytes, bytes] | None:
    """(key slots, bucket slots) as bytes; a word listed twice keeps its last bucket (as the
    table does).  None when two words share a key, a key is 0 or there are too many buckets."""
    last: dict[str, int] = {}
    for i, words in enumerate(buckets):
        for w in words:
            last[w] = i
    if len(buckets) > 0xFFFF:
        return None
    size = 1 << max(4, (3 * len(last) // 2).bit_length())  # a power of two, over 1.5 times the words
    mask = size - 1
    keys = array("Q", bytes(KEY_BYTES * size))
    values = array("H", bytes(2 * size))
    for w, bucket in last.items():
        key = word_key(w)
        if key == EMPTY:
            return None
        slot = key & mask
        while keys[slot] != EMPTY:
            if keys[slot] == key:
                return None  # two words, one key: lookups could not tell them apart
            slot = (slot + 1) & mask
        keys[slot] = key
        values[slot] = bucket
    return keys.tobytes(), values.tobytes()


class IndexedFrequencies(Mapping[str, float]):
    """wordfreq's table (the same keys, values and order) whose lookups use the compact index;
    iteration builds the full dict with ``build`` once."""

    def __init__(self, keys: bytes, buckets: bytes, build: Callable[[], dict[str, float]]) -> None:
        self._keys = array("Q")
        self._keys.frombytes(keys)
        self._buckets = array("H")
        self._buckets.frombytes(buckets)
        size = len(self._keys)
        if size != len(self._buckets) or size & (size - 1) or not size:
            raise ValueError("frequency index: malformed slot arrays")
        self._mask = size - 1
        self._count: int | None = None
        self._build = build
        self._full: dict[str, float] | None = None
        self._lock = threading.Lock()

    def get(self, word: str, default: float | None = None) -> float | None:  # type: ignore[override]
        if self._full is not None:
            return self._full.get(word, default)
        key = word_key(word)
        keys, mask = self._keys, self._mask
        slot = key & mask
        while (have := keys[slot]) != EMPTY:
            if have == key:
                return bucket_value(self._buckets[slot])
            slot = (slot + 1) & mask
        return default

    def __getitem__(self, word: str) -> float:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        if self._count is None:
            self._count = len(self._keys) - self._keys.count(EMPTY)
        return self._count

    def full(self) -> dict[str, float]:
        """The whole table as a dict, built on first use."""
        with self._lock:
            if self._full is None:
                self._full = self._build()
            return self._full

    def __iter__(self) -> Iterator[str]:
        return iter(self.full())
