"""Decide which words of a paragraph are misspelt.

Everything here is cheap per word once the dictionary's verdict for that
word is cached, which is what makes a whole book check in about a second.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from marginalia_spelling.dictionaries import SpellDictionary
from marginalia_spelling.ranking import Ranker
from marginalia_spelling.settings import SpellingSettings
from marginalia_spelling.tokens import (
    Word,
    is_all_caps,
    is_capitalized,
    is_mixed_case,
    is_shifted_capital,
    normalize_apostrophes,
    opens_sentence,
)

# Prefixes written with a hyphen in technical prose ("non-linear", "pre-trained");
# Hunspell knows few of them as words of their own.
HYPHEN_PREFIXES = frozenset((
    "non", "pre", "re", "co", "anti", "multi", "semi", "sub", "inter", "intra", "post", "pseudo", "quasi", "self",
    "over", "under", "un", "bi", "tri", "meta", "micro", "macro", "mid", "mini", "neo", "proto", "ultra", "hyper",
    "super", "cross", "counter", "de", "dis", "ex", "extra", "infra", "mis", "out", "pan", "poly", "trans", "auto",
    "bio", "geo", "hydro", "electro", "socio", "nano", "mono", "uni", "omni", "hetero", "homo", "iso", "para", "peri",
    "retro",
))
# Productive prefixes of technical English: "reimplementation", "uncomment", "quasiperiodic" are
# words when the rest is one (short or ambiguous ones like "de", "mis" are left out: "deside").
DERIVING_PREFIXES = (
    "re", "un", "non", "sub", "pre", "post", "quasi", "semi", "hyper", "hypo", "multi", "inter", "intra", "over",
    "micro", "macro", "geo", "pseudo", "meta", "super", "auto", "nano", "poly", "mono", "electro", "neuro",
)
VERDICT_CACHE_SIZE = 200_000
_CONTRACTIONS = ("n't", "'re", "'ve", "'ll", "'d", "'m", "'s")


class AcceptedWords:
    """User, workspace and settings words, with Hunspell's case rules.

    An entry in lower case also accepts its Capitalised and UPPER-CASE forms
    (sentence starts, headings); an entry with capitals (``PyTorch``) accepts
    only itself and its upper-case form.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.exact = frozenset(normalize_apostrophes(w.strip()) for w in words if w.strip())
        self.upper = frozenset(w.upper() for w in self.exact)
        self.lower = frozenset(w for w in self.exact if w.islower())

    def accepts(self, word: str) -> bool:
        w = normalize_apostrophes(word)
        if w in self.exact or (w.isupper() and w in self.upper):
            return True
        return is_capitalized(w) and w.lower() in self.lower


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=16)
def accepted_words(dictionary: frozenset[str], ignore: tuple[str, ...]) -> AcceptedWords:
    """Built once per distinct word set (frozensets cache their hash, so this is cheap)."""
    return AcceptedWords([*dictionary, *ignore])


@dataclass(frozen=True, slots=True)
class Misspelling:
    """A misspelt word (or part of a hyphenated word) at ``text[start:end]`` of the paragraph."""

    start: int
    end: int
    word: str
    # A Capitalised word inside a sentence: probably a name, so only worth a hint.
    maybe_name: bool


class Checker:
    def __init__(
        self,
        dictionary: SpellDictionary,
        settings: SpellingSettings,
        accepted: AcceptedWords,
        ranker: Ranker | None = None,
        verdicts: dict[str, tuple[tuple[int, str], ...]] | None = None,
    ) -> None:
        self.dictionary = dictionary
        self.settings = settings
        self.accepted = accepted
        # Second opinion on words Hunspell lacks (word frequency); None = Hunspell alone.
        self._ranker = ranker if settings.accept_frequent_words else None
        self._fold_accents = dictionary.source.name.lower().startswith("en")
        # Shared between checkers with the same dictionary, settings and accepted words (see plugin).
        self._verdicts = verdicts if verdicts is not None else {}

    def accepts(self, word: str) -> bool:
        """Would ``word`` pass on its own?"""
        return not self.misspelt_parts(word)

    def check(self, text: str, words: Iterable[Word]) -> Iterator[Misspelling]:
        """Misspellings among ``words`` of the paragraph ``text`` (the hot loop of a book check)."""
        verdicts = self._verdicts
        for w in words:
            parts = verdicts.get(w.text)
            if parts is None:
                parts = self.misspelt_parts(w.text)
            for offset, part in parts:
                maybe_name = is_capitalized(part) and not (offset == 0 and opens_sentence(text, w.start) and self._slip(part))
                if maybe_name and not self.settings.check_capitalized:
                    continue
                start = w.start + offset
                yield Misspelling(start, start + len(part), part, maybe_name)

    def misspelt_parts(self, text: str) -> tuple[tuple[int, str], ...]:
        """(offset, part) of each misspelt part of ``text``; the verdict is cached per distinct word."""
        hit = self._verdicts.get(text)
        if hit is None:
            hit = tuple(self._judge(text))
            if len(self._verdicts) >= VERDICT_CACHE_SIZE:
                self._verdicts.clear()
            self._verdicts[text] = hit
        return hit

    def _judge(self, text: str) -> Iterator[tuple[int, str]]:
        if self._skipped(text):
            return
        if is_mixed_case(text):
            # Identifiers and brands (PyTorch, iPhone, LaTeX) are skipped, except the held-shift typo "THe".
            if is_shifted_capital(text) and self.is_valid(text.capitalize()):
                yield 0, text
            return
        if self.is_valid(text) or self._is_derived(text) or self._is_frequent(text):
            return
        if "-" not in text:
            yield 0, text
            return
        offset = 0
        for part in text.split("-"):
            if part and not self._part_ok(part):
                yield offset, part
            offset += len(part) + 1

    def _skipped(self, text: str) -> bool:
        """Words the settings or the user exempt, and words not in the dictionary's script."""
        s = self.settings
        if len(text) < s.min_word_length or self.accepted.accepts(text):
            return True
        if is_all_caps(text) and s.ignore_all_caps:
            return True
        return not self.dictionary.can_spell(text)

    def _part_ok(self, part: str) -> bool:
        if self._skipped(part) or part.lower() in HYPHEN_PREFIXES or is_mixed_case(part):
            return True
        return self.is_valid(part) or self._is_derived(part) or self._is_frequent(part)

    def _is_derived(self, word: str) -> bool:
        """A plural of a valid noun (conductances) or prefix + valid word (reimplemented), unless
        it is one slip from a much more common word (abilityes, overridding): needs word frequencies."""
        if self._ranker is None:
            return False
        low = word.lower()
        derived = self._is_plural(low) or any(
            low.startswith(p) and len(low) - len(p) >= 5 and self._is_word_or_plural(low[len(p) :])
            for p in DERIVING_PREFIXES
        )
        return derived and not self._ranker.is_slip(low)

    def _is_word_or_plural(self, low: str) -> bool:
        """reparameterization: "parameterization" is missing from Hunspell but a frequent word."""
        return self.dictionary.lookup(low) or self._is_plural(low) or (self._ranker is not None and self._ranker.is_plausible(low))

    def _is_plural(self, low: str) -> bool:
        """English plural rules: -es after s, x, z, ch, sh; -s otherwise (not after y or a Latin plural)."""
        if low.endswith("es") and low[:-2].endswith(("s", "x", "z", "ch", "sh")):
            stem = low[:-2]
        elif low.endswith("s") and not low[:-1].endswith(("s", "x", "z", "ch", "sh", "y", "ae", "i")):
            stem = low[:-1]
        else:
            return False
        return len(stem) >= 5 and self.dictionary.lookup(stem)

    def _slip(self, word: str) -> bool:
        """At a sentence start a capital proves nothing: "Teh" is a slip of "the", "Kitzes" a name."""
        return self._ranker is None or self._ranker.is_slip(word)

    def _is_frequent(self, word: str) -> bool:
        return self._ranker is not None and self._ranker.is_plausible(normalize_apostrophes(word))

    def is_valid(self, word: str) -> bool:
        d = self.dictionary
        if d.lookup(word):
            return True
        norm = normalize_apostrophes(word)
        if norm != word and d.lookup(norm):
            return True
        if self._fold_accents:
            # English dictionaries list naive, resume, cafe: accept the loanword spellings too.
            folded = strip_accents(norm)
            if folded != norm and d.lookup(folded):
                return True
        for suffix in _CONTRACTIONS:
            # Possessives (Smith's, GPU's) and contractions of valid words.
            if norm.endswith(suffix) and len(norm) > len(suffix) + 1:
                stem = norm[: -len(suffix)]
                if self.accepted.accepts(stem) or is_all_caps(stem) or d.lookup(stem):
                    return True
        return False
