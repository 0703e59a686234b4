"""An absolute with an intensifier: "very unique", "most optimal", "completely eliminate".

Something is unique or it is not; the fix drops the intensifier
("more optimal" becomes "better", since it compares).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from marginalia_style.prose import StyleText
from marginalia_style.rules.base import FRAGMENT_ROLES, Match, Rule, examples_beside, phrase_pattern, replacement_for
from marginalia_style.settings import StyleSettings

ABSOLUTES = frozenset({"unique", "optimal", "impossible", "infinite", "universal", "unanimous", "essential", "fatal", "absolute", "perfect", "ideal", "identical", "ultimate", "final", "entire", "complete", "eternal", "empty", "dead"})
_INTENSIFIERS = ("very", "most", "more", "extremely", "totally", "highly", "quite", "so", "really", "rather", "somewhat", "absolutely", "fairly", "completely")
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
_ADJECTIVE = re.compile(rf"(?<![\w-])(?P<int>{'|'.join(_INTENSIFIERS)})\s+(?P<abs>{'|'.join(sorted(ABSOLUTES))})(?![\w-])", re.IGNORECASE)
_PHRASE = phrase_pattern(_VERB_PHRASES)


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    seen: set[int] = set()
    for m in _PHRASE.finditer(text.text):
        if text.placeholder_at(m.start()) is not None:
            continue
        found = m.group()
        seen.add(m.start())
        yield Match(m.start(), m.end(), f"“{' '.join(found.split())}” intensifies an absolute.", (replacement_for(found, _VERB_PHRASES[' '.join(found.lower().split())]),))
    for m in _ADJECTIVE.finditer(text.text):
        if m.start() in seen or text.placeholder_at(m.start()) is not None:
            continue
        intensifier, absolute = m.group("int").lower(), m.group("abs").lower()
        if intensifier in _COMPARATIVE and absolute in _NOT_WITH_COMPARATIVE:
            continue
        if intensifier in ("so", "rather", "quite", "fairly", "really", "somewhat") and absolute not in ("unique", "optimal", "infinite", "unanimous", "identical", "impossible"):
            continue  # "so complete a", "quite perfect": too idiomatic to judge
        fix = "better" if (intensifier, absolute) == ("more", "optimal") else absolute
        yield Match(m.start(), m.end(), f"“{m.group('int')} {m.group('abs')}”: “{m.group('abs')}” is already absolute.", (replacement_for(m.group(), fix),))


RULE = Rule("intensified-absolute", "An absolute word with an intensifier", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__))
