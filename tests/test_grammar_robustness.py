"""Bad input never crashes the grammar plugins: random text, odd characters, broken servers."""

from __future__ import annotations

from pathlib import Path

from fakes.languagetool_server import FakeLanguageTool
from hypothesis import given, settings
from hypothesis import strategies as st
from marginalia_grammar import LanguageToolPlugin
from marginalia_grammar.settings import LanguageToolSettings
from marginalia_grammar_rules import check_text

from lsp_server.documents import parse_document
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, LoadedPlugins

_PROSE = st.text(alphabet=st.sampled_from(list("aA eE.,;:!?'’-\n\t\r$\\{}[]()0123456789😀𝒙éthn")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(_PROSE)
def test_offline_rules_on_random_text_stay_in_bounds(text: str) -> None:
    for markup in ("plaintext", "markdown", "latex"):
        doc = parse_document(text, markup)
        for chunk in doc.chunks:
            for f in check_text(chunk):
                assert chunk.src_start <= f.start <= f.end <= chunk.src_end
                assert f.rule.startswith("grammar-rules.")


def test_offline_rules_on_a_huge_paragraph() -> None:
    text = ("the the a apple , it's own then " * 20_000).strip()
    doc = parse_document(text, "plaintext")
    found = list(check_text(doc.chunks[0]))
    assert len(found) > 20_000


def test_server_answering_html_is_a_clear_problem(tmp_path: Path) -> None:
    with FakeLanguageTool(broken="not-json") as fake:
        engine = Engine(tmp_path, {"grammar": {"mode": "remote", "url": fake.url}}, loaded=LoadedPlugins({"grammar": LanguageToolPlugin()}, {}))
        result = engine.check(parse_document("Some text.", "plaintext"))
        assert "did not answer with JSON" in result.problems["grammar"]


def test_malformed_matches_are_skipped() -> None:
    with FakeLanguageTool(broken="bad-matches") as fake:
        ctx = CheckContext(settings=LanguageToolSettings(mode="remote", url=fake.url))
        doc = parse_document("Some text here.", "plaintext")
        found = list(LanguageToolPlugin().check_chunk(doc.chunks[0], ctx))
        # Negative, past-the-end and missing offsets or lengths are all dropped.
        assert found == []


def test_invalid_settings_fall_back_with_a_message(tmp_path: Path) -> None:
    engine = Engine(tmp_path, {"grammar": {"mode": "sideways", "startup_timeout": -3, "max_concurrent_requests": "many"}},
                    loaded=LoadedPlugins({"grammar": LanguageToolPlugin()}, {}))
    s = engine.settings.for_plugin("grammar")
    assert (s.mode, s.startup_timeout, s.max_concurrent_requests) == ("auto", 60.0, 2)
    assert any("grammar.mode" in m for m in engine.settings.messages)
