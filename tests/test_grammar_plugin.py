"""The LanguageTool plugin against a local server that speaks LanguageTool's API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.languagetool_server import FakeLanguageTool
from marginalia_grammar import LanguageToolPlugin
from marginalia_grammar.settings import LanguageToolSettings
from marginalia_grammar_rules import GrammarRulesPlugin

from lsp_server.documents import parse_document
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, LoadedPlugins

THREE_PARAGRAPHS = "First we could of known.\n\nSecond paragraph is fine.\n\nThird has the the word.\n"


@pytest.fixture
def fake() -> Iterator[FakeLanguageTool]:
    with FakeLanguageTool() as server:
        yield server


def _engine(root: Path, grammar: dict[str, Any], *, with_rules: bool = False, core: dict[str, Any] | None = None) -> Engine:
    plugins: dict[str, Any] = {"grammar": LanguageToolPlugin()}
    if with_rules:
        plugins["grammar-rules"] = GrammarRulesPlugin()
    # Without the offline rules, LanguageTool reports what they would have (see the dedup tests).
    settings = {"grammar": grammar, **({} if with_rules else {"disabled_plugins": ["grammar-rules"]}), **(core or {})}
    return Engine(root, settings, loaded=LoadedPlugins(plugins, {}))


def test_matches_become_findings_with_rule_category_and_fixes(tmp_path: Path, fake: FakeLanguageTool) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url})
    doc = parse_document(THREE_PARAGRAPHS, "plaintext")
    result = engine.check(doc)
    assert not result.problems
    by_rule = {f.rule: f for f in result.findings}
    could = by_rule["grammar.COULD_OF"]
    assert doc.source[could.start : could.end] == "of"
    assert could.replacements == ("have", "’ve")
    assert could.data is not None and could.data["category"] == "GRAMMAR"
    assert "COULD_OF" in could.explanation and "Grammar" in could.explanation
    rep = by_rule["grammar.ENGLISH_WORD_REPEAT_RULE"]
    assert doc.source[rep.start : rep.end] == "the the"
    # The request carried annotated text and the document's language.
    sent = fake.requests[0]
    assert "data" in sent and "text" not in sent
    assert sent["language"] == "en-US"


def test_an_edit_sends_only_the_changed_paragraph(tmp_path: Path, fake: FakeLanguageTool) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url})
    engine.check(parse_document(THREE_PARAGRAPHS, "plaintext", version=1))
    assert fake.check_requests == 3
    edited = THREE_PARAGRAPHS.replace("Second paragraph is fine.", "Second paragraph is now a apple.")
    result = engine.check(parse_document(edited, "plaintext", version=2))
    assert fake.check_requests == 4  # exactly one new request
    assert json.loads(fake.requests[-1]["data"])["annotation"][0]["text"].startswith("Second paragraph")
    assert any(f.rule == "grammar.EN_A_VS_AN" for f in result.findings)
    engine.check(parse_document(edited, "plaintext", version=3))
    assert fake.check_requests == 4  # nothing changed, nothing sent


def test_markup_is_sent_as_markup_and_findings_map_to_source(tmp_path: Path, fake: FakeLanguageTool) -> None:
    from lsp_server.documents.model import PieceKind, ProseBuilder

    source = "We take a $x$ here and it is the the end."
    b = ProseBuilder(source)
    b.text(0, 10)
    b.placeholder(PieceKind.MATH, "X", 10, 13)
    b.text(13, len(source))
    doc = b.build("t.tex", "latex")
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url})
    result = engine.check(doc)
    spans = {f.rule: source[f.start : f.end] for f in result.findings}
    assert spans["grammar.EN_A_VS_AN"] == "a"  # the fake read "a X" and flagged the article only
    assert spans["grammar.ENGLISH_WORD_REPEAT_RULE"] == "the the"
    assert all("$" not in source[f.start : f.end] for f in result.findings)


def test_remote_credentials_and_options_are_sent(tmp_path: Path) -> None:
    with FakeLanguageTool(require_key=("ada", "k3y")) as fake:
        grammar = {"mode": "remote", "url": fake.url + "/v2", "username": "ada", "api_key": "k3y", "mother_tongue": "de-DE",
                   "picky": True, "disabled_rules": ["EN_A_VS_AN"], "enabled_categories": ["STYLE"]}
        result = _engine(tmp_path, grammar).check(parse_document("We could of known a apple.", "plaintext"))
        assert not result.problems
        sent = fake.requests[0]
        assert (sent["username"], sent["apiKey"]) == ("ada", "k3y")
        assert sent["motherTongue"] == "de-DE" and sent["level"] == "picky"
        assert sent["disabledRules"] == "EN_A_VS_AN" and sent["enabledCategories"] == "STYLE"
        assert [f.rule for f in result.findings] == ["grammar.COULD_OF"]


def test_wrong_api_key_is_a_clear_problem(tmp_path: Path) -> None:
    with FakeLanguageTool(require_key=("ada", "right")) as fake:
        grammar = {"mode": "remote", "url": fake.url, "username": "ada", "api_key": "wrong"}
        result = _engine(tmp_path, grammar).check(parse_document("Text.", "plaintext"))
        assert "403" in result.problems["grammar"] and "Authentication" in result.problems["grammar"]


def test_wrong_url_is_a_clear_problem_and_other_plugins_keep_working(tmp_path: Path, fake: FakeLanguageTool) -> None:
    port = int(fake.url.rsplit(":", 1)[1])
    fake.__exit__()  # nothing listens there any more
    engine = _engine(tmp_path, {"mode": "remote", "url": f"http://127.0.0.1:{port}"}, with_rules=True)
    result = engine.check(parse_document("It was a apple.", "plaintext"))
    assert "cannot reach LanguageTool" in result.problems["grammar"]
    assert [f.rule for f in result.findings] == ["grammar-rules.a-an"]


def test_url_that_is_not_languagetool(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": "ftp://example.org"})
    result = engine.check(parse_document("Text.", "plaintext"))
    assert "not an http(s) URL" in result.problems["grammar"]


def test_remote_mode_needs_an_explicit_url(tmp_path: Path) -> None:
    result = _engine(tmp_path, {"mode": "remote"}).check(parse_document("Text.", "plaintext"))
    assert "grammar.url is empty" in result.problems["grammar"]


def test_server_that_never_answers_is_abandoned(tmp_path: Path) -> None:
    import time

    with FakeLanguageTool(delay=30) as slow:
        engine = _engine(tmp_path, {"mode": "remote", "url": slow.url, "request_timeout": 1}, with_rules=True,
                         core={"plugin_time_limit": 3})
        t0 = time.monotonic()
        result = engine.check(parse_document("It was a apple.", "plaintext"))
        elapsed = time.monotonic() - t0
        assert elapsed < 3.5
        assert "grammar" in result.problems and ("timed out" in result.problems["grammar"] or "took longer" in result.problems["grammar"])
        assert [f.rule for f in result.findings] == ["grammar-rules.a-an"]
        engine.shutdown()


def test_one_problem_one_diagnostic_with_offline_rules(tmp_path: Path, fake: FakeLanguageTool) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url}, with_rules=True)
    doc = parse_document("It was a apple and the the end. We could of known.", "plaintext")
    rules = sorted(f.rule for f in engine.check(doc).findings)
    # a/an, doubled word and could-of: each once, from the offline rules.
    assert rules == ["grammar-rules.a-an", "grammar-rules.could-of", "grammar-rules.doubled-word"]
    assert fake.check_requests == 1


def test_without_offline_rules_languagetool_reports_them(tmp_path: Path, fake: FakeLanguageTool) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url}, with_rules=True, core={"disabled_plugins": ["grammar-rules"]})
    doc = parse_document("It was a apple and the the end.", "plaintext")
    rules = sorted(f.rule for f in engine.check(doc).findings)
    assert rules == ["grammar.ENGLISH_WORD_REPEAT_RULE", "grammar.EN_A_VS_AN"]


def test_switching_the_offline_rules_off_brings_languagetool_findings_back(tmp_path: Path, fake: FakeLanguageTool) -> None:
    """Grammar's cached, de-duplicated paragraph must not outlive the plugin it deferred to."""
    settings: dict[str, Any] = {"grammar": {"mode": "remote", "url": fake.url}}
    loaded = LoadedPlugins({"grammar": LanguageToolPlugin(), "grammar-rules": GrammarRulesPlugin()}, {})
    engine = Engine(tmp_path, settings, loaded=loaded)
    doc = parse_document("It was a apple.", "plaintext")
    assert [f.rule for f in engine.check(doc).findings] == ["grammar-rules.a-an"]
    engine.reload_settings({**settings, "disabled_plugins": ["grammar-rules"]})
    assert [f.rule for f in engine.check(doc).findings] == ["grammar.EN_A_VS_AN"]
    only_languagetool = Engine(tmp_path, settings, loaded=LoadedPlugins({"grammar": LanguageToolPlugin()}, {}))
    assert [f.rule for f in only_languagetool.check(doc).findings] == ["grammar.EN_A_VS_AN"]  # rules not installed


def test_languagetool_spelling_is_left_to_the_spelling_plugin(tmp_path: Path, fake: FakeLanguageTool) -> None:
    doc = parse_document("We read teh book.", "plaintext")
    assert _engine(tmp_path, {"mode": "remote", "url": fake.url}).check(doc).findings == []
    found = _engine(tmp_path, {"mode": "remote", "url": fake.url, "spelling": True}).check(doc).findings
    assert [f.rule for f in found] == ["grammar.MORFOLOGIK_RULE_EN_US"]


def test_actions_and_hide_false_positive(tmp_path: Path, fake: FakeLanguageTool) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url})
    doc = parse_document("We could of known.\n\nOther text.", "plaintext")
    (finding,) = engine.check(doc).findings
    actions = engine.actions(doc, finding)
    assert [(a.command, a.arguments[0]["rule"]) for a in actions] == [
        ("marginalia.disableRule", "grammar.COULD_OF"),
        ("marginalia.grammar.hideFalsePositive", "grammar.COULD_OF"),
    ]
    assert actions[1].arguments[0]["uri"] == doc.uri
    plugin_name, handler = engine.commands()["marginalia.grammar.hideFalsePositive"]
    assert plugin_name == "grammar"
    ctx = engine.context("grammar", doc)
    result = handler(ctx, *actions[1].arguments)
    stored = json.loads((tmp_path / ".marginalia" / "false-positives.json").read_text())
    assert stored["hidden"] == [{"rule": "grammar.COULD_OF", "sentence": "We could of known."}]
    assert result["path"].endswith("false-positives.json")
    assert engine.check(doc).findings == []
    # The same words in another sentence are still reported.
    other = parse_document("They could of known.", "plaintext")
    assert [f.rule for f in engine.check(other).findings] == ["grammar.COULD_OF"]


def test_hide_false_positive_needs_a_workspace_and_arguments() -> None:
    handler = LanguageToolPlugin().commands()["marginalia.grammar.hideFalsePositive"]
    with pytest.raises(ValueError, match="workspace"):
        handler(CheckContext(settings=None), {"rule": "grammar.X", "sentence": "A sentence."})
    with pytest.raises(ValueError, match="rule id"):
        handler(CheckContext(settings=None, workspace_root=Path(".")), "grammar.X", "  ")
    with pytest.raises(ValueError, match="rule id"):
        handler(CheckContext(settings=None, workspace_root=Path(".")))


def test_off_and_auto_without_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "nothing-here"))
    doc = parse_document("We could of known.", "plaintext")
    for mode in ("off", "auto"):
        plugin = LanguageToolPlugin()
        engine = Engine(tmp_path, {"grammar": {"mode": mode}}, loaded=LoadedPlugins({"grammar": plugin}, {}))
        result = engine.check(doc)
        assert result.findings == [] and not result.problems
        ready, message = plugin.status()
        if mode == "auto":
            assert not ready and "marginalia languagetool install" in message
        else:
            assert ready and "off" in message


def test_status_reports_remote(fake: FakeLanguageTool) -> None:
    plugin = LanguageToolPlugin()
    ctx = CheckContext(settings=LanguageToolSettings(mode="remote", url=fake.url, username="ada"))
    doc = parse_document("Fine text.", "plaintext")
    assert list(plugin.check_chunk(doc.chunks[0], ctx)) == []
    ready, message = plugin.status()
    assert ready and fake.url in message and "ada" in message


def test_concurrent_requests_are_bounded_across_plugins() -> None:
    import threading

    with FakeLanguageTool(delay=0.2) as slow:
        settings = LanguageToolSettings(mode="remote", url=slow.url, max_concurrent_requests=2)
        plugins = [LanguageToolPlugin(), LanguageToolPlugin()]  # two workspaces, one server
        docs = [parse_document(f"Paragraph {i} could of been.", "plaintext") for i in range(6)]
        threads = [
            threading.Thread(target=lambda p=plugins[i % 2], d=d: list(p.check_chunk(d.chunks[0], CheckContext(settings=settings))))
            for i, d in enumerate(docs)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert slow.check_requests == 6
        assert slow.max_in_flight == 2


def test_a_dead_server_is_not_asked_once_per_paragraph(tmp_path: Path, fake: FakeLanguageTool) -> None:
    url = fake.url
    fake.__exit__()
    doc = parse_document("\n\n".join(f"Paragraph {i}." for i in range(20)), "plaintext")
    plugin = LanguageToolPlugin()
    engine = Engine(tmp_path, {"grammar": {"mode": "remote", "url": url}, "disabled_plugins": ["grammar-rules"]},
                    loaded=LoadedPlugins({"grammar": plugin}, {}))
    result = engine.check(doc)
    assert "cannot reach LanguageTool" in result.problems["grammar"]
    from marginalia_grammar.client import shared_client

    assert shared_client(url, timeout=30.0, max_concurrent=2).requests_sent == 1  # then it failed fast


def test_offsets_after_emoji_and_math_letters_map_exactly(tmp_path: Path, fake: FakeLanguageTool) -> None:
    # LanguageTool counts UTF-16 units: 😀 and 𝒙 are two each, one code point each in Python.
    source = "😀 Note 𝒙𝒚: we could of known it, said the the 🦊.\n"
    result = _engine(tmp_path, {"mode": "remote", "url": fake.url}).check(parse_document(source, "plaintext"))
    spans = sorted((f.rule, source[f.start : f.end]) for f in result.findings)
    assert spans == [("grammar.COULD_OF", "of"), ("grammar.ENGLISH_WORD_REPEAT_RULE", "the the")]


def test_language_per_document(tmp_path: Path, fake: FakeLanguageTool) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url})
    babel = "\\documentclass{article}\n\\usepackage[french]{babel}\n\\begin{document}\nUn texte.\n\\end{document}\n"
    engine.check(engine.parse(babel, "latex"))
    front = "---\nlang: en-GB\n---\n\nSome text.\n"
    engine.check(engine.parse(front, "markdown"))
    magic = "% marginalia: language=de-DE\n\\documentclass{article}\n\\begin{document}\nEin Text.\n\\end{document}\n"
    engine.check(engine.parse(magic, "latex"))
    assert [r["language"] for r in fake.requests] == ["fr", "en-GB", "de-DE"]


def test_an_offline_rule_turned_off_leaves_the_problem_to_languagetool(tmp_path: Path, fake: FakeLanguageTool) -> None:
    engine = _engine(tmp_path, {"mode": "remote", "url": fake.url}, with_rules=True, core={"disabled_rules": ["grammar-rules.a-an"]})
    rules = sorted(f.rule for f in engine.check(parse_document("It was a apple and the the end.", "plaintext")).findings)
    assert rules == ["grammar-rules.doubled-word", "grammar.EN_A_VS_AN"]
