"""Captions of Quarto and R Markdown code chunks: the one piece of prose inside code.

```` ```{r} ```` chunks are code and skipped, but their ``#| fig-cap: "…"`` (Quarto)
or ``{r, fig.cap="…"}`` (knitr) option is the printed figure caption, often the
longest sentence near the figure.  Only single-line values are taken, plain or
quoted without escapes, so the map to the source stays exact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from lsp_server.documents.markdown_content import Content

_OPTION = re.compile(r"[ \t]*#\|[ \t]*(?P<key>[\w.-]+)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_KNITR_CAPTION = re.compile(r"\b(?:fig\.cap|tab\.cap|fig\.alt)\s*=\s*(?:\"(?P<dq>[^\"\\\n]+)\"|'(?P<sq>[^'\\\n]+)')")
CAPTION_KEYS = frozenset({"fig-cap", "tbl-cap", "fig-alt", "lst-cap"})


def _value_span(value: str) -> tuple[int, int] | None:
    """Span of the caption text inside an option value, or None if it is not a simple scalar."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if "\\" in inner or value[0] in inner:
            return None
        return 1, len(value) - 1
    if not value or value[0] in "|>[{&*!%@`'\"" or " #" in value:
        return None
    return 0, len(value)


def caption_contents(source: str, lines: Sequence[tuple[int, int, int]], fence: Token) -> list[Content]:
    """Captions declared by a code chunk fence token, as Content mapped to the source."""
    if fence.map is None or not fence.info.lstrip().startswith("{") or fence.info.lstrip().startswith("{="):
        return []
    first, last = fence.map
    found: list[Content] = []
    if first < len(lines):
        ls, le, _ = lines[first]
        for m in _KNITR_CAPTION.finditer(source, ls, le):
            group = "dq" if m.group("dq") is not None else "sq"
            content = Content()
            content.add(source, m.start(group), m.end(group))
            found.append(content)
    for ln in range(first + 1, min(last, len(lines))):
        ls, le, _ = lines[ln]
        option = _OPTION.match(source, ls, le)
        if option is None:
            break  # options come first; the code starts here
        if option.group("key") not in CAPTION_KEYS:
            continue
        span = _value_span(option.group("value"))
        if span is None:
            continue
        vstart = option.start("value")
        content = Content()
        content.add(source, vstart + span[0], vstart + span[1])
        found.append(content)
    return found
