"""Real manuscripts through the engine with the style plugin: no finding ever covers markup,
every finding lies inside one chunk, and French chapters get none."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_location import covers_markup, manuscripts
from marginalia_style import StylePlugin

from lsp_server.documents import language_for_path
from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine
from lsp_server.plugin import Finding, LoadedPlugins


@pytest.fixture(scope="module")
def engine() -> Engine:
    # English whatever the document declares: every chunk that looks English is checked (the strictest case).
    return Engine(None, {"language": "en-US"}, loaded=LoadedPlugins({"style": StylePlugin()}, {}))


def _check(engine: Engine, corpus_dir: Path, rel: str) -> tuple[ProseDocument, list[Finding]]:
    path = corpus_dir / rel
    doc = engine.parse(path.read_text(encoding="utf-8", errors="replace"), language_for_path(path) or "plaintext", path.as_uri())
    return doc, engine.check(doc, ["style"]).findings


@pytest.mark.parametrize("rel", manuscripts())
def test_style_findings_never_cover_markup(engine: Engine, corpus_dir: Path, rel: str) -> None:
    doc, findings = _check(engine, corpus_dir, rel)
    bad = []
    for f in findings:
        chunk = doc.chunk_at(f.start)
        if chunk is None or f.end > chunk.src_end or covers_markup(chunk, f):
            bad.append((f.rule, doc.source[f.start : f.end]))
    assert not bad, f"{rel}: style findings over markup: {bad[:5]}"


def test_french_thesis_chapters_get_no_findings(engine: Engine, corpus_dir: Path) -> None:
    found: list[str] = []
    for rel in ("fr-thesis-qeole/src/Main/Intro/intro.tex", "fr-thesis-qeole/src/Main/SelecAleatoire/methode.tex"):
        _, findings = _check(engine, corpus_dir, rel)
        found.extend(f.rule for f in findings)
    assert found == []


def test_the_corpus_gives_findings_of_most_rules(engine: Engine, corpus_dir: Path) -> None:
    """A guard against a rule silently matching nothing on real text."""
    rules: set[str] = set()
    for rel in ("good-enough-practices/good-enough-practices-for-scientific-computing.tex", "celerite-paper/paper/ms.tex", "rescience-pr24-rostami/article/VRostami_JIto_MDenker_SGruen_2016.md"):
        rules.update(f.rule for f in _check(engine, corpus_dir, rel)[1])
    assert {"style.long-sentence", "style.passive-voice", "style.wordy-phrase", "style.weasel-words", "style.inconsistent-variant"} <= rules
