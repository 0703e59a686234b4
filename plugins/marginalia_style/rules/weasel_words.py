"""Weasel words and hedges: "very", "quite", "clearly", "it is well known that".

Each either adds nothing or claims more certainty than it shows.  Manner
uses are left alone ("clearly defined", "treated fairly"), as are idioms
("the very first", "rather than"), and "very" before an absolute is left to
the intensified-absolute rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from marginalia_style.prose import StyleText, StyleToken
from marginalia_style.rules.base import (
    FRAGMENT_ROLES,
    Match,
    PhraseIndex,
    Rule,
    examples_beside,
    normalise,
    phrase_matches,
)
from marginalia_style.rules.intensified_absolute import ABSOLUTES
from marginalia_style.rules.passive_voice import BE, is_participle
from marginalia_style.settings import StyleSettings

HEDGES = {
    "very": "“very” rarely adds meaning; use a stronger word or drop it.",
    "quite": "“quite” is vague; say how much, or drop it.",
    "fairly": "“fairly” hedges; say how much, or drop it.",
    "somewhat": "“somewhat” hedges; say how much, or drop it.",
    "extremely": "“extremely” is an intensifier; show the size instead.",
    "really": "“really” adds nothing in formal prose.",
    "basically": "“basically” adds nothing in formal prose.",
    "clearly": "“clearly” asserts what the reader should see; show it instead.",
    "obviously": "“obviously” asserts what the reader should see; show it instead.",
    "arguably": "“arguably” hedges without giving the argument.",
    "it is well known": "“it is well known” claims consensus without a source; cite it or drop it.",
    "it is well-known": "“it is well-known” claims consensus without a source; cite it or drop it.",
    "it is generally accepted": "“it is generally accepted” claims consensus without a source; cite it.",
    "it is widely believed": "“it is widely believed” claims consensus without a source; cite it.",
    "many people believe": "“many people believe”: say who, and cite them.",
    "some people say": "“some people say”: say who, and cite them.",
    "needless to say": "If it is needless to say, drop it.",
    "it goes without saying": "If it goes without saying, drop it.",
    "of course": "“of course” presumes the reader agrees; drop it or show why.",
    "somehow": "“somehow” is vague; say how.",
}
_PATTERN = PhraseIndex(HEDGES)
# Words after which a degree adverb is a manner adverb or an idiom: "treated fairly well" is rare,
# "the very first" is emphasis of identity, "rather than" is a comparison.
_IDIOM_BEFORE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her", "our"})
# These are weasel words only as comments on a whole claim: "Clearly, ...", "this is clearly wrong".
_SENTENCE_ADVERBS = frozenset({"clearly", "obviously"})


def _sentence_adverb(text: StyleText, idx: int | None, prev: StyleToken | None, nxt: StyleToken | None) -> bool:
    if prev is None or idx is None or idx in text.sentence_starts:
        return True  # first word of a sentence
    if nxt is None or is_participle(nxt.text) or nxt.lower.endswith("ed") or nxt.lower in _MANNER_NEXT:
        return False
    return prev.lower in BE or text.text[text.tokens[idx].end : text.tokens[idx].end + 1] == ","


_MANNER_NEXT = frozenset({"visible", "seen", "shown", "separated", "stated", "written", "identifiable", "distinguishable", "see"})


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    s = text.text
    for m in phrase_matches(text, _PATTERN):
        found = normalise(m.group())
        idx = text.token_index_at(m.start())
        tokens = text.tokens
        nxt = None
        if idx is not None:
            k = idx + len(found.split())
            nxt = tokens[k] if k < len(tokens) and not s[m.end() : tokens[k].start].strip() else None
        prev = tokens[idx - 1] if idx else None
        if found == "very":
            if prev is not None and prev.lower in _IDIOM_BEFORE:
                continue  # "the very first", "this very point"
            if nxt is not None and nxt.lower in ABSOLUTES:
                continue  # "very unique": the intensified-absolute rule says more
        if found in _SENTENCE_ADVERBS and not _sentence_adverb(text, idx, prev, nxt):
            continue  # "describe it clearly", "clearly states": how it is done, not a claim
        if found == "fairly" and (nxt is None or is_participle(nxt.text)):
            continue  # "treated fairly", "fairly distributed"
        if found == "quite" and nxt is not None and nxt.lower in ("a", "an", "the", "different"):
            continue  # "quite a few", "quite different" (= entirely different)
        yield Match(m.start(), m.end(), HEDGES[found])


RULE = Rule("weasel-words", "A weasel word or hedge", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
