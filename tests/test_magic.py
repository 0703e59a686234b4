"""Magic comments: an allowlist, regions, and where a new one is inserted."""

from __future__ import annotations

from lsp_server.magic import comment_for, insertion_offset, parse_magic


def test_latex_directives() -> None:
    src = "% marginalia: language=en-GB disable=style.passive,spelling\nText\n\\% marginalia: language=fr\n"
    m = parse_magic(src)
    assert m.language == "en-GB"  # the escaped \% line is text, not a comment
    assert m.disabled_rules == {"style.passive", "spelling"}
    assert m.problems == ()


def test_markdown_regions_and_rejected_keys() -> None:
    src = "a\n<!-- marginalia: off -->\nskip\n<!-- marginalia: on -->\nb <!-- marginalia: model=evil url=http://x -->"
    m = parse_magic(src)
    ((start, end),) = m.off_regions
    assert src[start:end].count("skip") == 1 and "b" not in src[start:end]
    assert len(m.problems) == 2  # neither key is allowed: documents never name models or URLs
    assert all("not understood" in p[2] for p in m.problems)


def test_unterminated_off_runs_to_the_end() -> None:
    src = "% marginalia: off\nrest"
    assert parse_magic(src).off_regions == ((0, len(src)),)


def test_insertion_after_front_matter_and_bom() -> None:
    md = "\ufeff---\ntitle: x\n---\nBody"
    pos = insertion_offset(md, "markdown")
    assert md[pos:] == "Body"
    assert insertion_offset("\\documentclass{article}", "latex") == 0
    assert comment_for("latex", "disable=x") == "% marginalia: disable=x\n"
    assert comment_for("quarto", "disable=x") == "<!-- marginalia: disable=x -->\n"
