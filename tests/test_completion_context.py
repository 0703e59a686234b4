"""Where completion is offered and what the model sees (no model needed)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marginalia_completion.context import extract, finish

from lsp_server.documents import parse_document
from lsp_server.documents.model import ProseDocument


def words(text: str) -> int:
    return len(text.split())


def ctx_at(source: str, marker: str, language: str = "latex", **kw: object):  # type: ignore[no-untyped-def]
    offset = source.index(marker)
    doc = parse_document(source.replace(marker, ""), language)
    return extract(doc, offset, before_tokens=kw.pop("before", 200), after_tokens=kw.pop("after", 50), count_tokens=words, **kw)  # type: ignore[arg-type]


def test_prose_before_and_after_the_cursor_with_placeholders_for_markup() -> None:
    c, why = ctx_at(r"We fit $y = mx$ to the data \cite{smith} and |find the slope." + "\n", "|")
    assert why is None and c is not None
    assert c.prefix == "We fit Y to the data [1] and "
    assert c.suffix.startswith("find the slope.")
    assert c.partial == ""


def test_earlier_paragraphs_are_included_within_the_budget() -> None:
    src = "First paragraph has six words here.\n\nSecond one, the current: |\n"
    c, _ = ctx_at(src, "|")
    assert c is not None and c.prefix == "First paragraph has six words here.\n\nSecond one, the current: "
    c, _ = ctx_at(src, "|", before=5)
    assert c is not None and words(c.prefix) <= 5 and c.prefix.endswith("the current: ")


def test_trailing_blank_at_the_end_of_a_paragraph_is_prose_being_typed() -> None:
    c, why = ctx_at("The quick brown |", "|", "plaintext")
    assert why is None and c is not None and c.prefix == "The quick brown "


@pytest.mark.parametrize(
    ("source", "language", "reason"),
    [
        (r"Let $x + |y$ be given.", "latex", "math"),
        (r"Let $x + |", "latex", "math"),
        (r"As shown in \cite{smi|th} we", "latex", "citation"),
        (r"As shown in \cite{smi|", "latex", "citation"),
        (r"See \ref{fig:|a}.", "latex", "citation"),
        (r"This is \empha|", "latex", "command"),
        (r"This is \|", "latex", "command"),
        ("\\begin{equation}\n  a = b |\n\\end{equation}\n", "latex", None),
        ("Run `pip ins|tall x` now.", "markdown", "code"),
        ("Run `pip |", "markdown", "code"),
        ("As [@smith2020; @jo|", "markdown", "citation"),
        ("As @smi|", "markdown", "citation"),
        ("A [link](https://exa|", "markdown", "citation"),
        ("```python\nprint(1) |\n```\n", "markdown", None),
        ("Math $a + |b$ here.", "markdown", "math"),
        ("A word in the mid|dle.", "plaintext", "in the middle of a word"),
    ],
)
def test_never_inside_math_code_commands_or_keys(source: str, language: str, reason: str | None) -> None:
    c, why = ctx_at(source, "|", language)
    assert c is None
    if reason is not None:
        assert why == reason


def test_allow_in_math_opts_back_in() -> None:
    c, why = ctx_at(r"Let $x + |y$ be given.", "|", allow_in=frozenset({"math"}))
    assert why is None and c is not None


def test_out_of_range_offsets_are_refused() -> None:
    doc = parse_document("Some text.", "plaintext")
    assert extract(doc, 99, before_tokens=10, after_tokens=10, count_tokens=words) == (None, "outside the document")
    assert extract(doc, -1, before_tokens=10, after_tokens=10, count_tokens=words) == (None, "outside the document")


def test_partial_word_is_reported_for_completion_items() -> None:
    c, _ = ctx_at("The quick bro|", "|", "plaintext")
    assert c is not None and c.partial == "bro"


@pytest.mark.parametrize(
    ("raw", "prefix", "complete", "expected"),
    [
        (" fox jumps. The dog", "The quick brown", False, " fox jumps."),
        (" fox jumps over the la", "The quick brown", False, " fox jumps over the"),
        (" fox jumps over the lazy dog", "The quick brown", True, " fox jumps over the lazy dog"),
        (" fox\n\nNew paragraph", "The quick brown", True, " fox"),
        (" fox", "The quick brown ", True, "fox"),
        ("e.g. this and that. More", "For example, ", True, "e.g. this and that."),
    ],
)
def test_finish_stops_at_the_sentence_end_and_keeps_whole_words(raw: str, prefix: str, complete: bool, expected: str) -> None:
    assert finish(raw, prefix, stop_at="sentence", complete=complete) == expected


def test_finish_in_paragraph_mode_keeps_several_sentences() -> None:
    assert finish(" One. Two.\n\nThree", "x", stop_at="paragraph", complete=True) == " One. Two."


def _corpus_docs(corpus: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(corpus.glob("**/*.tex"))[:6] + sorted(corpus.glob("**/*.md"))[:6]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if len(text) < 200_000:
            out.append((text, "latex" if path.suffix == ".tex" else "markdown"))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_on_real_manuscripts_a_context_is_never_given_inside_math_or_code(corpus_dir: Path, data: st.DataObject) -> None:
    if "docs" not in _DOCS:
        _DOCS["docs"] = [parse_document(t, lang) for t, lang in _corpus_docs(corpus_dir)]
    doc = data.draw(st.sampled_from(_DOCS["docs"]))
    offset = data.draw(st.integers(0, len(doc.source)))
    c, _why = extract(doc, offset, before_tokens=100, after_tokens=20, count_tokens=words)
    if c is None:
        return
    back = len(doc.source[:offset].rstrip(" \t"))
    chunk = doc.chunk_at(offset) or doc.chunk_at(back)
    assert chunk is not None
    for piece in chunk.placeholders():
        assert not piece.src_start < offset < piece.src_end, (piece, offset)
    assert doc.source.count("$", 0, offset) % 2 == 0 or doc.language_id != "latex" or "\\$" in doc.source[:offset]


_DOCS: dict[str, list[ProseDocument]] = {}


def test_the_window_start_holds_still_while_the_user_types() -> None:
    """Consecutive requests share their prompt prefix, so the model's cache of it is reused."""
    from marginalia_completion.context import _trim_left

    text = " ".join(f"Sentence {i} says something about the data." for i in range(40)) + " Now"
    starts = []
    for i in range(60):
        text += f" word{i}"
        window = _trim_left(text, 60, words)
        assert text.endswith(window) and 0 < words(window) <= 60
        starts.append(len(text) - len(window))
    # 60 words typed against a 60-word budget: the start moves a few times, by whole steps.
    moves = sum(1 for a, b in pairwise(starts) if a != b)
    assert 1 <= moves <= 8, moves  # trimming from the end moved it on 52 of the 60 words
    assert all(text[s - 1] == " " for s in starts)


@given(st.text(alphabet=st.sampled_from("ab .!\n"), max_size=400), st.integers(min_value=1, max_value=40))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_trim_left_keeps_a_tail_within_the_budget(text: str, budget: int) -> None:
    from marginalia_completion.context import _trim_left

    window = _trim_left(text, budget, words)
    assert text.endswith(window)
    assert words(window) <= budget
    if words(text) <= budget:
        assert window == text
