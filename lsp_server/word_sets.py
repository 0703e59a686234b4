"""Accepted-word sets that change rarely but are read on every check, memoized by identity.

The dictionary a plugin sees is the user's and workspace's words plus the words
plugins vouch for in the document (:meth:`lsp_server.plugin.Plugin.document_words`,
e.g. every author a 7,000-entry bibliography names).  Sorting and hashing such a
set, or building the union, on every keystroke for every plugin would cost
milliseconds; the sets are immutable and re-used while nothing changes, so the
results are kept per object (the object itself is kept too, so its id cannot be
reused while cached).
"""

from __future__ import annotations

import hashlib

from lsp_server.lru import LRU

_KEPT = 32


class WordSets:
    def __init__(self) -> None:
        self._digests: LRU[int, tuple[frozenset[str], str]] = LRU(_KEPT)
        self._unions: LRU[tuple[int, ...], tuple[tuple[frozenset[str], ...], frozenset[str]]] = LRU(_KEPT)

    def digest(self, words: frozenset[str]) -> str:
        """A content digest of ``words`` (order-independent)."""
        hit = self._digests.get(id(words))
        if hit is not None and hit[0] is words:
            return hit[1]
        digest = hashlib.blake2b("\0".join(sorted(words)).encode(), digest_size=12).hexdigest()
        self._digests.put(id(words), (words, digest))
        return digest

    def union(self, *sets: frozenset[str]) -> frozenset[str]:
        """The union of the non-empty ``sets``; the same object for the same inputs."""
        parts = tuple(s for s in sets if s)
        if not parts:
            return frozenset()
        if len(parts) == 1:
            return parts[0]
        key = tuple(id(s) for s in parts)
        hit = self._unions.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], parts, strict=True)):
            return hit[1]
        merged = frozenset().union(*parts)
        self._unions.put(key, (parts, merged))
        return merged
