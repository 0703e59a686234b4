"""Shared machinery for confusable-word rules: a pattern, a message, a fix.

Each confusion rule is a handful of regular expressions with one marked group
(the wrong word) and the word to put there; the context around the group is
what makes the use wrong, so the patterns stay narrow on purpose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from marginalia_grammar_rules.rules.base import CheckFn, Match, RuleOptions, keep_case
from marginalia_grammar_rules.text import ChunkText


@dataclass(frozen=True)
class Confusion:
    pattern: re.Pattern[str]  # group "bad" is the word to replace
    fix: str
    message: str
    # Lower-case strings one of which the text must contain for the pattern to match (a cheap
    # pre-check: most paragraphs contain none, and the regular expressions are the slow part).
    triggers: tuple[str, ...]


def confusion(pattern: str, fix: str, message: str, triggers: tuple[str, ...], flags: int = re.IGNORECASE) -> Confusion:
    return Confusion(re.compile(pattern, flags), fix, message, triggers)


def find(text: ChunkText, confusions: Iterable[Confusion]) -> Iterator[Match]:
    low = text.lower
    for c in confusions:
        if not any(t in low for t in c.triggers):
            continue
        for m in c.pattern.finditer(text.text):
            start, end = m.span("bad")
            if text.placeholder_at(start) is not None or not text.typed(start, end):
                continue
            word = m.group("bad")
            yield Match(start, end, c.message.format(word=word, fix=c.fix), (keep_case(word, c.fix),))


def checker(confusions: list[Confusion]) -> CheckFn:
    def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
        return find(text, confusions)

    return check
