"""Opener -> closer lookups that stay linear on broken input.

The parser finds the end of a group, an environment or an ``\\iffalse`` by
scanning forward.  On well-formed input each scan is short.  An unclosed
opener scans to the end of the buffer, and thousands of them (a half-typed
table, a pasted binary) would make the parse quadratic.  So after the first
failed scan of a kind, the parser asks this index instead: one linear pass
pairs every opener of that kind in the whole buffer, and later lookups are
dictionary reads.  The pairing is the one the forward scan computes (the
first point where the nesting depth returns to zero), so results do not
depend on whether the index was used.
"""

from __future__ import annotations

import re
from collections.abc import Callable

UNPAIRED = -1


def pair_all(
    source: str, token: re.Pattern[str], is_open: Callable[[str], bool], is_close: Callable[[str], bool]
) -> dict[int, tuple[int, int]]:
    """``{opener start: (closer start, closer end)}`` for every opener ``token`` finds.

    ``token`` matches openers, closers and anything to step over (comments,
    escapes); its group 1 (or the whole match when it has no group) is what
    ``is_open``/``is_close`` judge.  Unpaired openers map to ``(UNPAIRED, UNPAIRED)``.
    """
    pairs: dict[int, tuple[int, int]] = {}
    stack: list[int] = []
    grouped = token.groups > 0
    for m in token.finditer(source):
        word = m.group(1) if grouped else m.group()
        if not word:
            continue
        if is_open(word):
            stack.append(m.start())
        elif is_close(word) and stack:
            pairs[stack.pop()] = (m.start(), m.end())
    for start in stack:
        pairs[start] = (UNPAIRED, UNPAIRED)
    return pairs


class PairIndex:
    """Lazily built pairings of one buffer, one table per kind of opener."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._tables: dict[str, dict[int, tuple[int, int]]] = {}

    def has(self, kind: str) -> bool:
        return kind in self._tables

    def build(
        self, kind: str, token: re.Pattern[str], is_open: Callable[[str], bool], is_close: Callable[[str], bool]
    ) -> None:
        if kind not in self._tables:
            self._tables[kind] = pair_all(self.source, token, is_open, is_close)

    def closer(self, kind: str, opener: int, end: int) -> tuple[int, int] | None:
        """The closer of the opener at ``opener`` if it lies before ``end``; None if there is none.

        Raises KeyError when ``opener`` is not an opener the index saw (the caller scans instead).
        """
        start, stop = self._tables[kind][opener]
        if start == UNPAIRED or stop > end:
            return None
        return start, stop
