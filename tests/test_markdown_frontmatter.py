"""YAML front matter: metadata, prose fields mapped to their exact scalar text, and bad YAML."""

from __future__ import annotations

import pytest
from test_markdown_contract import parse

from lsp_server.documents.model import ProseDocument


def texts(doc: ProseDocument) -> list[tuple[str, str]]:
    return [(c.role, c.text) for c in doc.chunks]


def source_of_chunk(doc: ProseDocument, index: int) -> str:
    chunk = doc.chunks[index]
    s, e = chunk.to_source(0, len(chunk.text))
    return doc.source[s:e]


def test_title_fields_map_to_their_scalars() -> None:
    src = (
        "---\n"
        'title: "A *Quoted* Title &amp; more"\n'
        "subtitle: Plain subtitle\n"
        "Description: 'Single quoted'\n"
        "author: Not Prose\n"
        "---\n\nBody.\n"
    )
    doc = parse(src)
    assert texts(doc) == [
        ("heading", "A Quoted Title & more"),
        ("heading", "Plain subtitle"),
        ("paragraph", "Single quoted"),
        ("paragraph", "Body."),
    ]
    assert source_of_chunk(doc, 0) == "A *Quoted* Title &amp; more"
    assert source_of_chunk(doc, 2) == "Single quoted"


def test_entities_in_yaml_prose_decode() -> None:
    doc = parse("---\ntitle: Gr&uuml;n caf&eacute; caf&#233;\n---\n")
    (title,) = doc.chunks
    assert title.text == "Grün café café"
    assert [doc.source[p.src_start : p.src_end] for p in title.pieces if not p.exact] == [
        "&uuml;",
        "&eacute;",
        "&#233;",
    ]


def test_block_scalars_split_into_paragraphs() -> None:
    src = (
        "---\n"
        "abstract: |\n"
        "  First abstract paragraph\n"
        "  continues here.\n"
        "\n"
        "  Second paragraph.\n"
        "description: >-\n"
        "  Folded text\n"
        "  over lines.\n"
        "---\n"
    )
    doc = parse(src)
    assert texts(doc) == [
        ("paragraph", "First abstract paragraph\ncontinues here."),
        ("paragraph", "Second paragraph."),
        ("paragraph", "Folded text\nover lines."),
    ]
    assert source_of_chunk(doc, 1) == "Second paragraph."


def test_multiline_quoted_title_keeps_exact_lines() -> None:
    src = '---\nTitle: "Cellular Mechanisms (<1 Hz)\n        and Waves"\n---\n'
    doc = parse(src)
    assert texts(doc) == [("heading", "Cellular Mechanisms (<1 Hz)\nand Waves")]


def test_escaped_scalar_is_skipped_rather_than_mismapped() -> None:
    src = '---\ntitle: "Say \\"hi\\" now"\nabstract: Fine text.\n---\n'
    assert texts(parse(src)) == [("paragraph", "Fine text.")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en_GB", "en-GB"), ("de", "de"), ("pt-BR", "pt-BR")],
)
def test_lang_becomes_declared_language(value: str, expected: str) -> None:
    doc = parse(f"---\nlang: {value}\n---\nText.\n")
    assert doc.declared_language == expected
    assert doc.markup_notes == ()


def test_front_matter_meta_keeps_flat_fields_only() -> None:
    doc = parse(
        "---\ncsl: apa.csl\nlink-citations: true\nkeywords: [a, b]\nauthor:\n  - name: X\nbase: &b [1]\nrefs: *b\n---\n"
    )
    assert doc.meta["front_matter"] == {
        "csl": "apa.csl",
        "link-citations": True,
        "keywords": ["a", "b"],
        "base": [1],
        "refs": [1],
    }


def test_bad_lang_is_a_note() -> None:
    doc = parse("---\nlang: not a tag!\n---\nText.\n")
    assert doc.declared_language is None
    assert "BCP-47" in doc.markup_notes[0][2]


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ("refs.bib", ["refs.bib"]),
        ("[a.bib, b.bib]", ["a.bib", "b.bib"]),
        ("\n  - one.bib\n  - two.bib", ["one.bib", "two.bib"]),
    ],
)
def test_bibliography_string_or_list(yaml_value: str, expected: list[str]) -> None:
    doc = parse(f"---\nbibliography: {yaml_value}\n---\nText.\n")
    assert doc.meta["bibliographies"] == expected


def test_invalid_yaml_is_a_markup_note_and_the_body_still_parses() -> None:
    src = "---\ntitle: [unclosed\nkey: : :\n---\n\nBody text.\n"
    doc = parse(src)
    assert texts(doc) == [("paragraph", "Body text.")]
    (start, end, message) = doc.markup_notes[0]
    assert "not valid YAML" in message
    assert 0 <= start <= end <= src.index("\n---\n") + 1


def test_non_mapping_front_matter_is_a_note() -> None:
    doc = parse("---\n- just\n- a list\n---\nText.\n")
    assert "not a YAML mapping" in doc.markup_notes[0][2]


def test_yaml_cannot_construct_objects() -> None:
    # safe_load refuses python tags: a note, never an object.
    doc = parse("---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\nText.\n")
    assert doc.markup_notes and "not valid YAML" in doc.markup_notes[0][2]


def test_bom_and_dots_closer() -> None:
    src = "\ufeff---            \ntitle: Boms\nbibliography: x.bib\n...\n\n# Heading\n"
    doc = parse(src)
    assert texts(doc) == [("heading", "Boms"), ("heading", "Heading")]
    assert doc.meta["bibliographies"] == ["x.bib"]
    assert source_of_chunk(doc, 0) == "Boms"


def test_dashes_then_blank_line_is_a_rule_not_front_matter() -> None:
    doc = parse("---\n\ntitle: no\n\n---\n")
    assert doc.meta.get("front_matter_span") is None
    assert texts(doc) == [("paragraph", "title: no")]


def test_unclosed_front_matter_is_markdown_with_a_note() -> None:
    doc = parse("---\ntitle: never closed\n\nText.\n")
    assert doc.meta.get("front_matter_span") is None
    assert ("paragraph", "Text.") in texts(doc)
    assert "never closed" in doc.markup_notes[0][2]
