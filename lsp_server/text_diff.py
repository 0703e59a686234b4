"""Where two versions of a text differ: their common prefix and suffix.

Each keystroke gives the server a new version of a possibly book-sized buffer.
Comparing it with the previous version once tells the parser and the
diagnostics what they can keep; comparing slices runs in C, so this costs a
fraction of a millisecond even on a megabyte.
"""

from __future__ import annotations

# Texts are compared in slices of this many code points before narrowing down.
_STRIDE = 4096
# The last pair of texts compared (or told about by an edit): (old, new, prefix, suffix).
_last: tuple[str, str, int, int] | None = None


def common_prefix(a: str, b: str, stride: int = _STRIDE) -> int:
    """Length of the longest common prefix, comparing slices in C rather than characters in Python."""
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i : i + stride] == b[i : i + stride]:
        i += stride
    if i >= n:
        return n
    lo, hi = i, min(i + stride, n)  # a[:lo] == b[:lo]; they differ before hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo if a[lo] != b[lo] else hi


def common_suffix(a: str, b: str, limit: int, stride: int = _STRIDE) -> int:
    """Length of the longest common suffix, at most ``limit``."""
    la, lb = len(a), len(b)
    i = step = 0
    while i < limit:
        step = min(stride, limit - i)
        if a[la - i - step : la - i] != b[lb - i - step : lb - i]:
            break
        i += step
    else:
        return limit
    lo, hi = i, i + step  # the last lo characters agree; not the last hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[la - mid : la - lo] == b[lb - mid : lb - lo]:
            lo = mid
        else:
            hi = mid
    return lo


def changed_span(old: str, new: str) -> tuple[int, int]:
    """``(prefix, suffix)``: how many leading and trailing code points ``old`` and ``new`` share.

    The two never overlap (``prefix + suffix <= min(len(old), len(new))``), and either
    may be smaller than the longest possible, never larger.  The parser, its whole-buffer
    facts and the diagnostics each ask about the same two versions: the answer is
    remembered, or known from the edit itself (see :func:`note_edit`).
    """
    last = _last
    if last is not None and last[0] is old and last[1] is new:
        return last[2], last[3]
    prefix = common_prefix(old, new)
    suffix = common_suffix(old, new, min(len(old), len(new)) - prefix)
    _remember(old, new, prefix, suffix)
    return prefix, suffix


def note_edit(old: str, new: str, start: int, end: int) -> None:
    """``new`` is ``old`` with ``old[start:end]`` replaced: its changed span needs no comparison."""
    _remember(old, new, start, len(old) - end)


def _remember(old: str, new: str, prefix: int, suffix: int) -> None:
    global _last
    _last = (old, new, prefix, suffix)  # one assignment: threads see the old or the new entry whole
