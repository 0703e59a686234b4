"""Where two versions of a text differ: prefix and suffix lengths, computed or told by the edit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lsp_server.text_diff import changed_span, common_prefix, common_suffix, note_edit


@given(a=st.text(alphabet="ab\n", max_size=40), b=st.text(alphabet="ab\n", max_size=40))
def test_common_prefix_and_suffix_agree_with_a_character_by_character_count(a: str, b: str) -> None:
    def naive_prefix(x: str, y: str) -> int:
        n = 0
        while n < min(len(x), len(y)) and x[n] == y[n]:
            n += 1
        return n

    for stride in (1, 3, 4096):
        p = common_prefix(a, b, stride)
        assert p == naive_prefix(a, b)
        limit = min(len(a), len(b)) - p
        assert common_suffix(a, b, limit, stride) == min(naive_prefix(a[::-1], b[::-1]), limit)


@given(a=st.text(alphabet="ab", max_size=20), b=st.text(alphabet="ab", max_size=20))
def test_changed_span_never_overlaps_and_bounds_the_change(a: str, b: str) -> None:
    prefix, suffix = changed_span(a, b)
    assert prefix + suffix <= min(len(a), len(b))
    assert a[:prefix] == b[:prefix]
    assert a[len(a) - suffix :] == b[len(b) - suffix :]


def test_an_edit_tells_its_span_without_a_comparison() -> None:
    old = "one two three"
    new = old[:4] + "TWO" + old[7:]
    note_edit(old, new, 4, 7)
    assert changed_span(old, new) == (4, 6)
    other = new + "!"
    assert changed_span(new, other) == (len(new), 0)  # not the noted pair: compared
