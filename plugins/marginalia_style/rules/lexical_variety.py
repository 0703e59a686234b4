"""A paragraph with low lexical variety: few different words for its length.

Measured as the moving-average type/token ratio over 50-word windows (MATTR),
which, unlike a plain type/token ratio, does not fall just because a
paragraph is long.  Only paragraphs of at least ``variety_min_words`` words
are judged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from marginalia_style.prose import StyleText, is_content
from marginalia_style.rules.base import FRAGMENT_ROLES, Match, Rule, examples_beside
from marginalia_style.settings import StyleSettings

WINDOW = 50


def mattr(words: list[str], window: int = WINDOW) -> float:
    """Moving-average type/token ratio (Covington and McFall 2010); plain TTR below one window."""
    if not words:
        return 1.0
    if len(words) <= window:
        return len(set(words)) / len(words)
    counts = Counter(words[:window])
    total = len(counts)
    for i in range(window, len(words)):
        out, inc = words[i - window], words[i]
        counts[out] -= 1
        if counts[out] == 0:
            del counts[out]
        counts[inc] += 1
        total += len(counts)
    return total / (len(words) - window + 1) / window


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    words = [t.lower for t in text.words]
    if len(words) < settings.variety_min_words:
        return
    score = mattr(words)
    if score >= settings.variety_threshold:
        return
    first = text.sentences[0]
    span = text.reportable_prefix(first.start, first.end)
    if span is None:
        return
    common = Counter(t.lower for t in text.words if is_content(t) and len(t.text) > 2).most_common(3)
    listed = ", ".join(f"“{w}” ×{n}" for w, n in common if n > 1)
    yield Match(span[0], span[1], f"Low lexical variety in this paragraph ({score:.2f} different words per word over 50-word windows){'; most used: ' + listed if listed else ''}.")


RULE = Rule("lexical-variety", "A paragraph uses few different words", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
