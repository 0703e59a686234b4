"""The same word twice in a row ("the the"), also across a line break.

Some doublings are grammatical ("had had", "that that", "is is" in "what it
is is") and are left alone; so are placeholders ("$x$ $x$").
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside
from marginalia_grammar_rules.text import ChunkText

_GRAMMATICAL = {"had", "that", "is", "do", "does", "bye", "ha", "no", "yada", "blah", "cha", "knock", "tut", "pooh", "so", "very", "many", "far", "mau", "bora", "can"}


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    tokens = text.tokens
    for prev, tok in itertools.pairwise(tokens):
        if not (prev.is_word and tok.is_word) or prev.lower != tok.lower:
            continue
        if tok.lower in _GRAMMATICAL or (len(tok.text) == 1 and not tok.text.isalpha()):
            continue
        gap = text.text[prev.end : tok.start]
        if gap.strip() or not gap:
            continue  # "the, the" or "the-the"
        yield Match(prev.end, tok.end, f"“{tok.text}” is repeated.", ("",))


RULE = Rule("doubled-word", "A word is repeated", check, examples_path=examples_beside(__file__))
