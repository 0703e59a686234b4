"""Property tests: random Markdown-ish soup and mutated real paragraphs never break the parser.

For every input the parser must return (no exception), and the offset-map
contract must hold: pieces in order, inside the source, verbatim pieces equal
to their source text; recorded citation spans hold their key.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_markdown_contract import assert_exact

from lsp_server.documents.markdown import parse_markdown_unguarded

CORPUS_FILES = (
    "rescience-pr18-maksimov/article/article.md",
    "rescience-pr24-rostami/article/VRostami_JIto_MDenker_SGruen_2016.md",
    "quarto-paper-marwick/analysis/paper/paper.qmd",
    "md-docs-prettier/docs/options.md",
    "md-docs-prettier/docs/plugins.md",
    "md-docs-prettier/docs/rationale.md",
    "good-enough-practices/index.md",
)

TOKENS = [
    *"*_`$[]()<>&\\{}!^@~|#:-+.;,\"'",
    "**", "__", "~~", "``", "```", "~~~", "$$", "\\$", "\\*", "\\\n", "  \n", "\n", "\n\n", "\r\n", "\r", "\t", " ",
    "> ", "- ", "* ", "1. ", "# ", "## ", "===", "---", "...", ":::", "::: {.callout-note}", ":::note[T]",
    "| a | b |", "|---|---|", "+---+---+", "[@key]", "[@a; @b, p. 4]", "[see @k, ch. 2]", "-@key", "@fig-x", "@tbl:y",
    "@{odd key}", "\\@ref(fig:z)", "[^1]", "[^1]: ", "^[", "![alt](x.png)", "[t](http://x.org \"t\")", "[t][r]", "[r]: /u",
    "<span>", "</span>", "<br>", "<code>", "</code>", "<!--", "-->", "<https://a.b>", "http://x.org/p_q", "www.x.org",
    "a@b.org", "&amp;", "&eacute;", "&#233;", "&#x1F600;", "&bogus;", "\\emph{", "\\cite{k}", "\\begin{equation}",
    "\\end{equation}", "\\begin{figure}", "{#sec-a .c}", "{=latex}", "{%", "%}", "{{", "}}", "```{r}", "#| fig-cap: \"C\"",
    "`r 1+1`", "title: x", "lang: en", "word", "text", "été", "😀", "漢字", "\x00", "\ufeff", "\u2028", "\x0c",
]  # fmt: skip

soup = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=60).map("".join)


def check(source: str, flavor: str = "markdown") -> None:
    doc = parse_markdown_unguarded(source, "file:///p.md", 1, flavor)
    assert_exact(doc)
    for key in ("citations", "crossrefs"):
        refs = doc.meta[key]
        assert isinstance(refs, list)
        for name, start, end, bracketed in refs:
            assert isinstance(name, str) and isinstance(bracketed, bool)
            assert 0 <= start < end <= len(source)
            assert name and name in source[start:end], (name, source[start:end])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup, st.sampled_from(["markdown", "quarto", "rmarkdown"]))
def test_random_soup_keeps_the_contract(source: str, flavor: str) -> None:
    check(source, flavor)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=400))
def test_binary_junk_keeps_the_contract(data: bytes) -> None:
    check(data.decode("utf-8", errors="replace"))
    check(data.decode("latin-1"))


YAML_TOKENS = [
    "title: ", "abstract: ", "subtitle: ", "lang: ", "bibliography: ", "description: ", "Title: ", "|", "|-", ">", ">2",
    "\"", "'", "''", "\\\"", "- ", "  ", "\n", "\n  ", "\r\n", "\t", "&", "*", "!!python/object:os.system", "{", "}", "[",
    "]", ",", ":", "#", "&amp;", "&eacute;", "*emph*", "@key", "$x$", "en-GB", "x.bib", "word", "été", "\x00", "\ufeff",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join), st.sampled_from(["---", "...", ""]))
def test_random_front_matter_keeps_the_contract(yaml_text: str, closer: str) -> None:
    check(f"---\n{yaml_text}\n{closer}\n\nBody text.\n", "quarto")


@lru_cache(maxsize=1)
def _paragraphs(corpus: Path) -> tuple[str, ...]:
    paragraphs: list[str] = []
    for name in CORPUS_FILES:
        text = (corpus / name).read_text(encoding="utf-8")
        paragraphs.extend(p for p in re.split(r"\n\s*\n", text) if p.strip())
    return tuple(paragraphs)


@st.composite
def mutated(draw: st.DrawFn, paragraphs: tuple[str, ...]) -> str:
    """One to three real paragraphs, then a few random cuts, insertions and swaps."""
    count = draw(st.integers(1, 3))
    start = draw(st.integers(0, len(paragraphs) - 1))
    text = "\n\n".join(paragraphs[start : start + count])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "insert", "duplicate", "crlf", "truncate"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif op == "crlf":
            text = text.replace("\n", "\r\n")
        else:
            text = text[:i]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_corpus_paragraphs_keep_the_contract(corpus_dir: Path, data: st.DataObject) -> None:
    source = data.draw(mutated(_paragraphs(corpus_dir)))
    check(source, data.draw(st.sampled_from(["markdown", "quarto"])))


def test_pathological_nesting_and_unclosed_delimiters_stay_fast() -> None:
    import time

    cases = [
        "[" * 5000 + "x",
        "$a " * 5000,
        "`" * 3001 + "x",
        "<!--" * 3000,
        "*_" * 5000,
        "[x](" * 3000,
        "> " * 2000 + "q",
        "\\emph{" * 3000,
        "\\footnote{" * 3000 + "}" * 3000,
        "[x](" * 3000 + ")" * 3000,
        "![x](" * 3000,
        "a@" * 5000,
        "http://" * 3000,
        "^[" * 3000 + "]" * 3000,
        "[" * 3000 + "@ " + "]" * 3000 + "\n\n[r]: /u",
        "see http://x.org/" + ")" * 30000,
        "\\begin{e" + "\\begin{f".join(str(k) for k in range(2000)) + "}",
    ]
    for source in cases:
        began = time.perf_counter()
        check(source)
        assert time.perf_counter() - began < 1.0, source[:20]
