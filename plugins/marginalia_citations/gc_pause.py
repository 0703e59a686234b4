"""Cyclic garbage collection paused while a big .bib becomes objects.

A 7,000-entry file turns into about half a million lists, tuples and objects,
all of which stay alive; while they are made, the cyclic collector walks them
again and again and frees nothing (10-30% of a parse or of a cache read).
Reference counting still frees everything as usual.  Nested and concurrent
pauses are counted, so collection resumes when the last one ends, and only if
it was on before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False


_PAUSES = _Pauses()


@contextmanager
def gc_paused() -> Iterator[None]:
    with _PAUSES.lock:
        if _PAUSES.depth == 0:
            _PAUSES.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSES.depth += 1
    try:
        yield
    finally:
        with _PAUSES.lock:
            _PAUSES.depth -= 1
            if _PAUSES.depth == 0 and _PAUSES.was_enabled:
                gc.enable()
