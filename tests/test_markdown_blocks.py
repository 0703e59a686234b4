"""Block structure: which blocks become chunks (and with which role), which are skipped."""

from __future__ import annotations

from test_markdown_contract import parse


def chunks(source: str, flavor: str = "markdown") -> list[tuple[str, str]]:
    return [(c.role, c.text) for c in parse(source, flavor).chunks]


def test_headings_atx_setext_and_attributes() -> None:
    src = "# Intro {#sec-intro .unnumbered}\n\nSetext title\n============\n\n## Closing hashes ##\n"
    doc = parse(src)
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("heading", "Intro"),
        ("heading", "Setext title"),
        ("heading", "Closing hashes"),
    ]
    assert doc.chunks[0].to_source(0, 5) == (2, 7)


def test_list_items_are_item_chunks_with_exact_lines() -> None:
    src = "- item one\n- item *two*\n  continued\n  1. nested item\n\n10. ordered\n"
    doc = parse(src)
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("item", "item one"),
        ("item", "item two\ncontinued"),
        ("item", "nested item"),
        ("item", "ordered"),
    ]
    second = doc.chunks[1]
    at = second.text.index("continued")
    s, e = second.to_source(at, at + 9)
    assert src[s:e] == "continued"


def test_blockquotes_with_lazy_and_nested_lines() -> None:
    src = "> quote line\nlazy continuation\n> > nested quote\n>\n> - listed in quote\n"
    doc = parse(src)
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("quote", "quote line\nlazy continuation"),
        ("quote", "nested quote"),
        ("item", "listed in quote"),
    ]
    nested = doc.chunks[1]
    s, e = nested.to_source(0, len(nested.text))
    assert src[s:e] == "nested quote"


def test_pipe_table_cells_are_table_chunks() -> None:
    src = "| Col A | Col B \\| pipe |\n|-------|------|\n| cell `code` | cell two |\n| `only code` | |\n"
    assert chunks(src) == [
        ("table", "Col A"),
        ("table", "Col B | pipe"),
        ("table", "cell Y"),
        ("table", "cell two"),
    ]


def test_grid_table_cells_span_lines() -> None:
    src = (
        "+--------------+----------------+\n"
        "| Name         | Meaning of it  |\n"
        "+==============+================+\n"
        "| First cell   | spans two      |\n"
        "| continues    | lines *here*   |\n"
        "+--------------+----------------+\n"
        "\n"
        "Table: **Grid** caption. {#tbl:grid}\n"
    )
    assert chunks(src) == [
        ("table", "Name"),
        ("table", "Meaning of it"),
        ("table", "First cell\ncontinues"),
        ("table", "spans two\nlines here"),
        ("caption", "Grid caption."),
    ]


def test_grid_table_row_with_ragged_columns_is_skipped_not_mismapped() -> None:
    src = "+-----+-----+\n| a   | b   |\n+-----+-----+\n| x | y | z |\n+-----+-----+\n"
    assert chunks(src) == [("table", "a"), ("table", "b")]


def test_definition_lists() -> None:
    assert chunks("Term\n:   Definition *text*.\n\nTerm 2\n\n:   Second.\n") == [
        ("term", "Term"),
        ("item", "Definition text."),
        ("term", "Term 2"),
        ("item", "Second."),
    ]


def test_admonitions_and_callouts_keep_their_content() -> None:
    src = (
        '::: {.callout-note title="Callout title"}\nCallout body.\n:::\n\n'
        ":::note[Docu title]\nDocu body.\n:::\n\n"
        "::::: {.columns}\n::: {.column}\nInner text.\n:::\n:::::\n\n"
        ":::tip Plain title\nTip body.\n:::\n\n"
        "::: warning\nPandoc class only.\n:::\n"
    )
    assert chunks(src) == [
        ("heading", "Callout title"),
        ("paragraph", "Callout body."),
        ("heading", "Docu title"),
        ("paragraph", "Docu body."),
        ("paragraph", "Inner text."),
        ("heading", "Plain title"),
        ("paragraph", "Tip body."),
        ("paragraph", "Pandoc class only."),
    ]


def test_code_html_and_raw_blocks_are_skipped() -> None:
    src = (
        "```python\nprint('@fake prose')\n```\n\n"
        "~~~ {.haskell}\nmain = pure ()\n~~~\n\n"
        "    indented code block\n\n"
        "<div>\nhtml block text\n</div>\n\n"
        "<!-- a\ncomment -->\n\n"
        "\\begin{figure}\n\\centering raw latex\n\\end{figure}\n\n"
        "```{=latex}\n\\newpage\n```\n\n"
        "{% highlight ruby %}\nputs 'hi'\n{% endhighlight %}\n\n"
        "$$\nE = mc^2\n$$ {#eq:energy}\n\n"
        "[ref]: http://example.org\n\n"
        "Only this.\n"
    )
    assert chunks(src) == [("paragraph", "Only this.")]


def test_unclosed_fence_runs_to_the_end_and_says_so() -> None:
    src = "Before.\n\n```\ncode forever\n\nstill code"
    doc = parse(src)
    assert [c.text for c in doc.chunks] == ["Before."]
    ((start, end, message),) = doc.markup_notes
    assert src[start:end] == "```"
    assert "never closed" in message


def test_closed_fences_give_no_note() -> None:
    assert parse("```\na\n```\n\n> ~~~~\n> b\n> ~~~~~\n\n- ```\n  c\n").markup_notes == ()


def test_quarto_chunk_is_skipped_but_its_caption_is_checked() -> None:
    src = (
        "```{r}\n"
        "#| label: fig-map\n"
        '#| fig-cap: "Site plan of the excavation."\n'
        "#| echo: false\n"
        "plot(x)  # @not-a-citation\n"
        "```\n\n"
        "```{r, fig.cap='A knitr caption.'}\nplot(y)\n```\n"
    )
    doc = parse(src, "quarto")
    assert [(c.role, c.text) for c in doc.chunks] == [
        ("caption", "Site plan of the excavation."),
        ("caption", "A knitr caption."),
    ]
    assert doc.meta["citations"] == []
    first = doc.chunks[0]
    s, e = first.to_source(0, len(first.text))
    assert src[s:e] == "Site plan of the excavation."


def test_display_math_inside_a_paragraph_stays_in_the_sentence() -> None:
    assert chunks("where\n$$\na + b\n$$\nis the sum.") == [("paragraph", "where\nX\nis the sum.")]


def test_paragraph_that_is_only_markup_is_no_chunk() -> None:
    assert chunks("`code only`\n\n$x$\n\n<https://example.org>\n\nReal text.") == [("paragraph", "Real text.")]


def test_tabs_and_mixed_indentation_keep_exact_offsets() -> None:
    src = "-\titem with tab\n\t- nested\ttab item\n\n>\tquoted tab\n"
    assert chunks(src) == [("item", "item with tab"), ("item", "nested\ttab item"), ("quote", "quoted tab")]
