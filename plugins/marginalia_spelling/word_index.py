"""A read-only word -> small integer table stored as two flat arrays, loaded without building a dict.

Building a Python dict of a few hundred thousand words costs tens of
milliseconds at every start; the spelling check looks up only the words of
the document.  The table is an open-addressing hash table (linear probing, at
most two thirds full) of the words' 64-bit BLAKE2b keys and, slot for slot,
their values: ``array.frombytes`` loads it from a cache file in a few
milliseconds, and a lookup hashes the word and probes a slot or two.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable

# 64-bit keys: a false hit between a probe and ~1e5 words is ~1e-14 likely; a clash between two
# words of the table is detected when it is built, and then no index is made.
KEY_BYTES = 8
EMPTY = 0  # a free slot; a word whose key is 0 makes no index
MAX_VALUE = 0xFFFF  # values are stored as unsigned 16-bit integers


def word_key(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=KEY_BYTES).digest()
    return int.from_bytes(digest, "little")


def build(items: Iterable[tuple[str, int]]) -> tuple[bytes, bytes] | None:
    """(key slots, value slots) as bytes for distinct words; None when two words share a key,
    a key is 0 or a value does not fit (the caller then keeps its dict)."""
    pairs = list(items)
    blake2b = hashlib.blake2b
    # Lists, not arrays, while filling: this runs once per table, over a few hundred thousand words.
    word_keys = [int.from_bytes(blake2b(w.encode("utf-8", "surrogatepass"), digest_size=KEY_BYTES).digest(), "little") for w, _ in pairs]
    size = 1 << max(4, (3 * len(pairs) // 2).bit_length())  # a power of two, over 1.5 times the words
    mask = size - 1
    keys = [EMPTY] * size
    values = [0] * size
    for key, (_, value) in zip(word_keys, pairs, strict=True):
        if key == EMPTY or not 0 <= value <= MAX_VALUE:
            return None
        slot = key & mask
        while keys[slot] != EMPTY:
            if keys[slot] == key:
                return None  # two words, one key: lookups could not tell them apart
            slot = (slot + 1) & mask
        keys[slot] = key
        values[slot] = value
    return array("Q", keys).tobytes(), array("H", values).tobytes()


class WordIndex:
    """The table :func:`build` wrote; ``get`` answers like ``dict.get`` on the words it was built from."""

    def __init__(self, keys: bytes, values: bytes, count: int | None = None) -> None:
        """``count``: the number of words, when known (counting the slots scans the whole table)."""
        self._keys = array("Q")
        self._keys.frombytes(keys)
        self._values = array("H")
        self._values.frombytes(values)
        size = len(self._keys)
        if size != len(self._values) or not size or size & (size - 1):
            raise ValueError("word index: malformed slot arrays")
        self._mask = size - 1
        self._count = count

    def get(self, word: str) -> int | None:
        key = word_key(word)
        keys, mask = self._keys, self._mask
        slot = key & mask
        while (have := keys[slot]) != EMPTY:
            if have == key:
                return self._values[slot]
            slot = (slot + 1) & mask
        return None

    def __len__(self) -> int:
        if self._count is None:
            self._count = len(self._keys) - self._keys.count(EMPTY)
        return self._count
