"""An absolute with an intensifier: "very unique", "most optimal", "completely eliminate".

Something is unique or it is not; the fix drops the intensifier
("more optimal" becomes "better", since it compares).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from marginalia_style.prose import StyleText
from marginalia_style.rules.base import FRAGMENT_ROLES, Match, PhraseIndex, Rule, examples_beside, replacement_for
from marginalia_style.settings import StyleSettings

ABSOLUTES = frozenset({"unique", "optimal", "impossible", "infinite", "universal", "unanimous", "essential", "fatal", "absolute", "perfect", "ideal", "identical", "ultimate", "final", "entire", "complete", "eternal", "empty", "dead"})
_INTENSIFIERS = frozenset({"very", "most", "more", "extremely", "totally", "highly", "quite", "so", "really", "rather", "somewhat", "absolutely", "fairly", "completely"})
_ALWAYS_ABSOLUTE = frozenset({"unique", "optimal", "infinite", "unanimous", "identical", "impossible"})
# Comparatives and superlatives read fine with some absolutes ("the most complete survey", "more perfect union").
_COMPARATIVE = frozenset({"most", "more"})
_NOT_WITH_COMPARATIVE = frozenset({"complete", "perfect", "ideal", "entire", "final", "empty", "essential", "dead", "universal", "absolute"})
_VERB_PHRASES = {
    "completely eliminate": "eliminate", "completely eliminates": "eliminates", "completely eliminated": "eliminated",
    "totally eliminate": "eliminate", "completely destroy": "destroy", "completely destroyed": "destroyed",
    "absolutely essential": "essential", "absolutely necessary": "necessary", "completely unanimous": "unanimous",
    "entirely eliminate": "eliminate", "completely finish": "finish", "completely finished": "finished",
    "totally unique": "unique", "completely unique": "unique", "absolutely unique": "unique", "truly unique": "unique",
}
_PHRASE = PhraseIndex(_VERB_PHRASES)


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    seen: set[int] = set()
    for m in _PHRASE.finditer(text):
        found = m.group()
        seen.add(m.start())
        yield Match(m.start(), m.end(), f"“{' '.join(found.split())}” intensifies an absolute.", (replacement_for(found, _VERB_PHRASES[' '.join(found.lower().split())]),))
    tokens, lowers = text.tokens, text.lowers
    for i, (intensifier, absolute) in enumerate(itertools.pairwise(lowers)):
        if intensifier not in _INTENSIFIERS or absolute not in ABSOLUTES:
            continue
        tok, nxt = tokens[i], tokens[i + 1]
        if tok.start in seen:
            continue
        if not (tok.is_word and nxt.is_word) or text.text[tok.end : nxt.start].strip():
            continue
        if intensifier in _COMPARATIVE and absolute in _NOT_WITH_COMPARATIVE:
            continue
        if intensifier in ("so", "rather", "quite", "fairly", "really", "somewhat") and absolute not in _ALWAYS_ABSOLUTE:
            continue  # "so complete a", "quite perfect": too idiomatic to judge
        fix = "better" if (intensifier, absolute) == ("more", "optimal") else nxt.text
        found = text.text[tok.start : nxt.end]
        yield Match(tok.start, nxt.end, f"“{' '.join(found.split())}”: “{nxt.text}” is already absolute.", (replacement_for(found, fix),))


RULE = Rule("intensified-absolute", "An absolute word with an intensifier", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
