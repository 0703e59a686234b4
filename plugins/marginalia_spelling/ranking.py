"""Suggestions for a misspelt word, most probable first, and a second opinion on unknown words.

A noisy-channel ranking: a candidate's score is how common the word is
(``wordfreq``'s Zipf frequency, offline data) minus how unlikely the typing
error is (:func:`typo_cost`).  Candidates are the dictionary-valid words
within two edits that the frequency list knows (found in milliseconds) plus
Hunspell's own suggestions, which also cover rare words, affixed forms and
word splits but cost tens to hundreds of milliseconds, so they are asked for
only when the cheap candidates leave doubt.  Results are cached per
(language, word).

The same model says when a word missing from Hunspell is still a real word
(``excitatory``, ``univariate``, ``changelog``): it is in common use and no
much more frequent word is one slip away from it.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Mapping
from typing import ClassVar

from lsp_server.lru import LRU
from marginalia_spelling import frequencies
from marginalia_spelling.dictionaries import SpellDictionary
from marginalia_spelling.edit_cost import typo_cost
from marginalia_spelling.frequencies import alphabet_of
from marginalia_spelling.frequency_index import IndexedFrequencies

log = logging.getLogger(__name__)

VOCABULARY_SIZE = 150_000
# Words indexed for two-edit candidates (SymSpell-style deletes): the common ones, ~30 MB.
DELETES_INDEX_SIZE = 50_000
MAX_CANDIDATE_COST = 2.6
# One unit of edit cost is worth this many Zipf units (a factor of 10 in frequency each).
COST_WEIGHT = 3.2
# Hunspell's REP/MAP tables and splits know things frequency does not: a small bonus.
HUNSPELL_BONUS = 0.3
# Cheap candidates this good make Hunspell's slow search unnecessary.
CONFIDENT_COST = 1.6
SUGGESTION_CACHE_SIZE = 4096
RARE_ZIPF = 1.0  # valid dictionary words wordfreq has never seen
# Hunspell offers "acne-dotes" for "acnedotes": splits are rarely what was meant.
SPLIT_PENALTY = 1.5
# An unknown word this common is a real word (technical term, name, software)...
PLAUSIBLE_ZIPF_MIN = 1.5
# ...but not when it is *very* common yet missing from Hunspell: "alot", "behaviour" in en-US.
PLAUSIBLE_ZIPF_MAX = 3.3


class Vocabulary:
    """Word frequencies of one language from wordfreq, loaded once per process, lazily
    (through :mod:`marginalia_spelling.frequencies`' cache when it can)."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _loaded: ClassVar[dict[str, Vocabulary | None]] = {}

    def __init__(self, lang: str, frequencies: Mapping[str, float], alphabet: str | None = None) -> None:
        self.lang = lang
        self.frequencies = frequencies
        self.alphabet = alphabet_of(frequencies) if alphabet is None else alphabet
        self._ordered: list[str] | None = None
        self._words: frozenset[str] = frozenset()
        self._deletes: dict[str, str | tuple[str, ...]] | None = None
        self._deletes_lock = threading.Lock()

    def _word_list(self) -> tuple[list[str], frozenset[str]]:
        """The most frequent letter-only words, best first: built when the first suggestion is asked for."""
        with self._deletes_lock:
            if self._ordered is None:
                f = self.frequencies
                if isinstance(f, IndexedFrequencies):
                    f = f.full()  # walking the table: a plain dict is several times faster here
                top = sorted(f, key=f.__getitem__, reverse=True)
                self._ordered = [w for w in top if w.replace("'", "").replace("-", "").isalpha()][:VOCABULARY_SIZE]
                self._words = frozenset(self._ordered)
            return self._ordered, self._words

    @property
    def words(self) -> frozenset[str]:
        return self._word_list()[1]

    @classmethod
    def for_language(cls, lang: str) -> Vocabulary | None:
        with cls._lock:
            if lang not in cls._loaded:
                cls._loaded[lang] = cls._load(lang)
            return cls._loaded[lang]

    @staticmethod
    def _load(lang: str) -> Vocabulary | None:
        fast = frequencies.load(lang)  # the same table, without importing wordfreq
        if fast is not None:
            return Vocabulary(lang, *fast) if fast[0] else None
        try:
            from wordfreq import get_frequency_dict

            freqs = get_frequency_dict(lang)
        except Exception as exc:  # noqa: BLE001 - no frequency data: Hunspell's order alone
            log.info("spelling: no word frequencies for %r (%s)", lang, exc)
            return None
        return Vocabulary(lang, freqs) if freqs else None

    def zipf(self, word: str) -> float:
        """log10 of occurrences per billion words (0 when unseen), as wordfreq defines it."""
        f = self.frequencies.get(word, 0.0)
        return math.log10(f * 1e9) if f > 0 else 0.0

    def edits1(self, word: str) -> set[str]:
        """Every string one insertion, deletion, substitution or swap away (not filtered)."""
        letters = self.alphabet
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        out = {a + b[1:] for a, b in splits if b}
        out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        out |= {a + c + b[1:] for a, b in splits if b for c in letters}
        out |= {a + c + b for a, b in splits for c in letters}
        out.discard(word)
        return out

    def _index(self) -> dict[str, str | tuple[str, ...]]:
        """Every frequent word with one letter deleted -> the words it came from (built on first use)."""
        ordered, _ = self._word_list()
        with self._deletes_lock:
            if self._deletes is not None:
                return self._deletes
            index: dict[str, str | tuple[str, ...]] = {}
            for w in ordered[:DELETES_INDEX_SIZE]:
                if len(w) < 3:
                    continue
                for i in range(len(w)):
                    d = w[:i] + w[i + 1 :]
                    have = index.get(d)
                    if have is None:
                        index[d] = w
                    elif isinstance(have, str):
                        if have != w:
                            index[d] = (have, w)
                    elif w not in have:
                        index[d] = (*have, w)
            self._deletes = index
            return index

    def near(self, word: str) -> set[str]:
        """Known words within about two edits: one edit anywhere, or two among the frequent ones."""
        out = self.edits1(word) & self.words
        if len(word) <= 3:
            return out
        index = self._index()
        deletes = {word}
        frontier = {word}
        for _ in range(2):
            frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
            deletes |= frontier
        out |= {d for d in deletes if d in self.words}
        for d in deletes:
            hit = index.get(d)
            if hit is not None:
                out.update((hit,) if isinstance(hit, str) else hit)
        out.discard(word)
        return out


def match_case(template: str, word: str) -> str:
    """Give ``word`` the capitalisation pattern of ``template`` (Wrold -> World, WROLD -> WORLD)."""
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Ranker:
    """Ranks candidates for one dictionary; thread-safe, with bounded LRUs of results."""

    def __init__(self, dictionary: SpellDictionary, hunspell: Callable[[str], list[str]] | None = None) -> None:
        self.dictionary = dictionary
        self.lang = dictionary.source.name.split("_")[0].split("-")[0].lower()
        self._hunspell = hunspell or dictionary.suggest
        self._suggestions: LRU[str, tuple[str, ...]] = LRU(SUGGESTION_CACHE_SIZE)
        self._slips: dict[str, bool] = {}

    @property
    def vocabulary(self) -> Vocabulary | None:
        return Vocabulary.for_language(self.lang)

    # -- unknown but real words ---------------------------------------------------
    def is_plausible(self, word: str) -> bool:
        """Is ``word`` (missing from Hunspell) a real word in common use rather than a slip?"""
        vocab = self.vocabulary
        low = word.lower()
        if vocab is None or len(low) < 4:
            return False
        return PLAUSIBLE_ZIPF_MIN <= vocab.zipf(low) < PLAUSIBLE_ZIPF_MAX and not self.is_slip(low)

    def is_slip(self, word: str) -> bool:
        """Is a valid word much more common than ``word`` one slip away (recieve, definately, abilityes)?"""
        low = word.lower()
        hit = self._slips.get(low)
        if hit is None:
            hit = self._judge_slip(low)
            if len(self._slips) > 100_000:
                self._slips.clear()
            self._slips[low] = hit
        return hit

    def _judge_slip(self, low: str) -> bool:
        vocab = self.vocabulary
        if vocab is None:
            return False
        own = vocab.zipf(low)
        for cand in vocab.edits1(low):
            z = vocab.zipf(cand)
            if z > own and z - COST_WEIGHT * typo_cost(low, cand) >= own - 0.5 and self.dictionary.lookup(cand):
                return True
        return False

    # -- suggestions ----------------------------------------------------------------
    def suggest(self, word: str, limit: int = 5) -> list[str]:
        hit = self._suggestions.get(word)
        if hit is None:
            hit = tuple(self._rank(word))
            self._suggestions.put(word, hit)
        return list(hit[:limit])

    def _score(self, typed: str, candidate: str, vocab: Vocabulary | None, bonus: float) -> float:
        low = candidate.lower()
        zipf = vocab.zipf(low) if vocab is not None else 0.0
        if vocab is not None and zipf == 0.0:
            zipf = RARE_ZIPF
        if (" " in low and " " not in typed) or ("-" in low and "-" not in typed):
            bonus -= SPLIT_PENALTY
        return zipf - COST_WEIGHT * typo_cost(typed, low) + bonus

    def _rank(self, word: str) -> list[str]:
        vocab = self.vocabulary
        typed = word.lower()
        scores: dict[str, float] = {}
        if vocab is not None:
            for cand in vocab.near(typed):
                if typo_cost(typed, cand) > MAX_CANDIDATE_COST:
                    continue
                if self.dictionary.lookup(cand) or self.dictionary.lookup(match_case(word, cand)):
                    scores[cand] = self._score(typed, cand, vocab, 0.0)
        confident = any(typo_cost(typed, c) <= CONFIDENT_COST for c in scores)
        if not confident or vocab is None:
            for i, cand in enumerate(self._hunspell(word)):
                # Hunspell already capitalised its suggestions; compare case-insensitively.
                key = cand if (cand[:1].isupper() and not word[:1].isupper()) or " " in cand else cand.lower()
                score = self._score(typed, key, vocab, HUNSPELL_BONUS - 0.02 * i)
                scores[key] = max(scores.get(key, score), score)
        ranked = sorted(scores, key=lambda c: (-scores[c], c))
        return list(dict.fromkeys(match_case(word, c) for c in ranked if c.lower() != typed))
