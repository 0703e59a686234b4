"""Word frequencies read without wordfreq are wordfreq's own, and a stale or broken cache is rebuilt."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from marginalia_spelling import frequencies
from marginalia_spelling.frequency_index import IndexedFrequencies, build_index
from marginalia_spelling.ranking import Vocabulary
from wordfreq import get_frequency_dict


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return frequencies.cache_dir()


def test_the_table_is_wordfreqs_in_values_and_order_built_or_cached(cache: Path) -> None:
    reference = get_frequency_dict("en")
    built = frequencies.load("en")
    assert built is not None
    assert list(cache.glob("en-*.marshal"))  # written for the next start
    cached = frequencies.load("en")
    assert cached is not None
    for freqs, alphabet in (built, cached):
        # Spot lookups first: a cached table answers them from its index, before any full build.
        for word in ("the", "excitatory", "changelog", "qxzvbogus", "", "naïve"):
            assert freqs.get(word, 0.0) == reference.get(word, 0.0)
            assert (word in freqs) == (word in reference)
        assert len(freqs) == len(reference)
        assert freqs == reference and list(freqs) == list(reference)
        assert alphabet == frequencies.alphabet_of(reference)
    assert Vocabulary("en", cached[0], cached[1]).alphabet == Vocabulary("en", reference).alphabet


def test_a_cache_for_other_data_or_a_broken_one_is_rebuilt(cache: Path) -> None:
    assert frequencies.load("en") is not None
    (path,) = cache.glob("en-*.marshal")
    fmt, version, digest, _alphabet, _blobs, _index = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((fmt, version, "0" * 64, "x", ["qxzvbogus"], None)))
    freqs, _ = frequencies.load("en") or ({}, "")
    assert "qxzvbogus" not in freqs and freqs == get_frequency_dict("en")
    assert marshal.loads(path.read_bytes())[2] == digest  # rewritten for the real data
    path.write_bytes(b"\x00garbage")
    assert frequencies.load("en") is not None and marshal.loads(path.read_bytes())[2] == digest


def test_languages_without_an_exact_wordfreq_list_are_left_to_wordfreq() -> None:
    assert frequencies.data_file("en") is not None
    assert frequencies.data_file("xq") is None
    assert frequencies.data_file("../en") is None  # a language tag never names a path
    assert frequencies.load("xq") is None


def test_buckets_with_repeated_words_keep_wordfreqs_rule() -> None:
    # A word listed twice keeps its first place and its last frequency, as get_frequency_dict does.
    freqs = frequencies.build_frequencies([["the"], [], "of\nthe", "and"])
    assert list(freqs) == ["the", "of", "and"]
    assert freqs["the"] == 10 ** (-2 / 100) and freqs["and"] == 10 ** (-3 / 100)


def test_a_cached_table_answers_lookups_from_its_index_without_building_the_dict(cache: Path) -> None:
    assert frequencies.load("en") is not None
    cached = frequencies.load("en")
    assert cached is not None and isinstance(cached[0], IndexedFrequencies)
    table = cached[0]
    reference = get_frequency_dict("en")
    assert table.get("the") == reference["the"] and table["science"] == reference["science"]
    assert table.get("qxzvbogus") is None and "qxzvbogus" not in table
    with pytest.raises(KeyError):
        table["qxzvbogus"]
    assert table._full is None  # nothing so far walked the table
    assert Vocabulary("en", table, cached[1]).words  # suggestions walk it: the dict is built once
    assert table._full == reference


def test_the_index_keeps_the_last_bucket_of_a_repeated_word_like_the_table() -> None:
    buckets = [["the"], [], ["of", "the"], ["and"]]
    index = build_index(buckets)
    assert index is not None
    keys, values, count = index
    table = IndexedFrequencies(keys, values, lambda: frequencies.build_frequencies(buckets), count)
    assert dict(table) == frequencies.build_frequencies(buckets)
    fresh = IndexedFrequencies(keys, values, lambda: {})
    assert fresh["the"] == 10 ** (-2 / 100) and fresh["and"] == 10 ** (-3 / 100)
    assert len(fresh) == count == 3  # counted from the slots when not given


def test_an_index_whose_arrays_disagree_is_refused() -> None:
    keys, buckets, _count = build_index([["a", "b"]]) or (b"", b"", 0)
    with pytest.raises(ValueError):
        IndexedFrequencies(keys, buckets[:2], dict)
    with pytest.raises(ValueError):
        IndexedFrequencies(keys[:24], buckets[:6], dict)  # three slots: not a power of two


def test_damaged_words_in_an_indexed_cache_are_read_from_the_data_file(cache: Path) -> None:
    assert frequencies.load("en") is not None
    (path,) = cache.glob("en-*.marshal")
    fmt, version, digest, alphabet, blobs, (keys, values, count, _packed) = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((fmt, version, digest, alphabet, blobs, (keys, values, count, b"\x00garbage"))))
    table, _ = frequencies.load("en") or ({}, "")
    assert isinstance(table, IndexedFrequencies) and dict(table) == get_frequency_dict("en")
