"""The style plugin through the engine: document rules across paragraphs, the per-chunk
facts cache, language and role guards, settings (severity, thresholds, disabled rules)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from marginalia_style import DOCUMENT_RULES, StylePlugin
from marginalia_style.facts import DocumentFacts
from marginalia_style.prose import StyleText
from marginalia_style.rules.base import DocumentRule, Located
from marginalia_style.settings import StyleSettings

from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, LoadedPlugins, Severity

PAPER = """# Methods

The GPU code runs every night. We chose the colour scheme with care.

A graphics processing unit (GPU) does the work. The colour bar is on the right.

We modelled the noise, and the color of the noise is white. The colour map is new.
"""


def _engine(**settings: object) -> Engine:
    return Engine(None, dict(settings), loaded=LoadedPlugins({"style": StylePlugin()}, {}))


def _rules(engine: Engine, text: str, language_id: str = "markdown") -> list[tuple[str, str, tuple[str, ...]]]:
    doc = engine.parse(text, language_id, "file:///paper.md")
    return [(f.rule, text[f.start : f.end], f.replacements) for f in engine.check(doc).findings]


def test_document_rules_read_across_paragraphs() -> None:
    found = _rules(_engine(), PAPER)
    assert ("style.acronym-before-definition", "GPU", ("graphics processing unit (GPU)",)) in found
    assert ("style.inconsistent-variant", "color", ("colour",)) in found
    assert not [f for f in found if f[0] == "style.inconsistent-variant" and f[1] != "color"]


def test_an_edit_rereads_one_paragraph_only() -> None:
    plugin = StylePlugin()
    engine = Engine(None, {}, loaded=LoadedPlugins({"style": plugin}, {}))
    engine.check(engine.parse(PAPER, "markdown", "file:///p.md"))
    misses = plugin.facts.misses
    edited = PAPER.replace("with care", "with great care")
    result = engine.check(engine.parse(edited, "markdown", "file:///p.md", 2))
    assert plugin.facts.misses == misses + 1
    assert result.checked_chunks["style"] == 1
    # Swapping the majority: two "color" now, so "colour" is the odd one out.
    flipped = edited.replace("The colour bar", "The color bar").replace("The colour map", "The color map")
    found = _rules(engine, flipped)
    assert [(r, t, fix) for r, t, fix in found if r == "style.inconsistent-variant"] == [("style.inconsistent-variant", "colour", ("color",))]


def _count_document_rule_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Wrap every document rule so each run appends its id to the returned list."""
    runs: list[str] = []

    def counting(rule: DocumentRule) -> DocumentRule:
        def report(chunks: DocumentFacts, settings: StyleSettings) -> Iterator[Located]:
            runs.append(rule.id)
            return rule.report(chunks, settings)

        return dataclasses.replace(rule, report=report)

    monkeypatch.setattr("marginalia_style.plugin.DOCUMENT_RULES", tuple(counting(r) for r in DOCUMENT_RULES))
    return runs


def test_document_rules_rerun_only_when_their_facts_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits reuse the document rules' last matches unless a paragraph's facts changed, and the
    findings always equal those of a fresh plugin (moved paragraphs, flipped majority, new acronym)."""
    runs = _count_document_rule_runs(monkeypatch)
    engine = _engine()
    edited = PAPER.replace("with care", "with great care")
    versions = [
        (PAPER, 1),
        (edited, 0),  # no variant spelling or acronym in that paragraph: nothing to re-run
        ("Intro text.\n\n" + edited, 0),  # every paragraph moves, none changes its facts
        (edited.replace("The colour bar", "The color bar").replace("The colour map", "The color map"), 1),  # majority flips
        (PAPER.replace("The GPU code runs", "The TPU code runs"), 1),
    ]
    for version, (text, expected_runs) in enumerate(versions):
        runs.clear()
        doc = engine.parse(text, "markdown", "file:///p.md", version)
        incremental = sorted((f.start, f.end, f.rule, f.message, f.replacements) for f in engine.check(doc).findings)
        assert runs.count("inconsistent-variant") == expected_runs, text
        fresh_engine = _engine()
        fresh_doc = fresh_engine.parse(text, "markdown", "file:///p.md")
        fresh = sorted((f.start, f.end, f.rule, f.message, f.replacements) for f in fresh_engine.check(fresh_doc).findings)
        assert incremental == fresh, text
        assert any(r == "style.inconsistent-variant" for _, _, r, _, _ in incremental)


def test_two_open_documents_keep_their_own_document_rule_results(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _count_document_rule_runs(monkeypatch)
    engine = _engine()
    other = PAPER.replace("colour", "color")
    for version in range(3):  # switching between two files
        engine.check(engine.parse(PAPER, "markdown", "file:///a.md", version))
        engine.check(engine.parse(other, "markdown", "file:///b.md", version))
    assert runs.count("inconsistent-variant") == 2  # once per file, then reused
    found = _rules(engine, PAPER)
    assert ("style.inconsistent-variant", "color", ("colour",)) in found


def test_only_english_is_checked() -> None:
    engine = _engine(language="fr-FR")
    assert _rules(engine, "Le code est très rapide. It is very unique.\n") == []
    # An English document with a French paragraph: the French one is skipped.
    french = "Nous avons mesuré la couleur et le modèle dans les données de la thèse.\n\nIt is a very unique result.\n"
    assert [r for r, _, _ in _rules(_engine(), french)] == ["style.intensified-absolute"]


def test_findings_never_cover_markup() -> None:
    text = r"In order to fit \cite{x} we ran \textbf{a very unique} model on $x$ which was computed in order to\footnote{y} test it."
    found = _rules(_engine(), text, "latex")
    for rule, covered, _ in found:
        assert "\\" not in covered and "$" not in covered, (rule, covered)
    assert ("style.wordy-phrase", "In order to", ("To",)) in found
    assert ("style.intensified-absolute", "very unique", ("unique",)) in found


def test_severity_threshold_and_disabled_rules_come_from_settings() -> None:
    text = "The samples were measured by a team that worked every night of the summer on the roof.\n"
    default = _engine()
    doc = default.parse(text, "markdown", "file:///a.md")
    (passive,) = [f for f in default.check(doc).findings if f.rule == "style.passive-voice"]
    assert passive.severity is Severity.HINT
    tuned = _engine(style={"severity": {"passive-voice": "warning"}, "long_sentence_words": 10})
    findings = tuned.check(tuned.parse(text, "markdown", "file:///a.md")).findings
    assert {f.rule: f.severity for f in findings} == {"style.passive-voice": Severity.WARNING, "style.long-sentence": Severity.INFO}
    off = _engine(disabled_rules=["style.passive-voice", "style.acronym-before-definition"])
    assert _rules(off, text) == []
    assert [r for r, _, _ in _rules(off, PAPER)] == ["style.inconsistent-variant"]


def test_bad_settings_fall_back_to_defaults() -> None:
    engine = _engine(style={"long_sentence_words": -3, "severity": {"passive-voice": "loud"}})
    settings = engine.settings.for_plugin("style")
    assert settings.long_sentence_words == StyleSettings().long_sentence_words
    assert any("long_sentence_words" in m for m in engine.settings.messages)
    doc = engine.parse("The samples were measured.\n", "markdown", "file:///a.md")
    (f,) = engine.check(doc).findings
    assert f.severity is Severity.HINT  # "loud" is not a severity: the rule's default stays


def test_headings_and_tables_are_not_judged_as_sentences() -> None:
    found = _rules(_engine(style={"long_sentence_words": 5}), "# A very long heading that was written in order to test\n\n| a | b |\n|---|---|\n| it was done in order to | x |\n")
    assert found == []


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("We ran it, e.g. on Monday. Then we stopped.", ["We ran it, e.g. on Monday.", "Then we stopped."]),
        ("See Fig. 3 and Smith et al. for this. It works!", ["See Fig. 3 and Smith et al. for this.", "It works!"]),
        ("J. R. R. Tolkien wrote it. Done.", ["J. R. R. Tolkien wrote it.", "Done."]),
        ("Is it? Yes.", ["Is it?", "Yes."]),
    ],
)
def test_sentences(text: str, sentences: list[str]) -> None:
    doc = _engine().parse(text, "markdown", "file:///s.md")
    view = StyleText(doc.chunks[0])
    assert [view.text[s.start : s.end] for s in view.sentences] == sentences


def test_plugin_without_context_settings_uses_defaults() -> None:
    doc = _engine().parse("It is a very unique result.\n", "markdown", "file:///a.md")
    plugin = StylePlugin()
    found = list(plugin.check_chunk(doc.chunks[0], CheckContext(settings=None)))
    assert [f.rule for f in found] == ["style.intensified-absolute"]
    assert plugin.status()[0]


def test_a_huge_paragraph_and_garbage_are_handled_in_linear_time() -> None:
    import time

    from marginalia_style import stats

    sentence = ("Clearly the colour model was very carefully computed in order to fit $x$ with the GPU and "
                "the color data set, which is a very unique and important result of the important dataset ")
    huge = (sentence * 40 + ". ") * 50  # one paragraph, ~35k words, sentences of ~1000 words
    garbage = "\x00\ufffd((( ))) A (B) ``'' “ ” $ \\ ... ?!?! " * 2000
    engine = _engine()
    t0 = time.process_time()
    for text in (huge, garbage):
        doc = engine.parse(text, "latex", "file:///huge.tex")
        findings = engine.check(doc).findings
        assert all(0 <= f.start <= f.end <= len(text) for f in findings)
        assert stats.compute(doc).words >= 0
    assert time.process_time() - t0 < 15  # quadratic code would take minutes here


def test_tokens_agree_with_the_grammar_rules(corpus_dir: Path) -> None:
    """Both plugins agree on words and placeholders: they read one shared token list per chunk."""
    from marginalia_grammar_rules.text import ChunkText

    path = corpus_dir / "celerite-paper/paper/ms.tex"
    doc = _engine().parse(path.read_text(encoding="utf-8"), "latex", path.as_uri())
    for chunk in doc.chunks:
        ours, theirs = StyleText(chunk).tokens, ChunkText(chunk).tokens
        assert ours is theirs
        assert StyleText(chunk).lowers == [t.text.lower() for t in theirs]
