"""Word frequencies read without wordfreq are wordfreq's own, and a stale or broken cache is rebuilt."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from marginalia_spelling import frequencies
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
        assert freqs == reference and list(freqs) == list(reference)
        assert alphabet == frequencies.alphabet_of(reference)
    assert Vocabulary("en", cached[0], cached[1]).alphabet == Vocabulary("en", reference).alphabet


def test_a_cache_for_other_data_or_a_broken_one_is_rebuilt(cache: Path) -> None:
    assert frequencies.load("en") is not None
    (path,) = cache.glob("en-*.marshal")
    fmt, version, digest, _alphabet, _blobs = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((fmt, version, "0" * 64, "x", ["qxzvbogus"])))
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
