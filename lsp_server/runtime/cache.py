"""LRU cache of recent completions, looked up by prefix.

When the user types the first characters of a suggestion, the prefix grows by
exactly what the cached completion predicted, so the rest of that completion
is still the answer: no new generation is needed to keep the ghost text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable


class CompletionCache:
    def __init__(self, size: int = 256) -> None:
        self._size = max(1, size)
        self._data: OrderedDict[tuple[Hashable, str], str] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def put(self, context: Hashable, prefix: str, completion: str) -> None:
        with self._lock:
            self._data[(context, prefix)] = completion
            self._data.move_to_end((context, prefix))
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def get(self, context: Hashable, prefix: str) -> str | None:
        """The cached completion for ``prefix``, or the unused rest of one made for a shorter prefix."""
        with self._lock:
            hit = self._data.get((context, prefix))
            if hit is not None:
                self._data.move_to_end((context, prefix))
                return hit
            # Newest first: the most recent suggestion is the one on screen.
            for (ctx, old_prefix), completion in reversed(self._data.items()):
                if ctx != context or not prefix.startswith(old_prefix):
                    continue
                full = old_prefix + completion
                if len(prefix) < len(full) and full.startswith(prefix):
                    self._data.move_to_end((ctx, old_prefix))
                    return full[len(prefix) :]
            return None

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
