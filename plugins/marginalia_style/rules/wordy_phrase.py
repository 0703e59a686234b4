"""A wordy phrase with a shorter equivalent: "in order to" -> "to".

The quick fix keeps the capitalisation of the phrase it replaces; phrases
with no one-word equivalent ("it should be noted that") are reported without one.
"""

from __future__ import annotations

from collections.abc import Iterator

from marginalia_style.prose import StyleText
from marginalia_style.rules.base import (
    FRAGMENT_ROLES,
    Match,
    PhraseIndex,
    Rule,
    examples_beside,
    lookup,
    phrase_matches,
    replacement_for,
)
from marginalia_style.settings import StyleSettings

REPLACEMENTS = {
    "in order to": "to",
    "in order for": "for",
    "so as to": "to",
    "in an effort to": "to",
    "due to the fact that": "because",
    "owing to the fact that": "because",
    "in light of the fact that": "because",
    "on account of the fact that": "because",
    "in view of the fact that": "because",
    "despite the fact that": "although",
    "in spite of the fact that": "although",
    "regardless of the fact that": "although",
    "a large number of": "many",
    "a great number of": "many",
    "a small number of": "a few",
    "the vast majority of": "most",
    "a majority of": "most",
    "at this point in time": "now",
    "at the present time": "now",
    "at this moment in time": "now",
    "in the near future": "soon",
    "has the ability to": "can",
    "have the ability to": "can",
    "has the capacity to": "can",
    "have the capacity to": "can",
    "is able to": "can",
    "are able to": "can",
    "for the purpose of": "for",
    "with regard to": "about",
    "with respect to the question of": "about",
    "in the event that": "if",
    "prior to": "before",
    "subsequent to": "after",
    "in close proximity to": "near",
    "in the vicinity of": "near",
    "in the absence of": "without",
    "with the exception of": "except",
    "for the most part": "mostly",
    "until such time as": "until",
    "in a timely manner": "promptly",
    "on a daily basis": "daily",
    "on a regular basis": "regularly",
    "each and every": "every",
    "first and foremost": "first",
    "make use of": "use",
    "makes use of": "uses",
    "made use of": "used",
    "making use of": "using",
    "take into consideration": "consider",
    "takes into consideration": "considers",
    "is indicative of": "indicates",
    "are indicative of": "indicate",
    "in excess of": "more than",
    "along the lines of": "like",
    "by means of": "by",
    "on the basis of": "based on",
    "in the course of": "during",
    "a sufficient number of": "enough",
    "is dependent on": "depends on",
    "are dependent on": "depend on",
    "it is often the case that": "often",
    "the reason why is that": "because",
    "the question as to whether": "whether",
    "it should be noted that": "",
    "it is important to note that": "",
    "it is worth noting that": "",
    "it is interesting to note that": "",
}
_PATTERN = PhraseIndex(REPLACEMENTS)


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    for m in phrase_matches(text, _PATTERN):
        found = m.group()
        short = lookup(REPLACEMENTS, found)
        if not short:
            yield Match(m.start(), m.end(), f"“{' '.join(found.split())}” is wordy; say it more directly.")
            continue
        yield Match(m.start(), m.end(), f"“{' '.join(found.split())}” is wordy: “{short}” says the same.", (replacement_for(found, short),))


RULE = Rule("wordy-phrase", "A wordy phrase with a shorter equivalent", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
