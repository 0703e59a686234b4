"""Repeated punctuation: "!!", "??", ",,", ";;" and exactly two periods (not an ellipsis)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside
from marginalia_grammar_rules.text import ChunkText

_REPEAT = re.compile(r"(?<=\w)(?P<bad>([!?,;])\2+|(?<!\.)\.\.(?![./\\\w]))")


# Every match holds one of these: most paragraphs hold none, and a substring test is far
# cheaper than the look-behind pattern tried at every character.
_DOUBLES = ("..", "!!", "??", ",,", ";;")


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    if not any(d in text.text for d in _DOUBLES):
        return
    for m in _REPEAT.finditer(text.text):
        start, end = m.span("bad")
        if not text.typed(start - 1, end):
            continue
        mark = m.group("bad")[0]
        yield Match(start, end, f"“{m.group('bad')}”: one “{mark}” is enough.", (mark,))


RULE = Rule("repeated-punctuation", "Punctuation mark repeated", check, examples_path=examples_beside(__file__))
