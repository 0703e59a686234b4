"""Passive voice: a form of "be", an optional adverb, then a past participle ("was measured").

Academic prose uses the passive on purpose, so this is a hint.  Participles
that are really adjectives ("is based on", "are interested in", "is
complicated") and fixed phrases are left alone, and so is "-ed" that is not a
participle ("is red", "was indeed").
"""

from __future__ import annotations

from collections.abc import Iterator

from lsp_server.plugin import Severity
from marginalia_style.prose import StyleText
from marginalia_style.rules.base import FRAGMENT_ROLES, Match, Rule, examples_beside
from marginalia_style.settings import StyleSettings

BE = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't"})
# Between "be" and the participle: "is often used", "was not measured".
_ADVERBS = frozenset({"not", "also", "often", "usually", "always", "then", "only", "further", "never", "generally", "typically", "commonly", "first", "therefore", "thus", "still", "now", "already", "easily", "widely", "frequently", "rarely", "sometimes", "currently", "largely", "mostly", "previously", "later", "subsequently", "directly", "automatically", "successfully", "explicitly", "simply"})
IRREGULAR = frozenset(
    ["arisen", "awoken", "borne", "beaten", "become", "begun", "bent", "bet", "bid", "bitten", "bled", "blown", "broken", "bred", "brought", "built", "burnt", "burst", "bought", "cast", "caught", "chosen", "clung", "come", "cost", "crept", "cut", "dealt", "dug", "done", "drawn", "dreamt", "drunk", "driven", "eaten", "fallen", "fed", "felt", "fought", "found", "fled", "flung", "flown", "forbidden", "forgotten", "forgiven", "frozen", "got", "gotten", "given", "gone", "ground", "grown", "hung", "heard", "hidden", "hit", "held", "hurt", "kept", "knelt", "known", "laid", "led", "leapt", "learnt", "left", "lent", "let", "lain", "lit", "lost", "made", "meant", "met", "mistaken", "overcome", "paid", "proven", "put", "quit", "read", "ridden", "rung", "risen", "run", "said", "seen", "sought", "sold", "sent", "set", "sewn", "shaken", "shed", "shone", "shot", "shown", "shrunk", "shut", "sung", "sunk", "sat", "slain", "slept", "slid", "slung", "split", "spoken", "sped", "spent", "spilt", "spun", "spread", "sprung", "stood", "stolen", "stuck", "stung", "struck", "strung", "sworn", "swept", "swollen", "swum", "swung", "taken", "taught", "torn", "told", "thought", "thrown", "thrust", "trodden", "understood", "undertaken", "undergone", "upheld", "upset", "woken", "worn", "woven", "wed", "wept", "won", "wound", "withdrawn", "written", "rewritten", "overwritten", "misunderstood"]
)
# "-ed" words that are not participles, or participles that are adjectives after "be".
NOT_PASSIVE = frozenset(
    ["need", "feed", "seed", "speed", "hundred", "indeed", "shed", "bed", "red", "wed", "sacred", "naked", "wicked", "ragged", "rugged", "beloved", "aged", "crooked", "based", "related", "interested", "concerned", "involved", "supposed", "complicated", "sophisticated", "detailed", "dedicated", "tired", "excited", "worried", "pleased", "surprised", "amazed", "bored", "confused", "convinced", "determined", "prepared", "married", "experienced", "advanced", "limited", "skilled", "talented", "qualified", "devoted", "united", "satisfied", "disappointed", "embarrassed", "frightened", "scared", "ashamed", "accustomed", "acquainted", "composed", "comprised", "done", "gone", "finished", "situated", "located", "unsupervised", "supervised", "motivated", "biased", "unbiased", "balanced", "unbalanced", "unrelated", "unlimited", "unprecedented", "unexpected", "varied", "mixed", "fixed", "bounded", "unbounded", "closed", "open", "connected", "disconnected", "centred", "centered", "concentrated", "saturated", "correlated", "uncorrelated", "inclined", "entitled", "opposed", "equipped", "coupled", "parameterized", "parametrized", "parameterised", "parametrised", "aimed", "focused", "focussed", "devoted", "dedicated", "tasked", "entitled"]
)


def is_participle(word: str) -> bool:
    w = word.lower()
    if w in NOT_PASSIVE:
        return False
    if w in IRREGULAR:
        return True
    return len(w) >= 4 and w.endswith("ed") and not w.endswith("eed")


def check(text: StyleText, settings: StyleSettings) -> Iterator[Match]:
    tokens, lowers = text.tokens, text.lowers
    for i, low in enumerate(lowers):
        if low not in BE or not tokens[i].is_word:
            continue
        tok = tokens[i]
        j = i + 1
        while j < len(tokens) and j <= i + 2 and tokens[j].is_word and (tokens[j].lower in _ADVERBS or tokens[j].lower.endswith("ly")):
            j += 1
        if j >= len(tokens):
            continue
        part = tokens[j]
        if not part.is_word or not is_participle(part.text) or part.text[:1].isupper():
            continue
        if any(c in ",;:()–—" for c in text.text[tok.end : part.start]):
            continue  # "is, measured" is not one verb phrase
        yield Match(tok.start, part.end, f"Passive voice: “{' '.join(text.text[tok.start : part.end].split())}”. Consider saying who does it.")


RULE = Rule("passive-voice", "A verb is in the passive voice", check, Severity.HINT, skip_roles=FRAGMENT_ROLES, examples_path=examples_beside(__file__), explanation=__doc__ or "")
