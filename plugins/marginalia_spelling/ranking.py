"""Suggestions for a misspelt word, most probable first.

A noisy-channel ranking: a candidate's score is how common the word is
(``wordfreq``'s Zipf frequency, offline data) minus how unlikely the typing
error is (:func:`typo_cost`).  Candidates are the dictionary-valid words one
edit away (found in milliseconds in the frequency list) plus Hunspell's own
suggestions, which also cover rare words, affixed forms and word splits but
cost tens to hundreds of milliseconds, so they are asked for only when the
cheap candidates leave doubt.  Results are cached per (language, word).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import ClassVar

from marginalia_spelling.dictionaries import SpellDictionary
from marginalia_spelling.edit_cost import typo_cost

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


class Vocabulary:
    """Frequent words of one language from wordfreq, loaded once per process."""

    _lock: ClassVar[threading.Lock] = threading.Lock()
    _loaded: ClassVar[dict[str, Vocabulary | None]] = {}

    def __init__(self, lang: str, words: Iterable[str]) -> None:
        ordered = list(words)  # most frequent first
        self.lang = lang
        self.words = frozenset(ordered)
        self.alphabet = "".join(sorted({c for w in self.words for c in w if c.isalpha() or c == "'"}))
        self._deletes = self._index_deletes(ordered[:DELETES_INDEX_SIZE])

    @staticmethod
    def _index_deletes(words: list[str]) -> dict[str, str | tuple[str, ...]]:
        """Every word with one letter deleted -> the words it came from (a str when only one)."""
        index: dict[str, str | tuple[str, ...]] = {}
        for w in words:
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
        return index

    def near(self, word: str) -> set[str]:
        """Frequent words within about two edits: both sides lose up to two / one letters."""
        deletes = {word}
        frontier = {word}
        for _ in range(2):
            frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} if len(word) > 3 else set()
            deletes |= frontier
        out = {d for d in deletes if d in self.words}
        for d in deletes:
            hit = self._deletes.get(d)
            if hit is not None:
                out.update((hit,) if isinstance(hit, str) else hit)
        return out

    @classmethod
    def for_language(cls, lang: str) -> Vocabulary | None:
        with cls._lock:
            if lang not in cls._loaded:
                cls._loaded[lang] = cls._load(lang)
            return cls._loaded[lang]

    @staticmethod
    def _load(lang: str) -> Vocabulary | None:
        try:
            from wordfreq import top_n_list

            words = top_n_list(lang, VOCABULARY_SIZE)
        except Exception as exc:
            log.info("spelling: no word frequencies for %r (%s)", lang, exc)
            return None
        if not words:
            return None
        # Letters only (and inner apostrophes/hyphens): wordfreq also lists numbers and tokens like "or00".
        return Vocabulary(lang, (w for w in words if w.replace("'", "").replace("-", "").isalpha()))

    def zipf(self, word: str) -> float:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word, self.lang))

    def edits1(self, word: str) -> set[str]:
        letters = self.alphabet
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        out = {a + b[1:] for a, b in splits if b}
        out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        out |= {a + c + b[1:] for a, b in splits if b for c in letters}
        out |= {a + c + b for a, b in splits for c in letters}
        return out & self.words


def match_case(template: str, word: str) -> str:
    """Give ``word`` the capitalisation pattern of ``template`` (Wrold -> World, WROLD -> WORLD)."""
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


class Ranker:
    """Ranks candidates for one dictionary; thread-safe, with a bounded LRU of results."""

    def __init__(self, dictionary: SpellDictionary, hunspell: Callable[[str], list[str]] | None = None) -> None:
        self.dictionary = dictionary
        self.lang = dictionary.source.name.split("_")[0].split("-")[0].lower()
        self._hunspell = hunspell or dictionary.suggest
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def suggest(self, word: str, limit: int = 5) -> list[str]:
        with self._lock:
            hit = self._cache.get(word)
            if hit is not None:
                self._cache.move_to_end(word)
        if hit is None:
            hit = tuple(self._rank(word))
            with self._lock:
                self._cache[word] = hit
                while len(self._cache) > SUGGESTION_CACHE_SIZE:
                    self._cache.popitem(last=False)
        return list(hit[:limit])

    def _score(self, typed: str, candidate: str, vocab: Vocabulary | None, bonus: float) -> float:
        low = candidate.lower()
        zipf = vocab.zipf(low) if vocab is not None else 0.0
        if vocab is not None and zipf == 0.0:
            zipf = RARE_ZIPF
        if (" " in low and " " not in typed) or ("-" in low and "-" not in typed):
            bonus -= SPLIT_PENALTY
        return zipf - COST_WEIGHT * typo_cost(typed.lower(), low) + bonus

    def _rank(self, word: str) -> list[str]:
        vocab = Vocabulary.for_language(self.lang)
        typed = word.lower()
        scores: dict[str, float] = {}
        if vocab is not None:
            near = vocab.edits1(typed) | vocab.near(typed)
            for cand in near:
                if typo_cost(typed, cand) > MAX_CANDIDATE_COST:
                    continue
                if self.dictionary.lookup(cand) or self.dictionary.lookup(match_case(word, cand)):
                    scores[cand] = self._score(typed, cand, vocab, 0.0)
        confident = any(typo_cost(typed, c) <= CONFIDENT_COST for c in scores)
        if not confident or vocab is None:
            for i, cand in enumerate(self._hunspell(word)):
                # Hunspell already capitalised its suggestions; compare case-insensitively.
                key = cand if (cand[:1].isupper() and not word[:1].isupper()) or " " in cand else cand.lower()
                bonus = HUNSPELL_BONUS - 0.02 * i
                score = self._score(typed, key, vocab, bonus)
                scores[key] = max(scores.get(key, score), score)
        ranked = sorted(scores, key=lambda c: (-scores[c], c))
        return list(dict.fromkeys(match_case(word, c) for c in ranked if c.lower() != typed))
