"""Reading .bib files: macros, crossref, broken blocks, encodings, names, CSL-JSON, and the .bib checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from marginalia_citations import bib_checks
from marginalia_citations.bibfile import BibCache, decode_bytes, parse_bib_text
from marginalia_citations.csl_json import names, to_csl
from marginalia_citations.settings import CitationsSettings

SAMPLE = r"""% a comment
@string{jt = "Journal of Things"}

@article{a,
  title = {x}, journal = jt # " II",
  author = {von Neumann, John and {World Health Organization}}
}

@article{broken
  title={x}}

@inproceedings(c, title="Child", year=2001, crossref={P})
@article{a, title={dup}}
@proceedings{P, title={Proc of {\"U}ber}, year=1999, publisher={ACM}}
@book{d, title={x}, title={y}, year={2000}}
"""


def test_macros_concatenation_and_crossref() -> None:
    bib = parse_bib_text(SAMPLE, "s.bib")
    a = bib.get("a")
    assert a is not None
    assert bib.value(a, "journal") == "Journal of Things II"
    c = bib.get("c")
    assert c is not None and c.entry_type == "inproceedings"  # ( ) delimiters
    assert bib.decoded(c, "booktitle") == "Proc of Über"  # parent title -> booktitle, accent decoded
    assert bib.value(c, "publisher") == "ACM"
    assert bib.value(c, "title") == "Child"  # never inherited


def test_broken_entry_is_reported_with_its_line_and_the_rest_is_used() -> None:
    bib = parse_bib_text(SAMPLE, "s.bib")
    syntax = [p for p in bib.problems if p.kind == "syntax"]
    assert len(syntax) == 1
    assert syntax[0].line == 8  # 0-based: "@article{broken" is line 9
    assert "line 9" in syntax[0].message
    assert {"a", "c", "P", "d"} <= set(bib.entries)
    assert [p.kind for p in bib.problems if p.kind == "duplicate-field"] == ["duplicate-field"]


def test_duplicate_keys_keep_the_first_and_both_are_listed() -> None:
    bib = parse_bib_text(SAMPLE, "s.bib")
    a_entries = [e for e in bib.all_entries if e.key == "a"]
    assert len(a_entries) == 2
    assert bib.entries["a"] is a_entries[0]
    findings = [f for f in bib_checks.check_bib(bib, CitationsSettings()) if f.rule == "citations.duplicate-key"]
    assert len(findings) == 2
    assert {SAMPLE[f.start : f.end] for f in findings} == {"a"}
    assert any("line 13" in f.message for f in findings) and any("line 4" in f.message for f in findings)


def test_crlf_offsets_point_at_the_key() -> None:
    text = SAMPLE.replace("\n", "\r\n")
    bib = parse_bib_text(text, "s.bib")
    c = bib.get("c")
    assert c is not None
    s, e = c.key_span
    assert text[s:e] == "c"
    assert c.line == 11


def test_non_utf8_falls_back_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "latin.bib"
    path.write_bytes("@book{k, title={Café crème}, author={Dupré, Émile}, publisher={P}, year={1990}}".encode("cp1252"))
    bib = BibCache().load(path)
    entry = bib.get("k")
    assert entry is not None
    assert bib.decoded(entry, "title") == "Café crème"
    assert [p.kind for p in bib.problems] == ["encoding"]
    assert "cp1252" in bib.problems[0].message
    assert decode_bytes("é".encode())[2] is None


def test_binary_and_missing_files_give_a_message(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_bytes(b"\x00\x01\x02" * 100)
    bib = BibCache().load(path)
    assert not bib.entries and "binary" in bib.problems[0].message
    bib = BibCache().load(tmp_path / "missing.bib")
    assert not bib.entries and "cannot read" in bib.problems[0].message


def test_cache_rereads_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "r.bib"
    path.write_text("@misc{one, title={A}}", encoding="utf-8")
    cache = BibCache()
    first = cache.load(path)
    assert cache.load(path) is first
    path.write_text("@misc{one, title={A}}\n@misc{two, title={B}}", encoding="utf-8")
    assert set(cache.load(path).entries) == {"one", "two"}


def test_names_split_like_bibtex() -> None:
    people = names(r"von Neumann, John and {World Health Organization} and Jean de la Fontaine and Smith, Jr., Bob and M{\"u}ller, J{\"o}rg and others")
    assert people == [
        {"family": "Neumann", "given": "John", "non-dropping-particle": "von"},
        {"literal": "World Health Organization"},
        {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"},
        {"family": "Smith", "given": "Bob", "suffix": "Jr."},
        {"family": "Müller", "given": "Jörg"},
    ]


def test_csl_json_fields() -> None:
    bib = parse_bib_text(
        r"""@article{k, author={Doe, Jane}, title={On {DNA}}, journal={J}, year=2001, month=feb,
        pages={100--120}, volume=3, number=2, doi={https://doi.org/10.1000/X}, langid={french}}
        @phdthesis{t, author={Roe, R}, title={T}, school={MIT}, date={2015-03-02}}""",
        "k.bib",
    )
    k = to_csl(bib, bib.entries["k"])
    assert k["type"] == "article-journal"
    assert k["title"] == "On DNA"
    assert k["page"] == "100-120"
    assert k["issued"] == {"date-parts": [[2001, 2]]}
    assert k["DOI"] == "10.1000/X"
    assert k["language"] == "fr-FR"
    t = to_csl(bib, bib.entries["t"])
    assert t["type"] == "thesis" and t["publisher"] == "MIT" and t["genre"] == "PhD thesis"
    assert t["issued"] == {"date-parts": [[2015, 3, 2]]}


# --------------------------------------------------------------------------- .bib checks

CHECKS = r"""@article{ok, author={A, B}, title={A study of {Bayesian} methods}, journal={J}, year={2020}}
@article{nojournal, author={A, B}, title={T}, year={2020}}
@article{doiurl, author={A, B}, title={T}, journal={J}, year={2020}, url={https://doi.org/10.1000/abc}}
@article{both, author={A, B}, title={T}, journal={J}, year={2020}, doi={10.1000/abc}, url={https://doi.org/10.1000/abc}}
@article{badyear, author={A, B}, title={T}, journal={J}, year={20x0}}
@article{caps, author={A, B}, title={Fast DNA sequencing on the GPU with Bayesian priors}, journal={J}, year={2020}}
@article{titlecase, author={A, B}, title={The Fabrication of White Light-Emitting Diodes Using n-ZnO}, journal={J}, year={2020}}
"""


def _rules(text: str, settings: CitationsSettings | None = None) -> dict[str, list[str]]:
    bib = parse_bib_text(text, "c.bib")
    out: dict[str, list[str]] = {}
    for f in bib_checks.check_bib(bib, settings or CitationsSettings()):
        out.setdefault(f.rule.removeprefix("citations."), []).append(text[f.start : f.end])
    return out


def test_each_bib_rule_fires_where_it_should() -> None:
    rules = _rules(CHECKS)
    assert rules["missing-field"] == ["nojournal"]
    assert rules["doi-in-url"] == ["url={https://doi.org/10.1000/abc}"] * 2
    assert rules["bad-year"] == ["{20x0}"]
    assert rules["unprotected-capitals"] == ["DNA", "GPU", "Bayesian", "ZnO"]


def test_checks_can_be_switched_off() -> None:
    settings = CitationsSettings(check_required_fields=False, check_title_case=False, check_doi_in_url=False, check_year=False)
    assert _rules(CHECKS, settings) == {}


def test_title_capitals_heuristic() -> None:
    caps = bib_checks.unprotected_capitals
    assert [w for _, _, w in caps("A study of Bayesian inference in Python")] == ["Bayesian", "Python"]
    assert [w for _, _, w in caps("The Fabrication of White Light-Emitting Diodes")] == []  # Title Case is style
    assert [w for _, _, w in caps("Results: Methods for {DNA} and McDonald")] == ["McDonald"]
    assert caps("{Everything Protected By DNA}") == []
    assert [w for _, _, w in caps(r"Using \emph{GPU} clusters")] == []  # inside a command's braces


def test_fixes_for_capitals_and_doi() -> None:
    bib = parse_bib_text(CHECKS, "c.bib")
    edit = bib_checks.protect_title_edit(bib, bib.entries["caps"])
    assert edit is not None
    new = CHECKS[: edit[0]] + edit[2] + CHECKS[edit[1] :]
    assert "title={Fast {DNA} sequencing on the {GPU} with {Bayesian} priors}" in new
    assert _rules(new).get("unprotected-capitals") == ["ZnO"]
    edit = bib_checks.move_doi_edit(bib, bib.entries["doiurl"])
    assert edit is not None and edit[2] == "doi = {10.1000/abc}"
    edit = bib_checks.move_doi_edit(bib, bib.entries["both"])
    assert edit is not None and edit[2] == ""
    new = CHECKS[: edit[0]] + CHECKS[edit[1] :]
    assert "@article{both, author={A, B}, title={T}, journal={J}, year={2020}, doi={10.1000/abc}}" in new


@pytest.mark.parametrize("name", ["Author splitter failure.bib", "Better BibTeX.001.bib", "Allow spaces between href arguments for import #2504.bib"])
def test_messy_files_parse(corpus_dir: Path, name: str) -> None:
    path = corpus_dir / "bib-messy-zotero-bbt" / "test" / "fixtures" / "import" / name
    bib = BibCache().load(path)
    assert bib.all_entries or bib.problems
    for e in bib.all_entries:
        assert bib.text[e.key_start : e.key_start + len(e.key)] == e.key


def test_messy_corner_cases() -> None:
    text = "@article{, title={T}}\n@misc{m, title={A TITLE TYPED IN CAPITALS}, year={{2018}}}\n"
    rules = _rules(text)
    # No "duplicate" empty keys, no word-by-word capitals, and {2018} is a year.
    assert rules == {"missing-key": ["@article"], "missing-field": ["@article"]}


@pytest.mark.parametrize(
    ("latex", "quick", "folded"),
    [
        (r"M{\"u}ller, J{\"o}rg", "Müller, Jörg", "muller, jorg"),
        (r"Erd\H{o}s and {\o}stergaard", "Erdős and østergaard", "erdos and østergaard"),
        (r"na\"{\i}ve Stra{\ss}e", "naïve Straße", "naive straße"),
        (r"The {\TeX}book, pp.~1--10", "The TeXbook, pp. 1–10", "the texbook, pp. 1–10"),
        (r"\emph{Bayesian} {GPU}s cost \$5", "Bayesian GPUs cost $5", "bayesian gpus cost $5"),
        ("漢字 {Über}", "漢字 Über", "漢字 uber"),
    ],
)
def test_quick_decoding_for_completion(latex: str, quick: str, folded: str) -> None:
    from marginalia_citations.latex_text import fold, latex_to_text, quick_text

    assert quick_text(latex) == quick
    assert fold(latex) == folded
    assert latex_to_text(latex) == quick  # the exact decoder agrees on these
