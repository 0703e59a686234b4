"""Rule examples as chunks: the tiny notation the examples files use.

``[[...]]`` marks the span a rule must report; ``$...$`` is inline math and
``\\name{arg}...`` a macro, both turned into placeholders with the reading the
LaTeX parser gives them, so examples exercise the same piece kinds as real
documents without depending on the full parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lsp_server.documents.model import Chunk, PieceKind, ProseBuilder
from lsp_server.documents.placeholders import math_placeholder, word_placeholder

_MARKUP = re.compile(r"\$(?P<math>[^$]+)\$|\\(?P<cmd>[A-Za-z]+)(?P<args>(?:\{[^{}]*\})*)|\[\[|\]\]")


@dataclass
class Example:
    source: str
    chunk: Chunk
    expected: tuple[int, int] | None  # source span that must be reported
    replacement: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


def parse_example(raw: str | list[Any] | dict[str, Any]) -> Example:
    """``"text"``, ``["text with [[span]]", "replacement"]`` or ``{"text", "replacement", "options"}``."""
    options: dict[str, Any] = {}
    replacement: str | None = None
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, list):
        text, replacement = raw[0], raw[1] if len(raw) > 1 else None
    else:
        text, replacement, options = raw["text"], raw.get("replacement"), raw.get("options", {})
    # Drop the markers first so offsets are those of the real source.
    source = text.replace("[[", "").replace("]]", "")
    expected: tuple[int, int] | None = None
    if "[[" in text:
        start = text.index("[[")
        end = text.index("]]") - 2
        expected = (start, end)
    builder = ProseBuilder(source)
    pos = 0
    for m in _MARKUP.finditer(source):
        builder.text(pos, m.start())
        if m.group("math") is not None:
            builder.placeholder(PieceKind.MATH, math_placeholder(m.group("math")), m.start(), m.end())
        elif m.group("cmd") is not None:
            first = re.match(r"\{([^{}]*)\}", m.group("args") or "")
            reading = first.group(1) if first else m.group("cmd")
            builder.placeholder(PieceKind.COMMAND, word_placeholder(reading), m.start(), m.end())
        pos = m.end()
    builder.text(pos, len(source))
    doc = builder.build("example", "latex")
    return Example(source, doc.chunks[0], expected, replacement, options)
