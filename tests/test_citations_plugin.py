"""The citations plugin on small workspaces: checks, completion, hover and code actions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from marginalia_citations import CitationsPlugin, CitationsSettings

from lsp_server.documents.model import ProseDocument
from lsp_server.plugin import CheckContext, Severity


@pytest.fixture(autouse=True)
def _private_bib_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parses of big .bib files go to a cache folder of the test's own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))

REFS = r"""@article{Scott70,
  author = {Scott, Dana and Strachey, Christopher},
  title = {Toward a Mathematical Semantics for Computer Languages},
  journal = {Proceedings of the Symposium on Computers and Automata},
  year = {1971}, doi = {10.1000/scott}
}
@book{Knuth84, author = {Knuth, Donald E.}, title = {The {\TeX}book}, publisher = {Addison-Wesley}, year = {1984}}
@misc{lonely, author = {Nobody, N.}, title = {Never cited}, year = {2000}}
"""
OTHER = "@misc{Knuth84, title = {Another}, year = {1999}}\n"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "other.bib").write_text(OTHER, encoding="utf-8")
    return tmp_path


def doc(root: Path, name: str, text: str, lang: str) -> ProseDocument:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return ProseDocument(path.as_uri(), text, lang, 1, ())


def ctx(root: Path, **settings: object) -> CheckContext:
    return CheckContext(settings=CitationsSettings(**settings), workspace_root=root)  # type: ignore[arg-type]


def rules(plugin: CitationsPlugin, d: ProseDocument, c: CheckContext) -> list[tuple[str, str]]:
    return [(f.rule, d.source[f.start : f.end]) for f in plugin.check_document(d, c)]


# --------------------------------------------------------------------------- checks


def test_undefined_key_offers_the_case_fix_and_the_typo_fix(ws: Path) -> None:
    p = CitationsPlugin()
    d = doc(ws, "paper.tex", r"As \citet{scott70} and \citep{Knuht84, Scott70}. \bibliography{refs}", "latex")
    found = {f.rule: f for f in p.check_document(d, ctx(ws)) if f.rule == "citations.undefined-key" and d.source[f.start : f.end] == "scott70"}
    f = found["citations.undefined-key"]
    assert f.severity is Severity.ERROR and f.replacements == ("Scott70",)
    typo = [f for f in p.check_document(d, ctx(ws)) if d.source[f.start : f.end] == "Knuht84"]
    assert typo and typo[0].replacements[0] == "Knuth84"
    assert "did you mean 'Knuth84'" in typo[0].message


def test_unused_entry_is_an_editor_only_hint_unless_asked(ws: Path) -> None:
    p = CitationsPlugin()
    d = doc(ws, "paper.tex", r"\citet{Scott70} \citep{Knuth84} \bibliography{refs}", "latex")
    unused = [f for f in p.check_document(d, ctx(ws)) if f.rule == "citations.unused-entry"]
    assert len(unused) == 1 and "'lonely'" in unused[0].message
    assert unused[0].severity is Severity.HINT
    assert d.source[unused[0].start : unused[0].end] == "refs"
    assert unused[0].data is not None and unused[0].data["editor_only"] is True
    unused = [f for f in p.check_document(d, ctx(ws, unused_in_lint=True)) if f.rule == "citations.unused-entry"]
    assert unused[0].data is not None and unused[0].data["editor_only"] is False
    nocite = doc(ws, "all.tex", r"\citet{Scott70} \nocite{*} \bibliography{refs}", "latex")
    assert not [r for r, _ in rules(p, nocite, ctx(ws)) if r == "citations.unused-entry"]


def test_duplicate_key_across_bibliographies_is_reported_once(ws: Path) -> None:
    p = CitationsPlugin()
    d = doc(ws, "paper.tex", r"\citet{Scott70} \citep{Knuth84, lonely} \bibliography{refs,other}", "latex")
    dups = [f for f in p.check_document(d, ctx(ws)) if f.rule == "citations.duplicate-key"]
    assert len(dups) == 1
    assert "refs.bib:7" in dups[0].message and "other.bib:1" in dups[0].message
    assert d.source[dups[0].start : dups[0].end] == "other"


def test_missing_and_outside_bibliographies(ws: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.bib"
    outside.write_text(REFS, encoding="utf-8")
    p = CitationsPlugin()
    rel = Path("..") / outside.parent.name / "secret"
    d = doc(ws, "paper.tex", rf"\citet{{Scott70}} \bibliography{{nothere,{rel.as_posix()}}}", "latex")
    found = rules(p, d, ctx(ws))
    assert [r for r, _ in found] == ["citations.missing-bibliography", "citations.missing-bibliography"]
    # An absolute path in the user's own settings may live anywhere.
    d2 = doc(ws, "p2.tex", r"\citet{Scott70} \citet{nope}", "latex")
    found = rules(p, d2, ctx(ws, bibliography=[str(outside)]))
    assert found == [("citations.undefined-key", "nope")]


def test_markdown_without_bibliography_has_no_citation_findings(ws: Path) -> None:
    p = CitationsPlugin()
    d = doc(ws, "notes.md", "Ping @someone or [@nobody], mail a@b.org.\n", "markdown")
    assert list(p.check_document(d, ctx(ws))) == []


def test_markdown_crossrefs_code_and_front_matter(ws: Path) -> None:
    p = CitationsPlugin()
    text = "---\nbibliography: refs.bib\nnocite: |\n  @lonely\n---\nSee [@Scott70; @Knuth84], @fig-plot, [@tbl-x], `@code`, a@b.org and @missing.\n"
    d = doc(ws, "paper.qmd", text, "quarto")
    assert rules(p, d, ctx(ws)) == [("citations.undefined-key", "missing")]


def test_bib_document_findings(ws: Path) -> None:
    p = CitationsPlugin()
    text = "@article{x, title={On DNA}, year={2020}}\n@article{x, author={A}, title={T}, journal={J}, year={1999}}\n@article{broken title={x}}\n"
    d = ProseDocument((ws / "b.bib").as_uri(), text, "bibtex", 1, ())
    found = sorted(r for r, _ in rules(p, d, ctx(ws)))
    assert found == sorted(
        ["citations.missing-field", "citations.duplicate-key", "citations.duplicate-key", "citations.unprotected-capitals", "citations.bib-syntax"]
    )


def test_latex_chapter_uses_its_root_bibliography(ws: Path) -> None:
    p = CitationsPlugin()
    doc(ws, "main.tex", "\\documentclass{book}\n\\input{preamble}\n\\begin{document}\\include{chapters/one}\\end{document}\n", "latex")
    (ws / "preamble.tex").write_text("\\addbibresource{refs.bib}\n", encoding="utf-8")
    chapter = doc(ws, "chapters/one.tex", r"\textcite{Scott70} \textcite{Scot70}", "latex")
    assert rules(p, chapter, ctx(ws)) == [("citations.undefined-key", "Scot70")]
    main = ProseDocument((ws / "main.tex").as_uri(), (ws / "main.tex").read_text(), "latex", 1, ())
    hints = [f for f in p.check_document(main, ctx(ws)) if f.rule == "citations.unused-entry"]
    # Scott70 is cited in the chapter, so only Knuth84 and lonely are unused.
    assert sorted(f.data["key"] for f in hints if f.data) == ["Knuth84", "lonely"]


def test_preamble_in_a_subfolder_names_its_bib_from_the_main_file_folder(ws: Path) -> None:
    """``thesis/main.tex`` inputs ``Preamble/packages.tex``, which says ``\\addbibresource{Back/refs.bib}``:
    LaTeX runs in main.tex's folder, so the name starts there, not in Preamble/ nor at the workspace root."""
    p = CitationsPlugin()
    (ws / "thesis" / "Back").mkdir(parents=True)
    (ws / "thesis" / "Back" / "refs.bib").write_text(REFS, encoding="utf-8")
    doc(ws, "thesis/main.tex", "\\documentclass{book}\n\\input{Preamble/packages}\n\\begin{document}\\cite{Scott70}\\end{document}\n", "latex")
    preamble = doc(ws, "thesis/Preamble/packages.tex", "\\usepackage{biblatex}\n\\addbibresource{Back/refs.bib}\n\\addbibresource{Back/gone.bib}\n", "latex")
    found = rules(p, preamble, ctx(ws))
    assert ("citations.missing-bibliography", "Back/gone.bib") in found
    assert ("citations.missing-bibliography", "Back/refs.bib") not in found
    assert [b.path for _, b in p.bibliographies(preamble, ctx(ws)).files] == [str((ws / "thesis" / "Back" / "refs.bib").resolve())]


# --------------------------------------------------------------------------- completion and hover


def _complete(p: CitationsPlugin, d: ProseDocument, marker: str, c: CheckContext) -> list[str]:
    offset = d.source.index(marker) + len(marker)
    return [s.label for s in p.complete(d, offset, c)]


def test_completion_in_latex_commands(ws: Path) -> None:
    p = CitationsPlugin()
    text = "\\citep[see][p.~3]{Scott70, Kn} \\cites{Scott70}{} \\parencite*{str} \\citeyear{19} % \\cite{Kn\n\\mycite{Kn}"
    d = doc(ws, "c.tex", text + r" \bibliography{refs}", "latex")
    c = ctx(ws, citation_commands=["mycite"])
    assert _complete(p, d, "Scott70, Kn", c) == ["Knuth84"]
    assert set(_complete(p, d, "{Scott70}{", c)) == {"Knuth84", "lonely", "Scott70"}
    assert _complete(p, d, "\\parencite*{str", c) == ["Scott70"]  # by author
    assert _complete(p, d, "\\citeyear{19", c)[0] in {"Knuth84", "Scott70", "lonely"}
    assert _complete(p, d, "% \\cite{Kn", c) == []  # comment
    assert _complete(p, d, "\\mycite{Kn", c) == ["Knuth84"]
    sug = next(iter(p.complete(d, text.index("Scott70, Kn") + len("Scott70, Kn"), c)))
    assert (sug.start, sug.end) == (text.index("Kn}"), text.index("Kn}") + 2)
    assert "Knuth (1984). The TeXbook. *Addison-Wesley*." in sug.documentation
    assert sug.detail == "Knuth (1984)" and sug.kind == "reference"


def test_completion_in_markdown(ws: Path) -> None:
    p = CitationsPlugin()
    text = "---\nbibliography: refs.bib\n---\nAs [@Sc and @toward and `@Kn` and -@Kn\n"
    d = doc(ws, "m.md", text, "markdown")
    c = ctx(ws)
    assert _complete(p, d, "[@Sc", c) == ["Scott70"]
    assert _complete(p, d, "@toward", c) == ["Scott70"]  # by title word
    assert _complete(p, d, "`@Kn", c) == []  # code
    assert _complete(p, d, "-@Kn", c) == ["Knuth84"]
    no_bib = doc(ws, "n.md", "As [@Sc\n", "markdown")
    assert _complete(p, no_bib, "[@Sc", c) == []


def test_hover_shows_the_formatted_reference(ws: Path) -> None:
    p = CitationsPlugin()
    text = r"As \citet{Scott70} and \citet{nope}. \bibliography{refs}"
    d = doc(ws, "h.tex", text, "latex")
    md = p.hover(d, text.index("Scott70") + 2, ctx(ws))
    assert md is not None
    assert "Scott, D., & Strachey, C. (1971). Toward a Mathematical Semantics for Computer Languages." in md
    assert "[doi:10.1000/scott](https://doi.org/10.1000/scott)" in md
    assert "refs.bib:1" in md
    ieee = p.hover(d, text.index("Scott70") + 2, ctx(ws, style="ieee"))
    assert ieee is not None and "D. Scott and C. Strachey" in ieee
    assert "not defined" in (p.hover(d, text.index("nope") + 1, ctx(ws)) or "")
    assert p.hover(d, 0, ctx(ws)) is None


def test_bad_style_setting_still_hovers(ws: Path) -> None:
    p = CitationsPlugin()
    text = r"\citet{Scott70} \bibliography{refs}"
    d = doc(ws, "h.tex", text, "latex")
    md = p.hover(d, text.index("Scott70"), ctx(ws, style="no-such-style"))
    assert md is not None and "unknown citation style" in md and "Scott" in md


def test_out_of_range_offsets_are_harmless(ws: Path) -> None:
    p = CitationsPlugin()
    d = doc(ws, "h.tex", r"\citet{Scott70} \bibliography{refs}", "latex")
    assert list(p.complete(d, 10_000, ctx(ws))) == []
    assert p.hover(d, -5, ctx(ws)) is None


# --------------------------------------------------------------------------- code actions


def test_convert_actions(ws: Path) -> None:
    p = CitationsPlugin()
    text = r"As \citep[p.~3]{Scott70} says. \bibliography{refs}"
    d = doc(ws, "a.tex", text, "latex")
    acts = list(p.range_actions(d, text.index("Scott70"), text.index("Scott70"), ctx(ws)))
    assert [(a.edit, a.kind) for a in acts] == [((3, text.index(" says"), "[@Scott70, p. 3]"), "refactor.rewrite")]
    md_text = "---\nbibliography: refs.bib\n---\nAs [see @Scott70] says.\n"
    md = doc(ws, "a.md", md_text, "markdown")
    at = md_text.index("Scott70")
    edits = [a.edit[2] for a in p.range_actions(md, at, at, ctx(ws)) if a.edit]
    assert edits == [r"\citep[see][]{Scott70}", r"\autocite[see][]{Scott70}"]


def test_insert_reference_list_is_resolved_lazily(ws: Path) -> None:
    p = CitationsPlugin()
    text = "---\nbibliography: refs.bib\n---\nAs @Knuth84 and [@Scott70].\n\n# References\n"
    d = doc(ws, "r.md", text, "markdown")
    end = len(text)
    lazy = [a for a in p.range_actions(d, end, end, ctx(ws)) if a.data]
    assert len(lazy) == 1 and lazy[0].edit is None
    done = p.resolve_action(d, lazy[0], ctx(ws))
    assert done is not None and done.edit is not None
    assert done.edit[:2] == (end, end)
    assert done.edit[2].startswith("Knuth, D. E. (1984). *The TeXbook*. Addison-Wesley.\n\nScott, D., & Strachey, C. (1971).")
    assert "lonely" not in done.edit[2] and "Never cited" not in done.edit[2]


def test_bib_fix_actions(ws: Path) -> None:
    p = CitationsPlugin()
    text = "@article{x, author={A}, title={Fast DNA on GPU}, journal={J}, year={2020}, url={https://doi.org/10.1000/abc}}\n"
    d = ProseDocument((ws / "f.bib").as_uri(), text, "bibtex", 1, ())
    c = ctx(ws)
    findings = {f.rule: f for f in p.check_document(d, c)}
    caps = list(p.actions(d, findings["citations.unprotected-capitals"], c))
    assert caps[0].edit is not None
    fixed = text[: caps[0].edit[0]] + caps[0].edit[2] + text[caps[0].edit[1] :]
    assert "title={Fast {DNA} on {GPU}}" in fixed
    doi = list(p.actions(d, findings["citations.doi-in-url"], c))
    assert doi[0].edit is not None and doi[0].edit[2] == "doi = {10.1000/abc}"
    assert len(list(p.range_actions(d, 3, 3, c))) == 2


def test_completion_is_fast_on_the_large_file(corpus_dir: Path, tmp_path: Path) -> None:
    big = corpus_dir / "bib-messy-zotero-bbt" / "test" / "fixtures" / "import" / "Unabbreviate on import #1436-3.bib"
    p = CitationsPlugin()
    text = "\\citep{ab}\n"
    d = doc(tmp_path, "big.tex", text, "latex")
    c = ctx(tmp_path, bibliography=[str(big)])
    first = list(p.complete(d, text.index("ab") + 2, c))  # parses and indexes
    assert first and first[0].label.lower().startswith("ab")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        list(p.complete(d, text.index("ab") + 2, c))
        times.append(time.perf_counter() - t)
    # The budget is 30 ms; allow for a loaded CI machine.
    assert min(times) < 0.1


def test_quarto_project_bibliography(ws: Path) -> None:
    p = CitationsPlugin()
    (ws / "_quarto.yml").write_text("project:\n  type: manuscript\nbibliography: refs.bib\n", encoding="utf-8")
    d = doc(ws, "chapters/intro.qmd", "See @Scott70, @fig-map and @Knuth48.\n", "quarto")
    found = [(f.rule, d.source[f.start : f.end], f.replacements) for f in p.check_document(d, ctx(ws))]
    assert found == [("citations.undefined-key", "Knuth48", ("Knuth84",))]  # no unused hints for a shared bibliography


def test_problems_of_the_bibliography_are_said_in_the_document(ws: Path) -> None:
    p = CitationsPlugin()
    (ws / "old.bib").write_bytes("@book{k, author={Dupré, Émile}, title={Café}, publisher={P}, year={1990}}\n@book{broken title={x}}\n".encode("cp1252"))
    d = doc(ws, "p.tex", r"\citet{k} \bibliography{old}", "latex")
    found = [(f.rule, f.severity, f.message) for f in p.check_document(d, ctx(ws))]
    assert ("citations.bib-problems", Severity.WARNING, "old.bib: 1 broken entry skipped (line 2)") in found
    assert any(r == "citations.bib-problems" and s is Severity.INFO and "read as cp1252" in m for r, s, m in found)
    assert not [r for r, _, _ in found if r == "citations.undefined-key"]


def test_front_matter_variants(ws: Path) -> None:
    from marginalia_citations.sources import front_matter_declarations

    assert [d.name for d in front_matter_declarations("---\nBibliography: a.bib\n---\n")] == ["a.bib"]
    assert [d.name for d in front_matter_declarations("\ufeff---\nbibliography:\n  - a.bib\n  - b.bib\n---\n")] == ["a.bib", "b.bib"]
    assert front_matter_declarations("---\nbibliography: [unclosed\n---\n") == []
    assert front_matter_declarations("no front matter\nbibliography: a.bib\n") == []
