"""The same general word used again within a sentence or two ("important ... important").

Conservative on purpose: technical terms must repeat, so only general
vocabulary is judged (adverbs, adjectives and a list of all-purpose verbs and
nouns), never function words, placeholders, names or acronyms.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from marginalia_style.prose import StyleText, StyleToken
from marginalia_style.rules.base import FRAGMENT_ROLES, Match, Rule, examples_beside, in_quotes
from marginalia_style.settings import StyleSettings

# All-purpose words whose echo a reader notices, by stem (see ``stem``).
GENERAL = frozenset(
    ["important", "significant", "signific", "different", "various", "several", "particular", "especial", "interesting", "large", "small", "good", "great", "new", "main", "major", "simple", "complex", "high", "low", "easy", "difficult", "possible", "necessary", "useful", "relevant", "common", "typical", "specific", "certain", "clear", "obvious", "strong", "weak", "effective", "efficient", "provid", "allow", "make", "consider", "obtain", "present", "propos", "perform", "requir", "describ", "discuss", "demonstrat", "indicat", "suggest", "note", "includ", "involv", "improv", "increas", "reduc", "achiev", "enabl", "ensur", "help", "focus", "address", "approach", "way", "aspect", "issue", "problem", "thing", "fact", "kind", "however", "therefore", "moreover", "furthermore", "additionally", "also", "thus", "hence", "finally", "indeed", "actually"]
)
# Adverbs and adjectives by their ending ("-ive", "-able" are left out: "positive", "variable" are terms).
_ADJ_ADV_SUFFIXES = ("ly", "ous", "ful")
# Adverbs in -ly that are really needed twice (sentence connectors are judged above).
_SKIP = frozenset({"only", "family", "apply", "supply", "reply", "rely", "fly", "early", "likely", "daily", "july", "italy", "assembly", "anomaly", "poly", "ally", "holly", "jelly", "belly", "bully", "rally", "tally"})




def _same_next(text: StyleText, a: StyleToken, b: StyleToken) -> bool:
    """Do both uses go on with the same word (a deliberate parallel)?"""
    i, j = text.token_index_at(a.start), text.token_index_at(b.start)
    lowers = text.lowers
    return i is not None and j is not None and j + 1 < len(lowers) and lowers[i + 1] == lowers[j + 1]


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A crude stem, enough to see "shows" and "showed" as one word."""
    w = word.lower()
    for suffix in ("ations", "ation", "ingly", "ing", "edly", "ed", "es", "s", "ly", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


@functools.lru_cache(maxsize=1 << 16)
def _general_stem(low: str) -> str | None:
    """The stem of a general word (``low`` is lower case), None for any other word."""
    if low in _SKIP:
        return None
    s = stem(low)
    if s in GENERAL or low in GENERAL:
        return s
    if low.endswith(_ADJ_ADV_SUFFIXES) and len(low) >= 6:
        return s
    return None


def _judged(tok: StyleToken, sentence_start: bool) -> bool:
    """May ``tok`` count as a use at all (a typed word, not a name or an acronym)?"""
    if len(tok.text) < 4 or not tok.is_word or "-" in tok.text:
        return False
    return not (tok.text[0].isupper() and (not sentence_start or tok.text.isupper()))  # a name or an acronym


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    tokens, lowers = text.tokens, text.lowers
    window = settings.repetition_window
    # stem -> (sentence index, token) of its last use
    last: dict[str, tuple[int, StyleToken]] = {}
    for k, sentence in enumerate(text.sentences):
        for i in range(sentence.first, sentence.last):
            tok = tokens[i]
            # The word first (a cached look-up that rejects most tokens), then the token itself.
            key = _general_stem(lowers[i])
            if key is None or not _judged(tok, i == sentence.first) or in_quotes(text.text, tok.start):
                continue  # a quoted word or phrase is mentioned, not used
            before = last.get(key)
            last[key] = (k, tok)
            if before is None or k - before[0] >= window:
                continue
            if _same_next(text, before[1], tok):
                continue  # "large numbers of researchers ..., and large numbers of people": parallel on purpose
            where = "earlier in this sentence" if before[0] == k else "in the sentence before"
            yield Match(tok.start, tok.end, f"“{tok.text}” repeats “{before[1].text}” {where}; consider rephrasing or a synonym.")
            last.pop(key)  # one report per pair, not a chain


RULE = Rule("repeated-word", "The same word repeated nearby", check, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
