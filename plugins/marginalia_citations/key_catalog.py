"""The keys a set of bibliographies defines, read once per set of parsed files.

``check_document`` runs on every edit; with a 7,000-entry file, rebuilding the
key set, sorting it for suggestions and running difflib for each unknown key
cost more than the rest of the check.  A catalog is kept per set of
:class:`BibFile` objects (a file re-read is a new object, hence a new catalog),
and the "did you mean" suggestions of a key are worked out once.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from marginalia_citations.bibfile import BibFile

MAX_CATALOGS = 8
MAX_SUGGESTIONS_KEPT = 4096


class KeyCatalog:
    """Defined keys, their case-folded forms and remembered suggestions for unknown keys."""

    def __init__(self, bibs: Sequence[BibFile]) -> None:
        self.bibs = tuple(bibs)
        self.defined: frozenset[str] = frozenset(k for b in self.bibs for k in b.entries)
        self.candidates = sorted(self.defined)
        self._lower: dict[str, str] = {}
        for name in self.candidates:
            self._lower.setdefault(name.lower(), name)
        self.file_names = ", ".join(Path(b.path).name for b in self.bibs)
        self._suggestions: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def suggestions(self, key: str) -> tuple[str, ...]:
        """The same key in another case, else up to three close keys (difflib, cutoff 0.75)."""
        with self._lock:
            hit = self._suggestions.get(key)
        if hit is not None:
            return hit
        same_case = self._lower.get(key.lower())
        found = (same_case,) if same_case else tuple(difflib.get_close_matches(key, self.candidates, n=3, cutoff=0.75))
        with self._lock:
            if len(self._suggestions) >= MAX_SUGGESTIONS_KEPT:
                self._suggestions.clear()
            self._suggestions[key] = found
        return found


class CatalogCache:
    """The catalogs of the last few sets of files, most recent kept."""

    def __init__(self, size: int = MAX_CATALOGS) -> None:
        self._data: OrderedDict[tuple[int, ...], KeyCatalog] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, bibs: Sequence[BibFile]) -> KeyCatalog:
        key = tuple(id(b) for b in bibs)
        with self._lock:
            hit = self._data.get(key)
            # The catalog holds its files, so ids stay unique while it is cached; the identity
            # test is a guard all the same.
            if hit is not None and all(a is b for a, b in zip(hit.bibs, bibs, strict=True)):
                self._data.move_to_end(key)
                return hit
        built = KeyCatalog(bibs)
        with self._lock:
            self._data[key] = built
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return built
