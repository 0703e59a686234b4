"""``marginalia cite``: format and convert, through ``marginalia_citations.cli.main``."""

from __future__ import annotations

from pathlib import Path

import pytest
from marginalia_citations.cli import main

GOLDEN = Path(__file__).parent / "fixtures" / "citations" / "golden.bib"


def test_format_selected_keys_in_ieee(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["format", str(GOLDEN), "--style", "ieee", "--keys", "Knuth84,Scott70"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[1] D. E. Knuth, The TeXbook.")
    assert "[2] D. Scott, J. von Neumann, and World Health Organization" in out
    assert "Curie" not in out


def test_format_every_entry_as_html(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["format", str(GOLDEN), "--to", "html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('<div class="csl-bib-body">') and out.count('<div class="csl-entry">') == 4


def test_format_with_a_csl_file_by_path(capsys: pytest.CaptureFixture[str]) -> None:
    from marginalia_citations.formatting import STYLES_DIR

    assert main(["format", str(GOLDEN), "--style", str(STYLES_DIR / "ieee.csl"), "--keys", "Knuth84"]) == 0
    assert capsys.readouterr().out.startswith("[1] D. E. Knuth")


def test_format_errors_are_messages_not_tracebacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["format", str(tmp_path / "none.bib")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["format", str(GOLDEN), "--keys", "nope"]) == 1
    assert "not in golden.bib: nope" in capsys.readouterr().err
    assert main(["format", str(GOLDEN), "--style", "nonsense"]) == 2
    assert "unknown citation style 'nonsense'" in capsys.readouterr().err
    bad = tmp_path / "bad.csl"
    bad.write_text("<not-csl/>", encoding="utf-8")
    assert main(["format", str(GOLDEN), "--style", str(bad)]) == 2
    assert "is not a CSL style" in capsys.readouterr().err
    assert main(["format", str(GOLDEN), "--to", "docx"]) == 2


def test_broken_entries_are_warned_about_and_the_rest_formatted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bib = tmp_path / "b.bib"
    bib.write_text("@book{ok, author={A, B}, title={T}, publisher={P}, year={2000}}\n@book{broken title={x}}\n", encoding="utf-8")
    assert main(["format", str(bib)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("A, B. (2000). T. P.")
    assert f"{bib}:2: warning: broken entry" in captured.err


def test_convert_both_ways(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tex = tmp_path / "a.tex"
    tex.write_text("As \\citet{a} shows \\citep[see][p.~3]{b}.\n", encoding="utf-8")
    assert main(["convert", str(tex), "--to", "pandoc"]) == 0
    assert capsys.readouterr().out == "As @a shows [see @b, p. 3].\n"
    md = tmp_path / "a.md"
    md.write_text("As @a shows [see @b, p. 3].\n", encoding="utf-8")
    assert main(["convert", str(md), "--to", "latex", "--package", "biblatex"]) == 0
    assert capsys.readouterr().out == "As \\textcite{a} shows \\autocite[see][p.~3]{b}.\n"
    assert main(["convert", str(tmp_path / "missing.md"), "--to", "latex"]) == 2
    assert main(["convert", str(md)]) == 2  # --to is required


def test_lint_finds_a_preamble_bib_beside_the_main_file_without_a_workspace_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The layout of ../shared/corpus/fr-thesis-qeole: src/master.tex inputs Preamble/packages.tex,
    which adds Back/biblio.bib (relative to src/); no .git or settings file anywhere above."""
    from lsp_server import cli

    src = tmp_path / "thesis" / "src"
    (src / "Preamble").mkdir(parents=True)
    (src / "Back").mkdir()
    (src / "Back" / "biblio.bib").write_text("@book{Knuth84, author = {Knuth, D.}, title = {T}, publisher = {P}, year = {1984}}\n", encoding="utf-8")
    (src / "Preamble" / "packages.tex").write_text("\\usepackage{biblatex}\n\\addbibresource{Back/biblio.bib}\n", encoding="utf-8")
    (src / "master.tex").write_text(
        "\\documentclass{book}\n\\input{Preamble/packages}\n\\begin{document}\nAs \\textcite{Knuth84} and \\textcite{Knuht84} show.\n\\end{document}\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code = cli.main(["lint", "--plugins", "citations", "--no-suggestions", "thesis/src/master.tex"])
    out = capsys.readouterr().out
    assert "missing-bibliography" not in out
    assert "citations.undefined-key" in out and "Knuht84" in out
    assert code == 1
