"""Against a real LanguageTool, when one is installed (skipped, with the reason, otherwise)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from marginalia_grammar import LanguageToolPlugin
from marginalia_grammar.errors import LanguageToolUnavailable
from marginalia_grammar.local_server import stop_all
from marginalia_grammar.preflight import find_install, java_version
from marginalia_grammar.settings import LanguageToolSettings

from lsp_server.documents import parse_document
from lsp_server.plugin import CheckContext


def _skip_reason() -> str | None:
    if find_install() is None:
        return "LanguageTool not installed: run `marginalia languagetool install`"
    try:
        java_version()
    except LanguageToolUnavailable as exc:
        return str(exc)
    return None


@pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")
def test_real_languagetool_finds_a_vs_an_through_markup() -> None:
    core = SimpleNamespace(plugin_time_limit=120.0, disabled_plugins=["grammar-rules"], disabled_rules=[])

    doc = parse_document("This is a apple. We could of known it.", "plaintext")
    plugin = LanguageToolPlugin()
    try:
        found = list(plugin.check_chunk(doc.chunks[0], CheckContext(settings=LanguageToolSettings(mode="local", startup_timeout=120), core=core)))
    finally:
        stop_all()
    rules = {f.rule for f in found}
    assert "grammar.EN_A_VS_AN" in rules
    a_an = next(f for f in found if f.rule == "grammar.EN_A_VS_AN")
    assert doc.source[a_an.start : a_an.end] == "a" and "an" in a_an.replacements
