"""Placeholder protection: markup survives every rewrite, or the rewrite is rejected.

The property tests run on real paragraphs from ../shared/corpus: each is
masked, a simulated model edits it (keeping, losing or altering markers), and
unmasking must restore kept markup exactly and repair or reject the rest,
never return text with markup silently lost or changed.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from marginalia_rewrite.protect import MARKER, Masked, RewriteRejected, mask, parser_spans, unmask

from lsp_server.documents import parse_document

WORDS = st.sampled_from(["the", "a", "results", "method", "we", "show", "clearly", "data", "model", "is", "of"])


def _paragraphs(corpus: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    files = sorted(corpus.glob("*/**/*.tex")) + sorted(corpus.glob("*/**/*.md"))
    for path in files:
        lang = "latex" if path.suffix == ".tex" else "markdown"
        text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        for para in re.split(r"\n\s*\n", text):
            para = para.strip()
            if 80 <= len(para) <= 1500 and len(re.findall(r"[A-Za-z]{3,}", para)) >= 10 and "⟦" not in para:
                m = mask(para, lang)
                if m.tokens:
                    out.append((para, lang))
    return out


_CACHE: dict[str, list[tuple[str, str]]] = {}


def paragraphs(corpus: Path) -> list[tuple[str, str]]:
    if "p" not in _CACHE:
        _CACHE["p"] = _paragraphs(corpus)
    return _CACHE["p"]


def restore(m: Masked, text: str) -> str:
    return MARKER.sub(lambda x: m.tokens[int(x.group(1)) - 1], text)


def keeps_all_markup(m: Masked, result: str) -> bool:
    """Every protected token is still in the result at least as often as in the original."""
    need = Counter(m.tokens)
    return all(result.count(tok) >= n for tok, n in need.items())


# -- examples -----------------------------------------------------------------


def test_latex_markup_is_masked() -> None:
    m = mask(r"We fit $y = mx$ as in \cite{smith} and \emph{this}~\ref{fig:a}, 50\% of it.", "latex")
    assert m.text == "We fit ⟦1⟧ as in ⟦2⟧ and ⟦3⟧this⟦4⟧, 50⟦5⟧ of it."
    assert m.tokens == ("$y = mx$", r"\cite{smith}", r"\emph{", r"}~\ref{fig:a}", r"\%")


def test_markdown_markup_is_masked() -> None:
    m = mask("Run `make` and see [the docs](https://x.org) [@smith; @jones] **now**.", "markdown")
    assert m.text == "Run ⟦1⟧ and see ⟦2⟧the docs⟦3⟧ ⟦4⟧ ⟦5⟧now⟦6⟧."
    assert m.tokens[2] == "](https://x.org)" and m.tokens[3] == "[@smith; @jones]"


def test_plain_text_has_nothing_to_protect() -> None:
    assert mask("It costs $5 and $6.", "plaintext").tokens == ()


def test_kept_markers_restore_exactly() -> None:
    src = r"The model \cite{a} fits $x$ well."
    m = mask(src, "latex")
    assert unmask(m, m.text.replace("fits", "matches"), "latex").text == r"The model \cite{a} matches $x$ well."


def test_a_lost_marker_with_a_clear_place_is_reinserted() -> None:
    m = mask(r"As shown by \cite{smith} the fit is good.", "latex")
    out = unmask(m, "As demonstrated by the fit is excellent.", "latex")
    assert out.text == r"As demonstrated by \cite{smith} the fit is excellent."
    assert out.repairs


def test_a_lost_marker_without_a_clear_place_is_rejected() -> None:
    m = mask(r"We use $x$ here and $y$ there.", "latex")
    with pytest.raises(RewriteRejected, match=r"lost '\$x\$'"):
        unmask(m, "We use here and ⟦2⟧ there; we use here too.", "latex")


def test_invented_and_duplicated_markers_are_rejected() -> None:
    m = mask(r"Fit $x$ now.", "latex")
    with pytest.raises(RewriteRejected, match="invented"):
        unmask(m, "Fit ⟦1⟧ and ⟦2⟧ now.", "latex")
    with pytest.raises(RewriteRejected, match="repeated"):
        unmask(m, "Fit ⟦1⟧ and ⟦1⟧ now.", "latex")


def test_near_markers_are_normalised() -> None:
    m = mask(r"Fit $x$ now.", "latex")
    assert unmask(m, "Fit [[1]] today.", "latex").text == "Fit $x$ today."


def test_paired_markup_out_of_order_is_rejected_but_atoms_may_move() -> None:
    m = mask(r"See \emph{this} and $x$ with \cite{a}.", "latex")
    with pytest.raises(RewriteRejected, match="out of order"):
        unmask(m, "See ⟦2⟧this⟦1⟧ and ⟦3⟧ with ⟦4⟧.", "latex")
    assert unmask(m, "With ⟦4⟧, see ⟦1⟧this⟦2⟧ and ⟦3⟧.", "latex").text == r"With \cite{a}, see \emph{this} and $x$."


def test_markup_typed_by_the_model_is_rejected() -> None:
    m = mask(r"Fit $x$ now.", "latex")
    with pytest.raises(RewriteRejected, match="added markup"):
        unmask(m, r"Fit ⟦1⟧ and \textbf{now}.", "latex")
    with pytest.raises(RewriteRejected, match="added markup"):
        unmask(m, "Fit ⟦1⟧ at 50% now.", "latex")  # a raw % would comment out the rest of the line


def test_text_with_marker_characters_is_refused() -> None:
    with pytest.raises(RewriteRejected):
        mask("A ⟦1⟧ in the source.", "latex")


def test_parser_spans_protect_what_the_parser_dropped() -> None:
    src = "Intro \\textbf{bold} and \\mycmd{x} end.\n"
    doc = parse_document(src, "latex")
    spans = parser_spans(doc, 0, len(src))
    dropped = {src[s:e] for s, e in spans}
    assert any("\\textbf{" in d for d in dropped)


# -- properties on real manuscripts ------------------------------------------

PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPS
@given(data=st.data())
def test_identity_restores_every_real_paragraph_exactly(corpus_dir: Path, data: st.DataObject) -> None:
    para, lang = data.draw(st.sampled_from(paragraphs(corpus_dir)))
    m = mask(para, lang)
    assert unmask(m, m.text, lang).text == para


def _edit_words(masked: str, data: st.DataObject) -> str:
    """Replace some plain words (never markers) by others, as a rewrite would."""
    parts = re.split(r"(⟦\d+⟧)", masked)
    out = []
    for part in parts:
        if MARKER.fullmatch(part):
            out.append(part)
            continue
        words = re.split(r"(\s+)", part)
        for i, w in enumerate(words):
            if re.fullmatch(r"[A-Za-z]{3,}", w) and data.draw(st.booleans()):
                words[i] = data.draw(WORDS)
        out.append("".join(words))
    return "".join(out)


@PROPS
@given(data=st.data())
def test_word_edits_that_keep_markers_restore_all_markup(corpus_dir: Path, data: st.DataObject) -> None:
    para, lang = data.draw(st.sampled_from(paragraphs(corpus_dir)))
    m = mask(para, lang)
    edited = _edit_words(m.text, data)
    result = unmask(m, edited, lang)
    assert result.text == restore(m, edited)
    assert not result.repairs


@PROPS
@given(data=st.data())
def test_lost_markers_are_repaired_or_rejected_never_dropped(corpus_dir: Path, data: st.DataObject) -> None:
    para, lang = data.draw(st.sampled_from(paragraphs(corpus_dir)))
    m = mask(para, lang)
    edited = _edit_words(m.text, data)
    lose = data.draw(st.sets(st.integers(1, len(m.tokens)), min_size=1, max_size=min(3, len(m.tokens))))
    for n in lose:
        edited = edited.replace(f"⟦{n}⟧", "", 1)
    try:
        result = unmask(m, edited, lang)
    except RewriteRejected as exc:
        assert str(exc)
        return
    assert keeps_all_markup(m, result.text)
    assert result.repairs


@PROPS
@given(data=st.data())
def test_altered_markers_are_repaired_or_rejected(corpus_dir: Path, data: st.DataObject) -> None:
    para, lang = data.draw(st.sampled_from(paragraphs(corpus_dir)))
    m = mask(para, lang)
    n = data.draw(st.integers(1, len(m.tokens)))
    how = data.draw(st.sampled_from(["renumber", "duplicate", "brackets", "invent"]))
    marker = f"⟦{n}⟧"
    if how == "renumber":
        assume(len(m.tokens) > 1)
        other = data.draw(st.integers(1, len(m.tokens)).filter(lambda k: k != n))
        edited = m.text.replace(marker, f"⟦{other}⟧", 1)
    elif how == "duplicate":
        edited = m.text.replace(marker, marker + " " + marker, 1)
    elif how == "brackets":
        edited = m.text.replace(marker, f"[[{n}]]", 1)
    else:
        edited = m.text + f" ⟦{len(m.tokens) + 5}⟧"
    try:
        result = unmask(m, edited, lang)
    except RewriteRejected:
        assert how != "brackets"
        return
    assert how == "brackets"
    assert result.text == para  # the spelling was normalised: nothing else changed
