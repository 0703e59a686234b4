"""Suggestion quality on real-world misspellings (bench/data/spelling_misspellings.tsv, from codespell).

The full sample (3000 pairs) is measured by ``python bench/spelling_eval.py``; this test takes every
15th pair (200) so that it stays well under a minute, and guards the thresholds the plugin promises.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from marginalia_spelling.checker import AcceptedWords, Checker
from marginalia_spelling.dictionaries import DICTIONARIES, SpellDictionary, find_dictionary
from marginalia_spelling.edit_cost import typo_cost
from marginalia_spelling.evaluation import evaluate, read_pairs
from marginalia_spelling.ranking import Ranker, match_case
from marginalia_spelling.settings import SpellingSettings

DATA = Path(__file__).resolve().parent.parent / "bench" / "data" / "spelling_misspellings.tsv"


@pytest.fixture(scope="module")
def en_us() -> SpellDictionary:
    source = find_dictionary("en-US")
    assert source is not None
    loaded = DICTIONARIES.get(source)
    assert loaded is not None
    return loaded


def test_sample_is_the_stored_real_world_data() -> None:
    pairs = read_pairs(DATA)
    assert len(pairs) == 3000 and len(set(pairs)) == 3000
    assert ("abandonned", "abandoned") in pairs


@pytest.mark.slow
def test_intended_word_first_for_80_percent_and_97_percent_flagged(en_us: SpellDictionary) -> None:
    pairs = read_pairs(DATA)[::15]
    ranker = Ranker(en_us)
    checker = Checker(en_us, SpellingSettings(), AcceptedWords(()), ranker)
    result = evaluate(pairs, checker.accepts, lambda w: ranker.suggest(w, 5))
    assert result.pairs == 200
    assert result.pct(result.flagged) >= 97.0, result.misses[:20]
    assert result.pct(result.top1) >= 80.0, result.misses[:20]
    # The cache answers a repeated word without recomputing.
    word = pairs[0][0]
    assert ranker.suggest(word) is not ranker.suggest(word) and ranker.suggest(word) == ranker.suggest(word)


def test_classic_misspellings(en_us: SpellDictionary) -> None:
    ranker = Ranker(en_us)
    for typo, right in [("recieve", "receive"), ("teh", "the"), ("definately", "definitely"), ("occured", "occurred"),
                        ("seperate", "separate"), ("wrold", "world"), ("Wrold", "World")]:
        assert ranker.suggest(typo)[0] == right, typo


def test_frequent_unknown_words_pass_but_slips_of_common_words_do_not(en_us: SpellDictionary) -> None:
    checker = Checker(en_us, SpellingSettings(), AcceptedWords(()), Ranker(en_us))
    for word in ("excitatory", "conductances", "reimplemented", "uncomment", "quasiperiodic"):
        assert checker.accepts(word), word
    for word in ("recieve", "definately", "alot", "abilityes", "overridding", "wrold"):
        assert not checker.accepts(word), word
    hunspell_only = Checker(en_us, SpellingSettings(accept_frequent_words=False), AcceptedWords(()), Ranker(en_us))
    assert not hunspell_only.accepts("excitatory")


def test_typo_model_prefers_likely_slips() -> None:
    assert typo_cost("recieve", "receive") < typo_cost("recieve", "relieve")  # swap < substitution
    assert typo_cost("occured", "occurred") < 0.5  # a doubled letter
    assert typo_cost("wrold", "world") < typo_cost("wrold", "would")
    assert typo_cost("same", "same") == 0.0
    assert match_case("WROLD", "world") == "WORLD" and match_case("Wrold", "world") == "World"
