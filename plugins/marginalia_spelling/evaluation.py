"""Measure suggestion quality on (misspelling, intended word) pairs.

Used by ``bench/spelling_eval.py`` and by the test that guards the ranking,
so both report the same figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class EvalResult:
    pairs: int = 0
    flagged: int = 0
    top1: int = 0
    top3: int = 0
    seconds: float = 0.0
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def pct(self, n: int) -> float:
        return 100.0 * n / self.pairs if self.pairs else 0.0

    @property
    def ms_per_word(self) -> float:
        return 1000.0 * self.seconds / self.pairs if self.pairs else 0.0


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """``misspelling<TAB>correction`` lines; ``#`` starts a comment."""
    out: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        typo, _, right = line.partition("\t")
        if typo and right:
            out.append((typo.strip(), right.strip()))
    return out


def evaluate(
    pairs: Iterable[tuple[str, str]],
    is_correct: Callable[[str], bool],
    suggest: Callable[[str], list[str]],
) -> EvalResult:
    """Flagged = the checker rejects the misspelling; top-k = the intended word is among the first k."""
    res = EvalResult()
    for typo, right in pairs:
        res.pairs += 1
        if is_correct(typo):
            continue
        res.flagged += 1
        t0 = time.perf_counter()
        got = suggest(typo)
        res.seconds += time.perf_counter() - t0
        if got[:1] == [right]:
            res.top1 += 1
        else:
            res.misses.append((typo, right, got[:3]))
        if right in got[:3]:
            res.top3 += 1
    return res
