"""Finding citation keys in LaTeX and Markdown, and converting between the two forms."""

from __future__ import annotations

import pytest
from marginalia_citations.cites import latex_citations, markdown_citations
from marginalia_citations.convert import convert_text, latex_replacements, markdown_replacements

LATEX = r"""See \citep[p.~3]{a, b} and \cites(x)(y)[see][]{c}{d,e} % \cite{comment}
\textcite*{f} \citet{g} \verb|\cite{verb}| \autocite[12]{ i } \mycite{h}
\begin{verbatim}
\cite{verbatim}
\end{verbatim}
\citep{unfinished
"""


def test_latex_keys_and_spans() -> None:
    groups = latex_citations(LATEX, ["mycite"])
    keys = [k.key for g in groups for k in g.keys]
    assert keys == ["a", "b", "c", "d", "e", "f", "g", "i", "h", "unfinished"]
    for g in groups:
        for k in g.keys:
            assert LATEX[k.start : k.end] == k.key
    assert LATEX[groups[1].start : groups[1].end] == r"\cites(x)(y)[see][]{c}{d,e}"


def test_user_commands_are_only_citations_when_declared() -> None:
    assert "h" not in [k.key for g in latex_citations(LATEX) for k in g.keys]



def test_the_longest_command_name_wins_and_names_end_at_a_letter() -> None:
    """Names are tried longest first within each first letter: \\foo1 is not \\foo followed by "1"."""
    text = r"\foo1{a} \foo{b} \citep@x{no} \citep{c} \Citet*[p. 2]{d} \section{no} \\cite{e}"
    found = [(g.keys[0].key, text[g.start : g.keys[0].start]) for g in latex_citations(text, ["foo", "\\foo1"])]
    assert found == [("a", "\\foo1{"), ("b", "\\foo{"), ("c", "\\citep{"), ("d", "\\Citet*[p. 2]{"), ("e", "\\cite{")]
    assert [g.keys[0].key for g in latex_citations(text)] == ["c", "d", "e"]

MARKDOWN = """---
bibliography: refs.bib
author: me@x.org
---
As [@a; see @b, p. 3] and @c says, -@d. Mail john@example.com; see @fig-one and [@tbl-x] and @fig:two.
`@code` and <me@y.org>

```r
x <- "@notacite"
```
<!-- @comment -->
[-@e] and @{weird key} and @f. End @g.
"""


def test_markdown_keys_exclude_code_mail_and_crossrefs() -> None:
    groups = markdown_citations(MARKDOWN)
    keys = [(k.key, k.command) for g in groups for k in g.keys]
    assert keys == [("a", "[@"), ("b", "[@"), ("c", "@"), ("d", "-@"), ("e", "-@"), ("weird key", "@"), ("f", "@"), ("g", "@")]
    for g in groups:
        for k in g.keys:
            assert MARKDOWN[k.start : k.end] == k.key


# pandoc's mapping, both ways (natbib).
PAIRS = [
    (r"\citet{a}", "@a"),
    (r"\citet[p.~3]{a}", "@a [p. 3]"),
    (r"\citep{a,b}", "[@a; @b]"),
    (r"\citep[p.~3]{a}", "[@a, p. 3]"),
    (r"\citep[see][p.~3]{a}", "[see @a, p. 3]"),
    (r"\citep[see][]{a}", "[see @a]"),
    (r"\citeyearpar{a}", "[-@a]"),
]


@pytest.mark.parametrize(("latex", "pandoc"), PAIRS)
def test_pandoc_mapping_round_trips(latex: str, pandoc: str) -> None:
    assert convert_text(latex, "pandoc") == pandoc
    assert convert_text(pandoc, "latex") == latex


@pytest.mark.parametrize(
    ("latex", "pandoc"),
    [
        (r"\citeauthor{a}", "@a"),
        (r"\citeyear{a}", "[-@a]"),
        (r"\textcite{a}", "@a"),
        (r"\parencite[12]{a}", "[@a, 12]"),
        (r"\autocite*{a}", "[-@a]"),
        (r"\cites(glob)[see][p. 2]{a}[][ch.~3]{b}", "[see @a, p. 2; @b, ch. 3, glob]"),
        (r"\citep{odd key}", "[@{odd key}]"),
    ],
)
def test_latex_to_pandoc_other_forms(latex: str, pandoc: str) -> None:
    assert convert_text(latex, "pandoc") == pandoc


def test_pandoc_to_latex_needs_citetext_for_per_key_notes() -> None:
    assert convert_text("[@a; also @b, p. 4]", "latex") == r"\citetext{\citealp{a}; \citealp[also][p.~4]{b}}"


def test_pandoc_to_biblatex() -> None:
    assert convert_text("@a says [see @b, p. 3] and [-@c]", "latex", package="biblatex") == r"\textcite{a} says \autocite[see][p.~3]{b} and \autocite*{c}"
    assert convert_text("[@a, p. 1; see @b]", "latex", package="biblatex") == r"\autocites[p.~1]{a}[see][]{b}"


def test_conversion_leaves_non_citations_alone() -> None:
    md = "Mail me@x.org, see @fig-1 and [@tbl-2], `@code`, [a link](http://x)."
    assert convert_text(md, "latex") == md
    tex = r"% \citep{a}" + "\n" + r"\nocite{*} \ref{x}"
    assert convert_text(tex, "pandoc") == tex
    with pytest.raises(ValueError):
        convert_text("x", "docx")


def test_replacements_limited_to_a_range() -> None:
    tex = r"A \citep{a} B \citet{b} C"
    at_b = tex.index("{b}")
    reps = latex_replacements(tex, start=at_b, end=at_b)
    assert [(tex[r.start : r.end], r.text) for r in reps] == [(r"\citet{b}", "@b")]
    md = "A [@a] B @b C"
    reps = markdown_replacements(md, start=3, end=3)
    assert [r.text for r in reps] == [r"\citep{a}"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("\\cite{" * 20000, "latex"), ("\\cites(" * 20000, "latex"), ("\\citep[" * 20000, "latex"), ("[@a " * 20000, "markdown"), ("``` a `` b " * 10000, "markdown")],
)
def test_pathological_input_stays_fast(text: str, lang: str) -> None:
    """Unclosed arguments are matched in a bounded window, never scanned to the end of the file."""
    import time

    t = time.perf_counter()
    if lang == "latex":
        latex_citations(text)
        convert_text(text, "pandoc")
    else:
        markdown_citations(text)
        convert_text(text, "latex")
    assert time.perf_counter() - t < 20  # quadratic scanning took minutes here
