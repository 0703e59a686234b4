"""Property tests: any LaTeX-ish input parses without raising and keeps the offset-map contract.

Two sources of input: a soup of LaTeX tokens (commands, braces, math, environments,
comments, accents, CRLF, emoji), and real paragraphs from the corpus with random
edits (characters deleted, inserted, duplicated), which is what a buffer looks
like while someone types.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lsp_server.config import LatexSettings
from lsp_server.documents.latex import parse_latex
from lsp_server.documents.latex_offsets import offset_map_problems

TOKENS = [
    "\\", "{", "}", "[", "]", "$", "$$", "%", "\\%", "~", "&", "#", "^", "_", "\n", "\n\n", "\r\n", " ", "\t",
    "``", "''", "--", "---", "\\\\", "\\'", '\\"', "\\c", "\\ss", "{\\'e}", "\\(", "\\)", "\\[", "\\]",
    "\\emph{", "\\textbf", "\\section*{", "\\section[", "\\footnote{", "\\caption{", "\\item", "\\item[",
    "\\cite{", "\\citep[p. 1]{", "\\citet", "\\ref{", "\\label{", "\\url{", "\\href{", "\\verb|", "\\verb",
    "\\texttt{", "\\SI{8}{", "\\ac{", "\\begin{itemize}", "\\end{itemize}", "\\begin{equation}",
    "\\end{equation}", "\\begin{verbatim}", "\\end{verbatim}", "\\begin{tabular}{lc}", "\\end{tabular}",
    "\\begin{figure}[ht]", "\\end{figure}", "\\begin{document}", "\\end{document}", "\\begin{", "\\end{",
    "\\newcommand{\\x}[1]{#1}", "\\x{", "\\def\\y{", "\\input{a}", "\\unknown", "\\og", "\\fg",
    "word", "Text", "an", "é", "😀", "漢字", "\x00", ".", ",", "x",
]  # fmt: skip


def _check(source: str, settings_: LatexSettings | None = None) -> None:
    doc = parse_latex(source, "", None, settings_ or LatexSettings(), cache=False)
    assert offset_map_problems(doc) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_token_soup_never_breaks_the_offset_map(tokens: list[str]) -> None:
    _check("".join(tokens))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*TOKENS, '"', '"a', '"`', "\"'", '"-']), max_size=40))
def test_german_shorthands_never_break_the_offset_map(tokens: list[str]) -> None:
    _check("\\documentclass{article}\\usepackage[ngerman]{babel}\\begin{document}" + "".join(tokens))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_breaks_the_offset_map(text: str) -> None:
    _check(text)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=30),
    st.dictionaries(
        st.sampled_from(["\\x", "\\emph", "\\cite", "\\unknown", "\\y"]),
        st.sampled_from(["ignore", "placeholder", "check", "check:1", "check:2", "bogus"]),
    ),
)
def test_user_declarations_never_break_the_offset_map(tokens: list[str], commands: dict[str, str]) -> None:
    _check("".join(tokens), LatexSettings(commands=commands, environments={"itemize": "ignore"}))


@functools.cache
def _corpus_paragraphs(corpus: Path) -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(corpus.rglob("*.tex")):
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs.extend(p for p in re.split(r"\n\s*\n", text) if 200 <= len(p) <= 3000)
    return paragraphs


_EDIT_CHARS = st.sampled_from([*"\\{}$%[]~&_^\n ", "\\begin{", "\\end{", "\\verb", "$$", "\\\\"])


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_edited_corpus_paragraphs_never_break_the_offset_map(corpus_dir: Path, data: st.DataObject) -> None:
    paragraphs = _corpus_paragraphs(corpus_dir)
    assert len(paragraphs) > 100
    text = data.draw(st.sampled_from(paragraphs))
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 20)) :]
        elif action == "insert":
            text = text[:at] + data.draw(_EDIT_CHARS) + text[at:]
        else:
            text = text[:at] + text[at : at + 30] + text[at:]
    _check(text)
