"""Pandoc grid tables (``+---+---+`` borders), which CommonMark does not know.

A cell may span several lines (and its math may break across them), so each
cell's lines are joined into one :class:`Content` before inline scanning.
Column edges come from the ``|`` characters of each line when there are as
many as columns (authors often overflow the border), otherwise from the ``+``
positions of the border above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsp_server.documents.markdown_content import Content

BORDER = re.compile(r"\+(?:[-=:]+\+)+\s*$")
_PIPE = re.compile(r"(?<!\\)\|")


def _bounds(text: str, lead: int, edges: list[int]) -> list[int] | None:
    """Column boundaries of one table line, or None when they cannot be trusted."""
    want = len(edges)
    unescaped = [m.start() for m in _PIPE.finditer(text)]
    if len(unescaped) == want:
        return unescaped
    every = [i for i, c in enumerate(text) if c == "|"]
    if len(every) == want:
        return every
    if len(unescaped) == want - 1 and unescaped and unescaped[0] == lead:
        return [*unescaped, len(text)]  # the closing "|" is missing
    if all(e < len(text) and text[e] == "|" for e in edges):
        return edges
    return None


def grid_cells(source: str, lines: Sequence[tuple[int, int, int]], first: int, last: int) -> list[Content]:
    """Every cell of the grid table on lines ``[first, last)``, in reading order.

    A row with a line whose columns cannot be told apart (spanning cells,
    ragged pipes) is skipped whole rather than mapped wrongly.
    """
    cells: list[Content] = []
    edges: list[int] = []
    row: list[Content] = []
    row_ok = True
    for ln in range(first, min(last, len(lines))):
        ls, le, _ = lines[ln]
        text = source[ls:le]
        lead = len(text) - len(text.lstrip())
        body = text[lead:]
        if BORDER.match(body):
            if row_ok:
                cells.extend(c for c in row if len(c))
            row, row_ok = [], True
            edges = [lead + m.start() for m in re.finditer(r"\+", body)]
            continue
        bounds = _bounds(text, lead, edges) if len(edges) >= 2 else None
        if bounds is None:
            row_ok = False
            continue
        if not row:
            row = [Content() for _ in range(len(bounds) - 1)]
        for col in range(min(len(row), len(bounds) - 1)):
            cell = text[bounds[col] + 1 : bounds[col + 1]]
            stripped = cell.strip()
            if stripped.endswith("\\") and not stripped.endswith("\\\\"):
                stripped = stripped[:-1].rstrip()  # a hard line break inside the cell
            if not stripped:
                continue
            at = ls + bounds[col] + 1 + (len(cell) - len(cell.lstrip()))
            content = row[col]
            if len(content) and ln > 0 and lines[ln - 1][2] >= 0:
                nl = lines[ln - 1][2]
                content.add(source, nl, nl + 1)
            content.add(source, at, at + len(stripped))
    if row_ok:
        cells.extend(c for c in row if len(c))
    return cells
