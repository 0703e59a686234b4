"""Golden tests: the formatted reference list of tests/fixtures/citations/golden.bib
in every bundled style.  The expected files were generated, read line by line
against each style guide's conventions, then frozen; regenerate them with
MARGINALIA_UPDATE_GOLDEN=1 only after reading the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from marginalia_citations.bibfile import BibCache
from marginalia_citations.csl_json import to_csl
from marginalia_citations.formatting import format_references, join_references

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
CASES = [(style, "text") for style in ("apa", "ieee", "chicago", "mla", "vancouver")] + [
    ("apa", "markdown"),
    ("apa", "html"),
    ("ieee", "latex"),
    ("chicago", "markdown"),
]
SUFFIX = {"text": "txt", "markdown": "md", "html": "html", "latex": "tex"}


def render(style: str, fmt: str) -> str:
    bib = BibCache().load(FIXTURES / "golden.bib")
    assert not bib.problems
    items = [to_csl(bib, e) for e in bib.entries.values()]
    return join_references(format_references(items, style, fmt), fmt)


@pytest.mark.parametrize(("style", "fmt"), CASES)
def test_golden_reference_list(style: str, fmt: str) -> None:
    expected_file = FIXTURES / "golden" / f"{style}.{SUFFIX[fmt]}"
    got = render(style, fmt)
    if os.environ.get("MARGINALIA_UPDATE_GOLDEN"):
        expected_file.parent.mkdir(exist_ok=True)
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")


def test_style_specific_conventions() -> None:
    """The points the golden files were checked for, spelt out."""
    apa = render("apa", "text")
    assert "Scott, D., von Neumann, J., & World Health Organization. (1970)." in apa  # corporate author kept whole
    assert "12(3), 169–176. https://doi.org/10.1000/xyz123" in apa
    assert "The TeXbook" in apa  # {\TeX} decoded
    ieee = render("ieee", "text")
    assert ieee.startswith("[1] D. Scott")  # numeric label separated from the text
    assert "pp. 1–10" in ieee
    chicago = render("chicago", "text")
    assert "Curie, Marie. 1903." in chicago  # given names not initialised (initialize="false")
    assert "“Recherches sur les substances radioactives.”" in chicago  # French title not title-cased, period inside quotes
    mla = render("mla", "text")
    assert "pp. 1–10" in mla and "pp. 169–76" in mla  # page ranges shortened only when both ends have as many digits
    vancouver = render("vancouver", "text")
    assert "1970 Nov;12(3):169–76" in vancouver
    assert "Müller J" in vancouver


def test_an_entry_citeproc_cannot_render_does_not_cost_the_others() -> None:
    good = {"id": "good", "type": "book", "title": "Fine", "author": [{"family": "Doe", "given": "J."}], "issued": {"date-parts": [[2000]]}}
    bad = {"id": "bad", "type": "book", "title": "Odd", "issued": {"date-parts": [["not a number"]]}}
    out = format_references([good, bad], "apa", "text")
    assert out[0].startswith("Doe, J. (2000). Fine.") or out[1].startswith("Doe, J. (2000). Fine.")
    assert any(line.startswith("bad: cannot be formatted") for line in out)
