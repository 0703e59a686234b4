"""Chunks become LanguageTool annotated text; LanguageTool offsets map back exactly."""

from __future__ import annotations

import json

from fakes.languagetool_server import LANGUAGES
from marginalia_grammar.annotate import annotate
from marginalia_grammar.languages import lt_language

from lsp_server.documents.model import PieceKind, ProseBuilder


def _chunk_with_math() -> tuple[str, object]:
    source = r"Take a $\alpha$ and the the \'ecole."
    b = ProseBuilder(source)
    b.text(0, 7)  # "Take a "
    b.placeholder(PieceKind.MATH, "X", 7, 15)  # $\alpha$
    b.text(15, 28)  # " and the the "
    b.replace("é", 28, 31)  # \'e
    b.text(31, len(source))
    return source, b.build("t", "latex").chunks[0]


def test_placeholders_go_as_markup_and_prose_as_text() -> None:
    _, chunk = _chunk_with_math()
    data, _ = annotate(chunk)  # type: ignore[arg-type]
    parts = data["annotation"]
    assert {"markup": "<math/>", "interpretAs": "X"} in parts
    assert {"text": "é"} in parts  # a decoded accent is prose, checked as such
    assert "".join(p.get("text", p.get("interpretAs", "")) for p in parts) == chunk.text  # type: ignore[attr-defined]
    json.dumps(data)  # the data parameter must serialise


def test_offsets_after_markup_map_back_to_source() -> None:
    source, chunk = _chunk_with_math()
    data, omap = annotate(chunk)  # type: ignore[arg-type]
    original = "".join(p.get("text", p.get("markup", "")) for p in data["annotation"])
    at = original.index("the the")
    start, end = chunk.to_source(*omap.span_to_prose(at, len("the the")))  # type: ignore[attr-defined]
    assert source[start:end] == "the the"
    # A match on the placeholder covers the whole formula, never half of it.
    m = original.index("<math/>")
    start, end = chunk.to_source(*omap.span_to_prose(m, len("<math/>")))  # type: ignore[attr-defined]
    assert source[start:end] == r"$\alpha$"
    # A match ending inside the decoded accent covers the whole macro.
    e = original.index("é")
    start, end = chunk.to_source(*omap.span_to_prose(e, 3))  # type: ignore[attr-defined]
    assert source[start:end] == r"\'eco"


def test_language_codes() -> None:
    assert lt_language("en-gb", LANGUAGES) == "en-GB"
    assert lt_language("en", LANGUAGES) == "en"
    assert lt_language("de", LANGUAGES) == "de-DE"
    assert lt_language("fr-FR", LANGUAGES) == "fr"
    assert lt_language("xx-YY", LANGUAGES) == "auto"
    assert lt_language("auto") == "auto"
    assert lt_language("de") == "de-DE"  # without the server's list
    assert lt_language("en-US") == "en-US"
