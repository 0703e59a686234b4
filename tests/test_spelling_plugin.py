"""The spelling plugin on paragraphs: what is flagged, where, and what the quick fixes offer."""

from __future__ import annotations

from pathlib import Path

import pytest
from marginalia_spelling import SpellingPlugin, SpellingSettings
from marginalia_spelling.plugin import ADD_TO_DICTIONARY, RULE

from lsp_server.documents.model import PieceKind, ProseBuilder, ProseDocument
from lsp_server.documents.plaintext import parse_plaintext
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, Finding, LoadedPlugins, Severity

PLUGIN = SpellingPlugin()


def check(text: str, **kw: object) -> list[tuple[str, Finding]]:
    settings = kw.pop("settings", SpellingSettings())
    ctx = CheckContext(settings=settings, **kw)  # type: ignore[arg-type]
    doc = parse_plaintext(text)
    return [(doc.source[f.start : f.end], f) for c in doc.chunks for f in PLUGIN.check_chunk(c, ctx)]


def flagged(text: str, **kw: object) -> list[str]:
    return [w for w, _ in check(text, **kw)]


def test_misspelling_is_flagged_with_span_message_and_data() -> None:
    [(word, f)] = check("Hello wrold, how are you?")
    assert word == "wrold" and (f.start, f.end) == (6, 11)
    assert f.rule == RULE and f.severity == Severity.WARNING
    assert f.message == "'wrold' is not in the en-US dictionary"
    assert f.data == {"word": "wrold", "language": "en-US"}


@pytest.mark.parametrize(
    "text",
    [
        "Visit https://wrold.example.org/recieve or www.wrold.org today.",
        "Write to wrold@example.org or @wroldbot.",
        "It ran at 3.5GHz for 10km in the 1990s, the 2nd run, on an mp3.",
        "The fooBar and BazQux helpers call snake_case_thing.",
        "NASA and the GPUs and CPU's ran the HPCX code.",
        "Edit ./src/wrold.py or config/wrold_v2/main.rs, then foo.tex.",
        "It's Smith's idea; they've said we'll see, don't worry, it isn’t.",
        "A state-of-the-art, non-linear, well-known, GPU-based method.",
        "日本語のテキストです。😀🎉 Ελληνικά кириллица",
        "The naïve café résumé.",
    ],
)
def test_not_prose_or_correct_is_not_flagged(text: str) -> None:
    assert flagged(text) == []


def test_hyphenated_compound_flags_only_the_bad_part() -> None:
    [(word, _)] = check("A well-knwon result.")
    assert word == "knwon"


def test_possessive_and_contraction_of_a_misspelling_are_flagged() -> None:
    assert flagged("The wrold's end; does'nt help.") == ["wrold's", "does'nt"]


def test_capitalised_words_mid_sentence_are_probably_names() -> None:
    found = check("Wrold said it. We met Ambikasaran there.")
    assert [(w, f.severity) for w, f in found] == [("Wrold", Severity.WARNING), ("Ambikasaran", Severity.INFO)]
    assert flagged("We met Ambikasaran there.", settings=SpellingSettings(check_capitalized=False)) == []
    # At a sentence start only a slip of a common word ("Wrold") is a warning; an unknown name is not.
    [(_, f)] = check("Ambikasaran derived it.")
    assert f.severity == Severity.INFO
    [(_, f)] = check("Ornstein–Uhlenbeck process.")
    assert f.severity == Severity.INFO


def test_held_shift_typo_is_flagged_and_fixed() -> None:
    doc = parse_plaintext("THe end.")
    ctx = CheckContext(settings=SpellingSettings())
    [f] = PLUGIN.check_chunk(doc.chunks[0], ctx)
    assert doc.source[f.start : f.end] == "THe"
    assert next(a for a in PLUGIN.actions(doc, f, ctx)).edit == (0, 3, "The")


def test_settings_ignore_words_min_length_and_all_caps() -> None:
    assert flagged("wrold here", settings=SpellingSettings(ignore_words=["wrold"])) == []
    assert flagged("a qz here", settings=SpellingSettings(min_word_length=3)) == []
    assert flagged("a qz here") == ["qz"]
    assert flagged("The WROLD", settings=SpellingSettings(ignore_all_caps=False)) == ["WROLD"]
    assert flagged("The WROLD") == []


def test_user_dictionary_case_rules() -> None:
    words = frozenset({"wrold", "Zorblax"})
    assert flagged("Wrold is wrold. Zorblax met Zorblax.", dictionary=words) == []
    # A capitalised entry is a name: its lower-case form is still a misspelling.
    assert flagged("the zorblax", dictionary=words) == ["zorblax"]


def test_language_variants() -> None:
    assert flagged("The colour and the color.", language="en-GB") == ["color"]
    assert flagged("The colour and the color.", language="en-US") == ["colour"]
    assert flagged("The colour.", language="en-AU") == []  # nearest: en-GB


def test_suggestions_follow_the_language_variant() -> None:
    assert PLUGIN.suggestions("color", CheckContext(settings=SpellingSettings(), language="en-GB"))[0] == "colour"
    assert PLUGIN.suggestions("colour", CheckContext(settings=SpellingSettings(), language="en-US"))[0] == "color"
    assert PLUGIN.suggestions("wrold", CheckContext(settings=SpellingSettings(max_suggestions=1)))[0] == "world"
    assert len(PLUGIN.suggestions("wrold", CheckContext(settings=SpellingSettings(max_suggestions=1)))) == 1


def test_placeholders_are_skipped_and_offsets_map_to_source() -> None:
    src = r"The $xyzzy$-th wrold and \cite{qwrty}'s caf\'e wrold"
    math, cite, accent = src.index("$"), src.index("\\cite"), src.index("\\'e")
    b = ProseBuilder(src)
    b.text(0, math)
    b.placeholder(PieceKind.MATH, "X", math, math + 7)
    b.text(math + 7, cite)
    b.placeholder(PieceKind.CITATION, "Smith", cite, cite + 12)
    b.text(cite + 12, accent)
    b.replace("é", accent, accent + 3)
    b.text(accent + 3, len(src))
    doc = b.build("", "latex")
    ctx = CheckContext(settings=SpellingSettings())
    found = [doc.source[f.start : f.end] for c in doc.chunks for f in PLUGIN.check_chunk(c, ctx)]
    assert found == ["wrold", "wrold"]
    assert doc.chunks[0].text == "The X-th wrold and Smith's café wrold"


def _engine(tmp_path: Path, settings: dict[str, object] | None = None) -> Engine:
    return Engine(tmp_path, settings, loaded=LoadedPlugins({"spelling": SpellingPlugin()}, {}))


def test_actions_offer_ranked_edits_then_add_to_dictionary(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    doc = engine.parse("Hello wrold.", "plaintext")
    [f] = engine.check(doc, plugins=["spelling"]).findings
    actions = engine.actions(doc, f)
    assert actions[0].edit == (f.start, f.end, "world") and actions[0].preferred
    assert not any(a.preferred for a in actions[1:])
    assert actions[-1].command == ADD_TO_DICTIONARY and actions[-1].arguments == ("wrold",)
    assert engine.replacements_for(doc, f)[0] == "world"
    engine.shutdown()


def test_engine_settings_reach_the_plugin(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {"spelling": {"ignore_words": ["wrold"], "min_word_length": "x"}})
    doc = engine.parse("Hello wrold, a qz.", "plaintext")
    assert [doc.source[f.start : f.end] for f in engine.check(doc).findings] == ["qz"]
    assert any("min_word_length" in m for m in engine.settings.messages)
    engine.shutdown()


def test_no_dictionary_means_no_findings_and_one_status_line() -> None:
    plugin = SpellingPlugin()
    ctx = CheckContext(settings=SpellingSettings(), language="xx-YY")
    doc = parse_plaintext("Wrold wrold recieve.\n\nMore wrold.")
    assert [f for c in doc.chunks for f in plugin.check_chunk(c, ctx)] == []
    ok, line = plugin.status()
    assert ok and line.count("no Hunspell dictionary for 'xx-YY'") == 1


def test_bad_input_does_not_crash() -> None:
    text = "\x00\ufffd" + "a" * 10_000 + " \udcff wrold " + "é" * 70
    assert flagged(text) == ["wrold"]
    assert flagged("") == []


def test_empty_document_and_huge_word_ids() -> None:
    doc = ProseDocument("", "", "plaintext", None, ())
    assert list(PLUGIN.check_document(doc, CheckContext(settings=SpellingSettings()))) == []
