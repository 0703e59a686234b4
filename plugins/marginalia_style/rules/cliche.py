"""Clichés: phrases worn so smooth they no longer say anything ("at the end of the day")."""

from __future__ import annotations

from collections.abc import Iterator

from marginalia_style.prose import StyleText
from marginalia_style.rules.base import (
    FRAGMENT_ROLES,
    Match,
    PhraseIndex,
    Rule,
    examples_beside,
    normalise,
    phrase_matches,
)
from marginalia_style.settings import StyleSettings

CLICHES = frozenset(
    p.strip()
    for p in ["at the end of the day", "think outside the box", "thinking outside the box", "low-hanging fruit", "low hanging fruit", "paradigm shift\n    ", "the tip of the iceberg", "tip of the iceberg", "a double-edged sword", "double-edged sword", "last but not least", "in this day and age\n    ", "avoid like the plague", "game changer", "game-changer", "holy grail", "silver bullet", "bite the bullet", "the elephant in the room\n    ", "push the envelope", "pushing the envelope", "a perfect storm", "stand the test of time", "stood the test of time", "few and far between\n    ", "par for the course", "only time will tell", "when all is said and done", "in the nick of time", "food for thought\n    ", "at this juncture", "by leaps and bounds", "leaps and bounds", "tried and true", "tried and tested", "a level playing field\n    ", "a drop in the ocean", "a drop in the bucket", "the lion's share", "a blessing in disguise", "hit the ground running\n    ", "reinvent the wheel", "reinventing the wheel", "a can of worms", "open a can of worms", "back to the drawing board\n    ", "crystal clear", "easier said than done", "a whole new ball game\n    ", "the best of both worlds", "a win-win", "win-win situation", "in a nutshell", "needle in a haystack", "touch base\n    ", "think out of the box", "go the extra mile", "the whole nine yards"]
)
# Left out on purpose: "state of the art", "cutting edge", "at first glance", "the big picture" are
# ordinary terms in science writing, not clichés there.
_PATTERN = PhraseIndex(CLICHES)


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    for m in phrase_matches(text, _PATTERN):
        yield Match(m.start(), m.end(), f"“{normalise(m.group())}” is a cliché; say what you mean plainly.")


RULE = Rule("cliche", "A cliché", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
