"""Plugin threads take turns, and a stuck one cannot hold the others up for long.

Plugins are pure Python, so under the GIL their threads never run in parallel;
run at the same time they only trade the GIL every switch interval, which on
two cores cost a cold full check of a 120k-word book ~0.4 s of CPU.  So a
plugin's share of a check waits for its turn, but never longer than
``patience``: a plugin that holds its turn that long (a hang, a dictionary
loading, a very long document) jams the gate and the others run beside it, as
they would without a gate, until it lets go.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

PATIENCE_S = 2.0


class WorkGate:
    def __init__(self, patience: float = PATIENCE_S) -> None:
        self._lock = threading.Lock()
        self._patience = patience
        self.jammed = False

    @contextlib.contextmanager
    def turn(self, patience: float | None = None) -> Iterator[None]:
        """Wait for the turn, at most ``patience`` seconds (default: the gate's own)."""
        wait = self._patience if patience is None else patience
        if self.jammed or not self._lock.acquire(timeout=wait):
            self.jammed = True  # the holder is stuck or slow: do not queue behind it
            yield
            return
        try:
            yield
        finally:
            self.jammed = False
            self._lock.release()
