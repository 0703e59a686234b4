"""Every real manuscript in the corpus parses into clean prose with an exact offset map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lsp_server.documents.latex import parse_latex
from lsp_server.documents.latex_offsets import offset_map_problems
from lsp_server.documents.model import PieceKind, ProseDocument

_CITE_KEYS = re.compile(r"\\[A-Za-z]*cite[a-zA-Z]*\*?(?:\s*\[[^\]]*\])*\s*\{([^{}]*)\}")


def _tex_files(corpus: Path) -> list[Path]:
    files = sorted(corpus.rglob("*.tex"))
    assert len(files) >= 50, "the corpus should hold the LaTeX manuscripts"
    return files


def _parse(path: Path) -> ProseDocument:
    return parse_latex(path.read_text(encoding="utf-8"), path.as_uri(), None, cache=False)


def test_every_corpus_file_keeps_the_offset_map(corpus_dir: Path) -> None:
    for path in _tex_files(corpus_dir):
        doc = _parse(path)
        assert offset_map_problems(doc) == [], path


def test_no_markup_leaks_into_verbatim_prose(corpus_dir: Path) -> None:
    leaks: list[str] = []
    for path in _tex_files(corpus_dir):
        doc = _parse(path)
        keys = {
            k.strip() for m in _CITE_KEYS.finditer(doc.source) for k in m.group(1).split(",") if len(k.strip()) >= 3
        }
        key_pattern = re.compile("|".join(rf"(?<!\w){re.escape(k)}(?!\w)" for k in sorted(keys))) if keys else None
        for chunk in doc.chunks:
            for p in chunk.pieces:
                if p.kind is not PieceKind.TEXT:
                    continue
                text = chunk.text[p.prose_start : p.prose_end]
                if re.search(r"\\[A-Za-z]", text) or "$" in text or "\\" in text or "{" in text or "}" in text:
                    leaks.append(f"{path.name}: markup {text!r}")
                elif key_pattern is not None and key_pattern.search(text):
                    leaks.append(f"{path.name}: citation key in {text!r}")
    assert leaks == []


def test_well_formed_corpus_files_get_no_markup_notes(corpus_dir: Path) -> None:
    noted = {str(path.relative_to(corpus_dir)): _parse(path).markup_notes for path in _tex_files(corpus_dir)}
    assert {k: v for k, v in noted.items() if v} == {}


def test_celerite_reads_as_a_paper(corpus_dir: Path) -> None:
    doc = _parse(corpus_dir / "celerite-paper" / "paper" / "ms.tex")
    headings = [" ".join(c.text.split()) for c in doc.chunks if c.role == "heading"]
    assert headings[:3] == [
        "Fast and scalable Gaussian process modeling with applications to astronomical time series",
        "Introduction",
        "Gaussian processes",
    ]
    prose = " ".join(doc.prose.split())
    # Document macros: \etal, \Sect{...}, \celerite read as their expansions.
    assert "this novel algorithm exploits the semiseparable structure" in prose
    assert "we discuss these comparisons in Section 1" in prose
    assert "Gaussian Processes [1] have been used" in prose
    assert sum(c.role == "footnote" for c in doc.chunks) >= 3
    assert sum(c.role == "caption" for c in doc.chunks) >= 5
    assert doc.meta["bibliographies"] == ["celerite"]
    assert ("include", "vc") in [(cmd, target) for cmd, target, _, _ in doc.meta["includes"]]  # type: ignore[attr-defined]


def test_french_thesis_language_and_prose(corpus_dir: Path) -> None:
    src = corpus_dir / "fr-thesis-qeole" / "src"
    assert _parse(src / "Preamble" / "packages.tex").declared_language == "fr"
    doc = _parse(src / "Main" / "EdA" / "dos_attacks.tex")
    assert doc.chunks[0].role == "heading" and doc.chunks[0].text == "Différents types d'attaques"
    assert "La couche physique du réseau correspond au médium physique" in " ".join(doc.prose.split())
    assert "Brouillage «intelligent»: corruption des trames de contrôle" in [
        c.text for c in doc.chunks if c.role == "caption"
    ]


@pytest.mark.parametrize("name", ["good-enough-practices/good-enough-practices-for-scientific-computing.tex"])
def test_description_items_and_practice_macros(corpus_dir: Path, name: str) -> None:
    doc = _parse(corpus_dir / name)
    texts = [c.text for c in doc.chunks]
    assert any(t.startswith("Branches: A branch is") for t in texts)
    assert "Data Management" in [c.text for c in doc.chunks if c.role == "heading"]
