"""How likely a typist turns one word into another: a weighted edit distance.

Plain Levenshtein treats ``recieve`` -> ``receive`` (a swap) like
``recieve`` -> ``relieve`` (a substitution), which is why Hunspell's order
often loses the intended word.  Real misspellings are mostly swapped
letters, doubled or undoubled consonants, confused vowels, sound-alike
letters and neighbouring keys, so those edits cost less.
"""

from __future__ import annotations

from functools import lru_cache

_QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
VOWELS = frozenset("aeiouy")
# Letters that stand for the same sound in English spelling.
_SOUND_ALIKE = {frozenset(p) for p in ("ck", "cs", "sz", "iy", "gj", "fv", "mn", "dt", "qk", "xz", "sc")}


def _neighbours() -> dict[str, frozenset[str]]:
    pos = {c: (r, i) for r, row in enumerate(_QWERTY_ROWS) for i, c in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for c, (r, i) in pos.items():
        # Rows are staggered by about half a key: neighbours are i-1..i+1 on the same row,
        # i..i+1 on the row below and i-1..i on the row above.
        near = {d for d, (r2, i2) in pos.items() if d != c and ((r2 == r and abs(i2 - i) == 1) or (r2 == r + 1 and i2 - i in (-1, 0)) or (r2 == r - 1 and i2 - i in (0, 1)))}
        out[c] = frozenset(near)
    return out


KEYBOARD_NEIGHBOURS = _neighbours()

INSERT_DELETE = 1.0
DOUBLING = 0.35  # occured / occurrred: a letter typed once too few or too many times
TRANSPOSE = 0.55
SUBSTITUTE = 1.0
VOWEL_SWAP = 0.5
SOUND_ALIKE = 0.55
NEIGHBOUR_KEY = 0.65
SILENT_LETTER = 0.7  # a dropped or added vowel / h / e: "definately", "rythm"
CASE_ONLY = 0.05
# Writers rarely get the first or last letter wrong ("apparenty" is "apparently", not "apparent").
EDGE_MISMATCH = 0.5


def substitution_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    la, lb = a.lower(), b.lower()
    if la == lb:
        return CASE_ONLY
    if la in VOWELS and lb in VOWELS:
        return VOWEL_SWAP
    if frozenset((la, lb)) in _SOUND_ALIKE:
        return SOUND_ALIKE
    if lb in KEYBOARD_NEIGHBOURS.get(la, ()):
        return NEIGHBOUR_KEY
    return SUBSTITUTE


def _indel_cost(word: str, i: int) -> float:
    """Cost of inserting/deleting ``word[i]``, cheaper when it doubles a neighbour or is a weak letter."""
    c = word[i]
    if (i > 0 and word[i - 1] == c) or (i + 1 < len(word) and word[i + 1] == c):
        return DOUBLING
    if c.lower() in "aeiouh'-":
        return SILENT_LETTER
    return INSERT_DELETE


@lru_cache(maxsize=65536)
def typo_cost(typed: str, intended: str) -> float:
    """Weighted optimal-string-alignment distance from ``intended`` to what was ``typed``."""
    n, m = len(typed), len(intended)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + _indel_cost(intended, j - 1)
    for i in range(1, n + 1):
        cur = [prev[0] + _indel_cost(typed, i - 1)] + [0.0] * m
        for j in range(1, m + 1):
            best = min(
                prev[j] + _indel_cost(typed, i - 1),  # an extra letter typed
                cur[j - 1] + _indel_cost(intended, j - 1),  # a letter left out
                prev[j - 1] + substitution_cost(typed[i - 1], intended[j - 1]),
            )
            if i > 1 and j > 1 and typed[i - 1] == intended[j - 2] and typed[i - 2] == intended[j - 1] and typed[i - 1] != typed[i - 2]:
                best = min(best, prev2[j - 2] + TRANSPOSE)
            cur[j] = best
        prev2, prev = prev, cur
    edges = 0.0
    if typed and intended:
        edges += EDGE_MISMATCH * ((typed[0].lower() != intended[0].lower()) + (typed[-1].lower() != intended[-1].lower()))
    return prev[m] + edges
