"""The same word twice in a row ("the the"), also across a line break.

Some doublings are grammatical ("had had", "that that", "is is" in "what it
is is") and are left alone; so are placeholders ("$x$ $x$").
"""

from __future__ import annotations

from collections.abc import Iterator

from marginalia_grammar_rules.rules.base import Match, Rule, RuleOptions, examples_beside
from marginalia_grammar_rules.text import ChunkText

_GRAMMATICAL = {"had", "that", "is", "do", "does", "bye", "ha", "no", "yada", "blah", "cha", "knock", "tut", "pooh", "so", "very", "many", "far", "mau", "bora", "can"}


def check(text: ChunkText, options: RuleOptions) -> Iterator[Match]:
    tokens, lowers = text.tokens, text.lowers
    for i in range(1, len(tokens)):
        low = lowers[i]
        if low != lowers[i - 1]:
            continue
        prev, tok = tokens[i - 1], tokens[i]
        if not (prev.is_word and tok.is_word):
            continue
        if low in _GRAMMATICAL or (len(tok.text) == 1 and not tok.text.isalpha()):
            continue
        gap = text.text[prev.end : tok.start]
        if gap.strip() or not gap:
            continue  # "the, the" or "the-the"
        yield Match(prev.end, tok.end, f"“{tok.text}” is repeated.", ("",))


RULE = Rule("doubled-word", "A word is repeated", check, examples_path=examples_beside(__file__))
