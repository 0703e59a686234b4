"""A sentence longer than the configured number of words (40 by default).

Placeholders count as one word each (a citation or a formula is read as one);
the finding sits on the sentence's first typed stretch, never on markup.
"""

from __future__ import annotations

from collections.abc import Iterator

from marginalia_style.prose import StyleText
from marginalia_style.rules.base import FRAGMENT_ROLES, Match, Rule, examples_beside
from marginalia_style.settings import StyleSettings


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    limit = settings.long_sentence_words
    tokens = text.tokens
    for sentence in text.sentences:
        if not text.text[sentence.start : sentence.end].rstrip("\"'”’)] \n").endswith((".", "!", "?", ":", ";")):
            continue  # no full stop: a title block or a list of names, not a sentence
        n = sum(1 for t in tokens[sentence.first : sentence.last] if t.letters or t.placeholder is not None)
        if n <= limit:
            continue
        span = text.reportable_prefix(sentence.start, sentence.end)
        if span is None:
            continue
        yield Match(span[0], span[1], f"This sentence has {n} words (more than {limit}); consider splitting it.")


RULE = Rule("long-sentence", "A sentence is long", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
