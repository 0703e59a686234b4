"""Word frequencies answered from a compact index, so a check starts without building the table.

The spelling check asks how frequent a handful of words are (a verdict on an
unknown word and its one-edit neighbours); building wordfreq's whole table as
a dict (~300k words) costs a tenth of a second at every start.  The index
(:mod:`marginalia_spelling.word_index`) maps each word to its frequency
bucket and loads from the cache's bytes in milliseconds.  Anything that walks the table
(suggestions rank the most frequent words) builds the full dict on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence

from marginalia_spelling import word_index
from marginalia_spelling.word_index import WordIndex


def bucket_value(bucket: int) -> float:
    """The frequency of bucket ``bucket``: wordfreq's ``cB_to_freq(-bucket)``, as build_frequencies computes it."""
    return 10 ** (-bucket / 100)


def build_index(buckets: Sequence[Sequence[str]]) -> tuple[bytes, bytes, int] | None:
    """(keys, buckets, number of words) of the buckets' word index: a word listed twice keeps
    its last bucket, as the table does."""
    last: dict[str, int] = {}
    for i, words in enumerate(buckets):
        for w in words:
            last[w] = i
    built = word_index.build(last.items())
    return None if built is None else (*built, len(last))


class IndexedFrequencies(Mapping[str, float]):
    """wordfreq's table (the same keys, values and order) whose lookups use the compact index;
    iteration builds the full dict with ``build`` once."""

    def __init__(self, keys: bytes, buckets: bytes, build: Callable[[], dict[str, float]], count: int | None = None) -> None:
        self._index = WordIndex(keys, buckets, count)
        self._build = build
        self._full: dict[str, float] | None = None
        self._lock = threading.Lock()

    def get(self, word: str, default: float | None = None) -> float | None:  # type: ignore[override]
        if self._full is not None:
            return self._full.get(word, default)
        bucket = self._index.get(word)
        return default if bucket is None else bucket_value(bucket)

    def __getitem__(self, word: str) -> float:
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __len__(self) -> int:
        return len(self._index)

    def full(self) -> dict[str, float]:
        """The whole table as a dict, built on first use."""
        with self._lock:
            if self._full is None:
                self._full = self._build()
            return self._full

    def __iter__(self) -> Iterator[str]:
        return iter(self.full())
