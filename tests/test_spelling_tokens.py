"""The spelling tokenizer: which strings are prose words and which are not."""

from __future__ import annotations

import pytest
from marginalia_spelling.tokens import is_all_caps, is_mixed_case, is_shifted_capital, iter_words, opens_sentence


def words(text: str) -> list[str]:
    return [w.text for w in iter_words(text)]


@pytest.mark.parametrize(
    "text",
    [
        "https://example.org/wrold",
        "www.wrold.com",
        "mail wrold@example.org",
        "10km 3.5GHz 2nd 1990s mp3 H2O COVID-19",
        "snake_case wrold_x",
        "see foo.py and README.md, e.g. i.e.",
        "./a/wrold ../up ~/home /usr/share src/wrold_v2/x",
        "print(x) a=b `code` $x$ #tag",
    ],
)
def test_non_prose_tokens_give_no_words(text: str) -> None:
    assert not [w for w in words(text) if w not in ("see", "and", "mail")]


def test_words_keep_apostrophes_and_hyphens_and_drop_quotes() -> None:
    assert words("'Don't' state-of-the-art (students') “naïve” and/or word(s).") == [
        "Don't", "state-of-the-art", "students", "naïve", "and", "or", "word",
    ]


def test_cjk_and_emoji_are_not_split_into_latin_garbage() -> None:
    ws = list(iter_words("日本語のテキスト 😀 wrold"))
    assert ws[-1].text == "wrold"
    assert all("😀" not in w.text for w in ws)


def test_offsets_and_sentence_starts() -> None:
    text = "Teh end. Wrold (Said) here: Ok. J. Kitzes et al. Smith"
    ws = list(iter_words(text))
    assert [(text[w.start : w.end], opens_sentence(text, w.start)) for w in ws] == [
        ("Teh", True), ("end", False), ("Wrold", True), ("Said", False), ("here", False), ("Ok", True),
        ("J", True), ("Kitzes", False), ("et", False), ("al", False), ("Smith", False),
    ]


def test_case_classes() -> None:
    assert is_all_caps("NASA") and is_all_caps("GPUs") and is_all_caps("GPU's")
    assert not is_all_caps("Gpus")
    assert is_mixed_case("camelCase") and is_mixed_case("PyTorch") and is_mixed_case("LaTeX")
    assert not is_mixed_case("GPUs") and not is_mixed_case("Hello")
    assert is_shifted_capital("THe") and not is_shifted_capital("The")
