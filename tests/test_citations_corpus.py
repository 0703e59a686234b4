"""The citations plugin on the real manuscripts of ../shared/corpus, through the Engine.

Each manuscript is checked in place (the corpus is read-only; nothing is written).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from marginalia_citations import CitationsPlugin
from marginalia_citations.bibfile import BibCache
from marginalia_citations.cites import markdown_citations

from lsp_server.engine import Engine
from lsp_server.plugin import LoadedPlugins

BIG = "Unabbreviate on import #1436-3.bib"


@pytest.fixture(autouse=True)
def _private_bib_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parses of big .bib files go to a cache folder of the test's own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


def engine(root: Path) -> Engine:
    return Engine(root, loaded=LoadedPlugins({"citations": CitationsPlugin()}, {}))


def findings(root: Path, rel: str, lang: str) -> list[tuple[str, str, str]]:
    eng = engine(root)
    path = root / rel
    doc = eng.parse(path.read_text(encoding="utf-8"), lang, path.as_uri())
    result = eng.check(doc)
    assert result.problems == {}
    return [(f.rule, doc.source[f.start : f.end], f.message) for f in result.findings]


def test_quarto_paper_unused_entry_and_no_crossrefs(corpus_dir: Path) -> None:
    root = corpus_dir / "quarto-paper-marwick"
    source = (root / "analysis/paper/paper.qmd").read_text(encoding="utf-8")
    assert "@fig-" in source  # the document does use Quarto cross-references
    found = findings(root, "analysis/paper/paper.qmd", "quarto")
    assert [(r, span) for r, span, _ in found] == [("citations.unused-entry", "references.bib")]
    assert "'Marwick2017'" in found[0][2]
    keys = [k.key for g in markdown_citations(source) for k in g.keys]
    assert keys and not any(k.startswith("fig-") for k in keys)


@pytest.mark.parametrize(
    ("folder", "rel", "unused"),
    [
        ("rescience-pr18-maksimov", "article/article.md", "Nordlie-2009_e1000456"),
        ("rescience-pr24-rostami", "article/VRostami_JIto_MDenker_SGruen_2016.md", "Riehle00a"),
    ],
)
def test_rescience_pandoc_articles(corpus_dir: Path, folder: str, rel: str, unused: str) -> None:
    """[@key] citations all resolve; pandoc-crossref's @fig:x are not citations."""
    found = findings(corpus_dir / folder, rel, "markdown")
    assert [r for r, _, _ in found] == ["citations.unused-entry"]
    assert f"'{unused}'" in found[0][2]


def test_rescience_hover_and_completion(corpus_dir: Path) -> None:
    root = corpus_dir / "rescience-pr24-rostami"
    eng = engine(root)
    path = root / "article/VRostami_JIto_MDenker_SGruen_2016.md"
    doc = eng.parse(path.read_text(encoding="utf-8"), "markdown", path.as_uri())
    first = markdown_citations(doc.source)[0].keys[0]
    hovers = eng.hover(doc, first.start + 1)
    assert len(hovers) == 1 and f"**{first.key}**" in hovers[0]
    edited = doc.source[: first.end] + "; @Rie" + doc.source[first.end :]
    doc2 = eng.parse(edited, "markdown", path.as_uri())
    labels = [s.label for s in eng.complete(doc2, first.end + len("; @Rie"))]
    assert "Riehle00a" in labels


@pytest.mark.parametrize(
    ("folder", "rel", "unused"),
    [
        ("celerite-paper", "paper/ms.tex", ["Wilson:2015b"]),
        ("good-enough-practices", "good-enough-practices-for-scientific-computing.tex", []),
    ],
)
def test_natbib_bibtex_papers(corpus_dir: Path, folder: str, rel: str, unused: list[str]) -> None:
    found = findings(corpus_dir / folder, rel, "latex")
    assert [r for r, _, _ in found if r != "citations.unused-entry"] == []
    assert sorted(m.split("'")[1] for r, _, m in found if r == "citations.unused-entry") == unused


def test_natbib_typo_is_caught_with_a_fix(corpus_dir: Path) -> None:
    root = corpus_dir / "celerite-paper"
    eng = engine(root)
    path = root / "paper/ms.tex"
    source = path.read_text(encoding="utf-8")
    at = source.index("\\citep{") + len("\\citep{")
    key_end = min(source.index(c, at) for c in ",}" if c in source[at:])
    key = source[at:key_end].strip()
    broken = source[:at] + key.lower().swapcase() + source[key_end:]
    doc = eng.parse(broken, "latex", path.as_uri())
    undefined = [f for f in eng.check(doc).findings if f.rule == "citations.undefined-key"]
    assert len(undefined) == 1
    assert undefined[0].replacements[0] == key


def test_biblatex_thesis_master_and_chapter(corpus_dir: Path) -> None:
    """\\addbibresource sits in an \\input preamble; chapters are \\include-d through a macro path."""
    root = corpus_dir / "fr-thesis-qeole"
    master = findings(root, "src/master.tex", "latex")
    assert [r for r, _, _ in master] == ["citations.unused-entry"]
    assert master[0][1] == "\\printbibliography"
    chapter = findings(root, "src/Main/Structure/issues.tex", "latex")
    assert chapter == []  # every key of the chapter resolves in biblio.bib / thjeux.bib
    eng = engine(root)
    path = root / "src/Main/Structure/issues.tex"
    doc = eng.parse(path.read_text(encoding="utf-8"), "latex", path.as_uri())
    at = doc.source.index("\\cite{") + len("\\cite{") + 1
    hover = eng.hover(doc, at)
    assert hover and "biblio.bib:" in hover[0]


def test_messy_bib_files_parse_and_report_broken_entries(corpus_dir: Path) -> None:
    folder = corpus_dir / "bib-messy-zotero-bbt" / "test" / "fixtures" / "import"
    files = sorted(folder.glob("*.bib"))
    assert len(files) > 50
    total_entries = 0
    broken: list[str] = []
    plugin = CitationsPlugin()
    for path in files:
        if path.name == BIG:
            continue
        bib = BibCache().load(path)
        total_entries += len(bib.entries)
        for p in bib.problems:
            assert 0 <= p.line <= bib.text.count("\n")
            if p.kind == "syntax":
                broken.append(f"{path.name}:{p.line + 1}")
                assert f"line {p.line + 1}" in p.message
        eng_doc = engine(folder).parse(bib.text, "bibtex", path.as_uri())
        for f in plugin.check_document(eng_doc, engine(folder).context("citations", eng_doc)):
            assert 0 <= f.start <= f.end <= len(bib.text)
    assert total_entries > 1000
    assert broken  # the collection holds real broken entries, reported with their line


def test_the_large_file_parses_quickly(corpus_dir: Path) -> None:
    path = corpus_dir / "bib-messy-zotero-bbt" / "test" / "fixtures" / "import" / BIG
    t = time.process_time()
    bib = BibCache().load(path)
    cpu = time.process_time() - t
    assert len(bib.entries) == 7166
    # The issue asks for <= 1 s (bench/bench_citations.py measures it).  CPU time, not
    # wall time, so that a busy shared runner does not fail the test; the slack makes
    # it a guard against regressions (decoding every field up front costs ~20 s).
    assert cpu < 5.0
