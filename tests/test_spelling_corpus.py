"""The spelling plugin on the real manuscripts, through the engine, as a user runs it.

No finding may cover markup (a command, math, a citation key, a URL, code); the French thesis is
judged in French, so without a French dictionary nothing is flagged there; real typos in the
corpus are still found.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from marginalia_spelling import SpellingPlugin
from marginalia_spelling.dictionaries import find_dictionary

from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine
from lsp_server.plugin import Finding, LoadedPlugins

LANGUAGE_IDS = {".tex": "latex", ".md": "markdown", ".qmd": "quarto"}
_BIB_KEY = re.compile(r"@\w+\s*[{(]\s*([^,\s{}()]+)\s*,")
_MARKUP = re.compile(r"\\[A-Za-z@]|\$|`|://|@|[{}\[\]]")


def manuscripts(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in LANGUAGE_IDS and p.parent != corpus and p.is_file())


def project_of(corpus: Path, path: Path) -> Path:
    return corpus / path.relative_to(corpus).parts[0]


def citation_keys(project: Path) -> set[str]:
    keys: set[str] = set()
    for bib in project.rglob("*.bib"):
        keys.update(_BIB_KEY.findall(bib.read_text(encoding="utf-8", errors="replace")))
    return keys


def check_project(project: Path, files: list[Path]) -> list[tuple[Path, ProseDocument, Finding]]:
    plugin = SpellingPlugin()
    docs = []
    for path in files:
        engine = Engine(project, loaded=LoadedPlugins({"spelling": plugin}, {}))
        docs.append((path, engine.parse(path.read_text(encoding="utf-8", errors="replace"), LANGUAGE_IDS[path.suffix], path.as_uri())))
        engine.shutdown()
    # A thesis declares its language once, in the preamble; every file of the project is in it.
    language = next((d.declared_language for _, d in docs if d.declared_language), None)
    engine = Engine(project, {"language": language} if language else None, loaded=LoadedPlugins({"spelling": plugin}, {}))
    try:
        return [(path, doc, f) for path, doc in docs for f in engine.check(doc, plugins=["spelling"]).findings]
    finally:
        engine.shutdown()


@pytest.fixture(scope="module")
def corpus_findings(corpus_dir: Path) -> dict[str, list[tuple[Path, ProseDocument, Finding]]]:
    by_project: dict[Path, list[Path]] = {}
    for path in manuscripts(corpus_dir):
        by_project.setdefault(project_of(corpus_dir, path), []).append(path)
    return {project.name: check_project(project, files) for project, files in by_project.items()}


@pytest.mark.slow
def test_no_finding_covers_markup(corpus_findings: dict[str, list[tuple[Path, ProseDocument, Finding]]], corpus_dir: Path) -> None:
    bad = []
    for name, found in corpus_findings.items():
        keys = citation_keys(corpus_dir / name)
        for path, doc, f in found:
            text = doc.source[f.start : f.end]
            if _MARKUP.search(text) or text in keys or not text.strip():
                bad.append(f"{path.name}:{f.start}: {text!r}")
    assert bad == []


@pytest.mark.slow
def test_french_thesis_without_french_dictionary_flags_nothing(corpus_findings: dict[str, list[tuple[Path, ProseDocument, Finding]]]) -> None:
    found = corpus_findings["fr-thesis-qeole"]
    if find_dictionary("fr") is None:
        assert found == []
    else:  # a French dictionary is installed: then French words are judged in French
        assert all(f.data and f.data.get("language", "").startswith("fr") for _, _, f in found)


@pytest.mark.slow
def test_real_typos_in_the_corpus_are_found(corpus_findings: dict[str, list[tuple[Path, ProseDocument, Finding]]]) -> None:
    words = {doc.source[f.start : f.end] for _, doc, f in corpus_findings["quarto-paper-marwick"]}
    assert {"charater", "quantiative", "assembalge", "radiocabon"} <= words
    celerite = {doc.source[f.start : f.end] for _, doc, f in corpus_findings["celerite-paper"]}
    assert "asteoreseismic" in celerite
    # Technical vocabulary and British spellings of derived words are not alarms.
    everything = {doc.source[f.start : f.end] for found in corpus_findings.values() for _, doc, f in found}
    assert not everything & {"excitatory", "reimplementation", "conductances", "univariate", "changelog"}
