"""Writing statistics for ``marginalia lint --stats``: the numbers, the text and JSON forms, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from marginalia_style import stats

from lsp_server import cli
from lsp_server.documents import parse_document

TEXT = """# Title

The samples were measured twice. We fit a model to the data. It works.

Le modèle est très bon et nous avons mesuré les données dans la thèse.
"""


def test_counts_sentences_words_lengths_density_and_passive() -> None:
    doc = parse_document(TEXT, "markdown", "file:///a.md")
    s = stats.compute(doc, {"style.passive-voice": 1})
    # Three English sentences (5, 7 and 2 words) and one French sentence of 14 words; not the heading.
    assert (s.sentences, s.words, s.longest_sentence_words) == (4, 28, 14)
    assert s.mean_sentence_words == 7.0
    assert s.passive_voice_ratio == pytest.approx(1 / 3, abs=1e-3)  # English sentences only
    # Content words of the English prose: samples measured twice fit model data works (7 of 14).
    assert s.lexical_density == pytest.approx(0.5)
    assert s.findings_by_rule == {"style.passive-voice": 1}


def test_prose_in_another_language_has_no_english_measures() -> None:
    doc = parse_document("Le modèle est très bon et nous avons mesuré les données.\n", "markdown", "file:///fr.md")
    s = stats.compute(doc)
    assert s.sentences == 1 and s.lexical_density is None and s.passive_voice_ratio is None
    assert "n/a (not English)" in stats.render([doc])


def test_text_and_json_forms() -> None:
    doc = parse_document(TEXT, "markdown", "file:///a.md")
    text = stats.render([doc], [{"style.long-sentence": 2, "style.passive-voice": 5}])
    assert "sentences: 4, words: 28" in text
    assert text.index("style.passive-voice: 5") < text.index("style.long-sentence: 2")  # most frequent first
    data = json.loads(stats.render([doc], [{}], "json"))
    (entry,) = data["files"]
    assert entry["stats"]["sentences"] == 4 and entry["stats"]["findings_by_rule"] == {}
    assert stats.render([], []) == ""


def test_empty_document() -> None:
    s = stats.compute(parse_document("", "markdown", "file:///e.md"))
    assert (s.sentences, s.words, s.mean_sentence_words, s.longest_sentence_words) == (0, 0, 0.0, 0)


def test_lint_stats_prints_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("We did it in order to test it. The samples were measured.\n", encoding="utf-8")
    code = cli.main(["lint", "--plugins", "style", "--stats", "a.md"])
    out = capsys.readouterr().out
    assert code == 0  # style findings are hints and infos: they never fail a run
    assert "a.md:\n  sentences: 2, words: 12" in out
    assert "style.wordy-phrase: 1" in out and "style.passive-voice: 1" in out
    assert "passive voice: 50.0 % of sentences" in out


def test_lint_json_stats_is_one_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text("We did it in order to test it. The samples were measured.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("One short sentence.\n", encoding="utf-8")
    (tmp_path / "c.md").write_bytes(b"\xff\xfe\x00binary")
    code = cli.main(["lint", "--plugins", "style", "--stats", "--format", "json", "a.md", "b.md", "c.md"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)  # stdout holds exactly one JSON document
    assert "sentences:" not in captured.err
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path["a.md"]["stats"]["sentences"] == 2
    assert by_path["a.md"]["stats"]["findings_by_rule"] == {"style.passive-voice": 1, "style.wordy-phrase": 1}
    assert by_path["b.md"]["stats"]["words"] == 3 and by_path["b.md"]["findings"] == []
    assert "stats" not in by_path.get("c.md", {})  # unreadable: reported as an error, no statistics
    assert code == 2
