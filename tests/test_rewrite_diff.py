"""The rewrite's edit is the smallest single span, and applying it gives the rewrite."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from marginalia_rewrite.diffing import minimal_edit, word_changes


def apply(text: str, edit: tuple[int, int, str] | None) -> str:
    if edit is None:
        return text
    s, e, r = edit
    return text[:s] + r + text[e:]


def test_one_word_fix_touches_only_that_word() -> None:
    src = "We fit teh data well."
    assert minimal_edit(src, "We fit the data well.") == (8, 10, "he")
    assert apply(src, minimal_edit(src, "We fit the data well.")) == "We fit the data well."


def test_offsets_are_shifted_by_the_base() -> None:
    assert minimal_edit("ab", "ac", base=100) == (101, 102, "c")


def test_line_breaks_of_the_author_survive_outside_the_change() -> None:
    src = "The first line of text\nwraps here and teh second\nline ends."
    flat_fix = "The first line of text wraps here and the second line ends."
    edit = minimal_edit(src, flat_fix)
    assert apply(src, edit) == "The first line of text\nwraps here and the second\nline ends."


def test_whitespace_only_changes_are_no_edit() -> None:
    assert minimal_edit("a\nb c", "a b c") is None


def test_word_changes_split_separate_fixes() -> None:
    src = "Teh cat sat on teh mat."
    changes = word_changes(src, "The cat sat on the mat.")
    assert [(src[s:e], r) for s, e, r in changes] == [("Teh", "The"), ("teh", "the")]


TEXT = st.text(alphabet="ab .,x", max_size=40)


@given(TEXT, TEXT)
def test_applying_the_edit_gives_the_new_text_exactly(old: str, new: str) -> None:
    # With single spaces only, whitespace is never folded, so the result must be exact.
    old, new = re.sub(" +", " ", old), re.sub(" +", " ", new)
    edit = minimal_edit(old, new)
    assert apply(old, edit) == new


@given(TEXT, TEXT)
def test_the_edit_is_minimal(old: str, new: str) -> None:
    old, new = re.sub(" +", " ", old), re.sub(" +", " ", new)
    edit = minimal_edit(old, new)
    if edit is None:
        assert old == new
        return
    s, e, r = edit
    # Nothing outside [s, e) changed, and the span cannot shrink at either end.
    assert not (e > s and r and old[s] == r[0])
    assert not (e > s and r and old[e - 1] == r[-1])


@given(st.lists(st.sampled_from(["word", "other", "x"]), min_size=1, max_size=12), st.data())
def test_hard_wrapped_text_keeps_its_newlines_where_words_are_equal(words: list[str], data: st.DataObject) -> None:
    seps = [data.draw(st.sampled_from([" ", "\n"])) for _ in words[1:]]
    src = words[0] + "".join(s + w for s, w in zip(seps, words[1:], strict=True))
    i = data.draw(st.integers(0, len(words) - 1))
    new_words = list(words)
    new_words[i] = "changed"
    flat = " ".join(new_words)
    out = apply(src, minimal_edit(src, flat))
    # Only the word changed: every separator, newline or space, is the author's.
    assert out == new_words[0] + "".join(sep + w for sep, w in zip(seps, new_words[1:], strict=True))
