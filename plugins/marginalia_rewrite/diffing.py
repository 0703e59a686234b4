"""Edits from a rewrite: the smallest span that changed, and per-change spans for findings.

The model sees a paragraph with its line breaks folded into spaces, so its
answer has none; comparing word tokens with all whitespace treated as equal
keeps the author's line breaks wherever the words around them did not change.
"""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def _key(token: str) -> str:
    return " " if token.isspace() else token


def _trim_chars(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix of two strings."""
    limit = min(len(old), len(new))
    p = 0
    while p < limit and old[p] == new[p]:
        p += 1
    s = 0
    while s < limit - p and old[len(old) - 1 - s] == new[len(new) - 1 - s]:
        s += 1
    return p, s


def minimal_edit(original: str, new: str, base: int = 0) -> tuple[int, int, str] | None:
    """One edit ``(start, end, text)`` (offsets shifted by ``base``) turning ``original`` into ``new``
    up to whitespace kept from the original around unchanged words: the smallest single span that
    covers every change.  None when nothing but whitespace changed."""
    a = [m for m in _TOKEN.finditer(original)]
    b = [m for m in _TOKEN.finditer(new)]
    ka, kb = [_key(m.group(0)) for m in a], [_key(m.group(0)) for m in b]
    if ka == kb:
        return None
    i = 0
    while i < min(len(ka), len(kb)) and ka[i] == kb[i]:
        i += 1
    j = 0
    while j < min(len(ka), len(kb)) - i and ka[len(ka) - 1 - j] == kb[len(kb) - 1 - j]:
        j += 1
    o_start = a[i].start() if i < len(a) else len(original)
    o_end = a[len(a) - j - 1].end() if len(a) - j > i else o_start
    old_mid = original[o_start:o_end]
    # Inside the span, runs of words that did not change keep the author's whitespace too.
    a_mid, b_mid = a[i : len(a) - j], b[i : len(b) - j]
    sm = difflib.SequenceMatcher(a=ka[i : len(ka) - j], b=kb[i : len(kb) - j], autojunk=False)
    pieces: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        source = a_mid[i1:i2] if op == "equal" else b_mid[j1:j2]
        pieces.extend(m.group(0) for m in source)
    new_mid = "".join(pieces)
    p, s = _trim_chars(old_mid, new_mid)
    return base + o_start + p, base + o_end - s, new_mid[p : len(new_mid) - s]


def word_changes(original: str, new: str, base: int = 0) -> list[tuple[int, int, str]]:
    """Each changed run of words as ``(start, end, replacement)``, by difflib on word tokens."""
    a = [m for m in _TOKEN.finditer(original)]
    b = [m.group(0) for m in _TOKEN.finditer(new)]
    sm = difflib.SequenceMatcher(a=[_key(m.group(0)) for m in a], b=[_key(t) for t in b], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        start = a[i1].start() if i1 < len(a) else len(original)
        end = a[i2 - 1].end() if i2 > i1 else start
        out.append((base + start, base + end, "".join(b[j1:j2])))
    return out
