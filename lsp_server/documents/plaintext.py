"""Plain text: every character is prose; blank lines separate paragraphs."""

from __future__ import annotations

import re

from lsp_server.documents.model import ProseBuilder, ProseDocument

_PARAGRAPH_BREAK = re.compile(r"\r?\n[ \t]*\r?\n\s*")


def parse_plaintext(source: str, uri: str = "", version: int | None = None) -> ProseDocument:
    b = ProseBuilder(source)
    pos = 1 if source.startswith("\ufeff") else 0
    for m in _PARAGRAPH_BREAK.finditer(source, pos):
        b.text(pos, m.start())
        b.end_chunk()
        pos = m.end()
    b.text(pos, len(source))
    return b.build(uri, "plaintext", version)
