"""Every real Markdown/Quarto manuscript in the corpus: no markup leaks into verbatim prose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_markdown_contract import assert_exact

from lsp_server.documents import language_for_path
from lsp_server.documents.markdown import parse_markdown_unguarded
from lsp_server.documents.model import PieceKind, ProseDocument

# Markup that must never survive into a verbatim (TEXT) piece.
LEAKS = {
    "citation": re.compile(r"(?<![\w.+-])-?@(?:\{|[A-Za-z0-9_])"),
    "url": re.compile(r"https?://|\bwww\.\w"),
    "math": re.compile(r"\$\$|\$[^\s$](?:[^$]*[^\s$\\])?\$(?!\d)"),
    "html tag": re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*)?/?>"),
}
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.MULTILINE)


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".md", ".qmd", ".rmd") and p.is_file())


def fenced_spans(source: str) -> list[tuple[int, int]]:
    """Inner spans of ``` / ~~~ fenced blocks, found independently of the parser."""
    spans: list[tuple[int, int]] = []
    open_marker: str | None = None
    opened_at = 0
    for m in _FENCE.finditer(source):
        marker = m.group(1)
        line_end = source.find("\n", m.end())
        line_end = len(source) if line_end < 0 else line_end
        if open_marker is None:
            open_marker, opened_at = marker, line_end
        elif marker[0] == open_marker[0] and len(marker) >= len(open_marker) and not source[m.end() : line_end].strip():
            spans.append((opened_at, m.start()))
            open_marker = None
    return spans


def parse_file(path: Path) -> ProseDocument:
    flavor = language_for_path(path) or "markdown"
    doc = parse_markdown_unguarded(path.read_text(encoding="utf-8"), path.as_uri(), 1, flavor)
    assert_exact(doc)
    return doc


def test_corpus_has_markdown(corpus_dir: Path) -> None:
    names = {p.name for p in corpus_files(corpus_dir)}
    assert {"article.md", "paper.qmd", "options.md", "index.md"} <= names


def test_no_markup_leaks_into_prose(corpus_dir: Path) -> None:
    checked = 0
    for path in corpus_files(corpus_dir):
        doc = parse_file(path)
        assert doc.markup_notes == (), (path, doc.markup_notes)
        fences = fenced_spans(doc.source)
        for chunk in doc.chunks:
            for piece in chunk.pieces:
                if piece.kind is not PieceKind.TEXT:
                    continue
                text = chunk.text[piece.prose_start : piece.prose_end]
                for what, pattern in LEAKS.items():
                    m = pattern.search(text)
                    assert m is None, f"{path.name}: {what} in prose: {text[max(0, m.start() - 30) : m.end() + 30]!r}"
                line_start = doc.source.rfind("\n", 0, piece.src_start) + 1
                if doc.source[line_start : piece.src_start].lstrip().startswith("#|"):
                    continue  # a Quarto chunk caption: the one prose line inside code
                for start, end in fences:
                    assert piece.src_end <= start or piece.src_start >= end, f"{path.name}: code fence content in prose"
        checked += len(doc.chunks)
    assert checked > 1000


@pytest.mark.parametrize(
    ("name", "bibliographies", "citations", "crossrefs", "title"),
    [
        (
            "rescience-pr18-maksimov/article/article.md",
            ["article.bib"],
            18,
            47,
            "Cellular and Network Mechanisms of Slow Oscillatory Activity (<1 Hz)\nand Wave Propagations in a Cortical Network Model",
        ),
        (
            "rescience-pr24-rostami/article/VRostami_JIto_MDenker_SGruen_2016.md",
            ["VRostami_JIto_MDenker_SGruen_2016.bib"],
            66,
            24,
            "Spike Synchronization and Rate Modulation Differentially Involved in\nMotor Cortical Function",
        ),
        (
            "quarto-paper-marwick/analysis/paper/paper.qmd",
            ["references.bib"],
            22,
            11,
            "Mau A: A brief but intensively occupied Late Pleistocene open-air site on the Red River, northern Vietnam",
        ),
    ],
)
def test_papers_metadata_and_references(
    corpus_dir: Path, name: str, bibliographies: list[str], citations: int, crossrefs: int, title: str
) -> None:
    doc = parse_file(corpus_dir / name)
    assert doc.meta["bibliographies"] == bibliographies
    cites = doc.meta["citations"]
    xrefs = doc.meta["crossrefs"]
    assert isinstance(cites, list) and isinstance(xrefs, list)
    assert (len(cites), len(xrefs)) == (citations, crossrefs)
    for key, start, end, _ in cites:
        assert not key.startswith(("fig-", "fig:", "tbl", "eq:", "sec")), key
        assert key in doc.source[start:end]
    assert doc.chunks[0].role == "heading"
    assert doc.chunks[0].text == title


def test_bom_paper_starts_with_its_title(corpus_dir: Path) -> None:
    source = (corpus_dir / "rescience-pr18-maksimov/article/article.md").read_text(encoding="utf-8")
    assert source.startswith("\ufeff")
    doc = parse_file(corpus_dir / "rescience-pr18-maksimov/article/article.md")
    title = doc.chunks[0]
    s, _ = title.to_source(0, 8)
    assert source[s : s + 8] == "Cellular"


def test_quarto_figure_captions_and_inline_r(corpus_dir: Path) -> None:
    doc = parse_file(corpus_dir / "quarto-paper-marwick/analysis/paper/paper.qmd")
    captions = [c.text for c in doc.chunks if c.role == "caption"]
    assert any(c.startswith("Site plan of the Mau A excavation.") for c in captions)
    keywords = next(c for c in doc.chunks if c.text.startswith("Keywords:"))
    assert [p.kind for p in keywords.placeholders()] == [PieceKind.CODE]


def test_docusaurus_admonitions_are_checked(corpus_dir: Path) -> None:
    doc = parse_file(corpus_dir / "md-docs-prettier/docs/options.md")
    texts = [c.text for c in doc.chunks]
    assert "For readability we recommend against using more than 80 characters:" in texts
    rationale = parse_file(corpus_dir / "md-docs-prettier/docs/rationale.md")
    assert ("heading", "A note on formatting reversibility") in [(c.role, c.text) for c in rationale.chunks]
