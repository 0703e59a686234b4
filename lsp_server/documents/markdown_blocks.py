"""Block structure: a markdown-it parser set up for pandoc, Quarto and Docusaurus Markdown.

markdown-it gives exact line ranges for blocks and handles the hard part of
CommonMark (list and blockquote continuation, lazy lines).  Its inline parser is
switched off: inline prose is scanned by :mod:`markdown_inline` against the
source itself, which is what makes the offset map exact.

Added here, because pandoc and friends have them and CommonMark does not:
raw LaTeX environments, display math on lines of its own and Liquid code tags
are blocks to skip; grid tables are blocks whose cells are read separately;
``:::`` fenced divs (Quarto callouts, Docusaurus admonitions) are containers
whose content is checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from lsp_server.documents.markdown_grid_tables import BORDER

_BEGIN = re.compile(r"\\begin\{([^{}\n]+)\}")
_LIQUID_OPEN = re.compile(r"\{%-?\s*(highlight|raw|comment)\b[^%]*-?%\}\s*$")
_ATTRS_ONLY = re.compile(r"\s*(?:\{[^{}]*\})?\s*$")

# env key: lines where a raw TeX ``\begin`` found no ``\end`` before the end of the parsed text.
UNCLOSED_TEX = "marginalia_unclosed_tex"

SKIPPED_BLOCKS = frozenset({"fence", "code_block", "html_block", "raw_tex", "math_block", "liquid_block", "hr"})


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def starts_with(state: StateBlock, line: int, char: str) -> bool:
    """Cheap first test for block rules, which run at every block start."""
    pos = state.bMarks[line] + state.tShift[line]
    return pos < state.eMarks[line] and state.src[pos] == char


def _skip_to(state: StateBlock, start: int, end_line: int, token_type: str) -> None:
    state.line = end_line
    token = state.push(token_type, "", 0)
    token.map = [start, end_line]
    token.block = True


def _raw_tex_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``\\begin{figure} … \\end{figure}`` on lines of their own: raw TeX, not prose."""
    if not starts_with(state, start, "\\") or state.is_code_block(start):
        return False
    m = _BEGIN.match(_line(state, start))
    if m is None:
        return False
    closer = "\\end{" + m.group(1) + "}"
    first = _line(state, start)
    if closer in first[m.end() :]:
        last = start
    else:
        last = start + 1
        while last < end and closer not in _line(state, last):
            last += 1
        if last >= end:
            # Unclosed: the paragraph scanner drops the lone \begin.  This looked at every line to
            # the end, so an \end typed anywhere later changes this block: markdown_cache must know.
            state.env.setdefault(UNCLOSED_TEX, []).append(start)
            return False
    if not silent:
        _skip_to(state, start, last + 1, "raw_tex")
    return True


def _display_math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``$$ … $$`` starting a block, possibly over several lines, with optional ``{#eq:x}``.

    Only at the start of a block: inside a paragraph, display math is part of the
    sentence and the inline scanner turns it into a placeholder.
    """
    if not starts_with(state, start, "$") or state.is_code_block(start):
        return False
    first = _line(state, start)
    if not first.startswith("$$"):
        return False
    close = first.find("$$", 2)
    last = start
    tail = first[close + 2 :] if close >= 0 else ""
    if close < 0:
        last = start + 1
        while last < end:
            text = _line(state, last)
            if not text.strip():
                return False  # a blank line ends the paragraph: not display math
            close = text.find("$$")
            if close >= 0:
                tail = text[close + 2 :]
                break
            last += 1
        if last >= end:
            return False
    if _ATTRS_ONLY.match(tail) is None:
        return False
    if not silent:
        _skip_to(state, start, last + 1, "math_block")
    return True


def _liquid_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Jekyll ``{% highlight %} … {% endhighlight %}`` (and raw, comment): code, not prose."""
    if not starts_with(state, start, "{") or state.is_code_block(start):
        return False
    m = _LIQUID_OPEN.match(_line(state, start))
    if m is None:
        return False
    closer = re.compile(r"\{%-?\s*end" + m.group(1) + r"\s*-?%\}")
    last = start + 1
    while last < end and closer.search(_line(state, last)) is None:
        last += 1
    if not silent:
        _skip_to(state, start, min(last + 1, end), "liquid_block")
    return True


def _grid_table_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Pandoc grid table: a ``+---+`` border and the ``+``/``|`` lines after it (cells: markdown_grid_tables)."""
    if not starts_with(state, start, "+") or state.is_code_block(start):
        return False
    first = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
    if BORDER.match(first) is None:
        return False
    last = start + 1
    while last < end:
        text = state.src[state.bMarks[last] + state.tShift[last] : state.eMarks[last]]
        if not text.startswith(("+", "|")):
            break
        last += 1
    if not silent:
        state.line = last
        token = state.push("grid_table", "", 0)
        token.map = [start, last]
        token.block = True
    return True


def _div_fence(params: str, markup: str) -> bool:
    # A bare ":::" is a closer; only an opener carries a class, attributes or a name.
    return bool(params.strip())


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """One shared parser (markdown-it parsers are reusable and thread-safe to call)."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable("table")
    md.use(footnote_plugin)
    md.use(deflist_plugin)
    md.use(container_plugin, name="div", validate=_div_fence)
    md.block.ruler.before("table", "grid_table", _grid_table_block)
    md.block.ruler.before("fence", "raw_tex", _raw_tex_block)
    md.block.ruler.before("fence", "math_block", _display_math_block)
    md.block.ruler.before("fence", "liquid_block", _liquid_block)
    # Inline structure is ours (exact offsets); footnote_tail would move definitions away.
    md.disable(["inline", "footnote_tail", "text_join"])
    return md
