"""Closing delimiters for the inline scanner, found in one pass per block.

A naive scan for the ``]`` that closes each ``[`` (or the backticks that close
a code span) is quadratic on a paragraph of unmatched openers; these helpers
precompute or memoise every match so inline scanning stays linear.
"""

from __future__ import annotations

import bisect
import re

_BACKTICKS = re.compile(r"`+")


class Finder:
    """``str.find`` with a memo, so repeated failing searches cost O(n) in total."""

    __slots__ = ("_end", "_memo", "_text")

    def __init__(self, text: str, end: int) -> None:
        self._text = text
        self._end = end
        self._memo: dict[str, tuple[int, int]] = {}

    def find(self, token: str, start: int) -> int:
        memo = self._memo.get(token)
        if memo is not None:
            searched_from, found = memo
            if start >= searched_from and (found < 0 or found >= start):
                return found
        found = self._text.find(token, start, self._end)
        self._memo[token] = (start, found)
        return found


def match_brackets(text: str, code_spans: dict[int, int]) -> dict[int, int]:
    """Matching ``]`` for every ``[``, skipping escapes and code spans (one pass)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    i = 0
    n = len(text)
    for m in re.finditer(r"[\[\]\\`]", text):
        j = m.start()
        if j < i:
            continue
        ch = text[j]
        if ch == "\\":
            i = j + 2
            continue
        if ch == "`":
            close = code_spans.get(j)
            i = close if close is not None else j + 1
            if close is None:
                while i < n and text[i] == "`":
                    i += 1
            continue
        if ch == "[":
            stack.append(j)
        elif stack:
            pairs[stack.pop()] = j
        i = j + 1
    return pairs


def match_pairs(text: str, opener: str) -> dict[int, int]:
    """Matching closer for every ``(`` or ``{``, skipping backslash escapes (one pass)."""
    closer = ")" if opener == "(" else "}"
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in re.finditer(r"\\.|[" + re.escape(opener + closer) + "]", text, re.S):
        j = m.start()
        ch = text[j]
        if ch == opener:
            stack.append(j)
        elif ch == closer and stack:
            pairs[stack.pop()] = j
    return pairs


def match_code_spans(text: str) -> dict[int, int]:
    """Opening backtick run -> end of its closing run (runs of equal length pair up)."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    spans: dict[int, int] = {}
    by_len: dict[int, list[int]] = {}
    for idx, (s, e) in enumerate(runs):
        by_len.setdefault(e - s, []).append(idx)
    used: set[int] = set()
    for idx, (s, e) in enumerate(runs):
        if idx in used:
            continue
        same = by_len[e - s]
        k = bisect.bisect_right(same, idx)
        while k < len(same) and same[k] in used:
            k += 1
        if k < len(same):
            close = same[k]
            # An unused closer between idx and close of another length does not matter.
            spans[s] = runs[close][1]
            used.add(idx)
            used.add(close)
            # Runs inside this span are code, not delimiters.
            for inner in range(idx + 1, close):
                used.add(inner)
    return spans
