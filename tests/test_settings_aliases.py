"""`[languagetool]` is another name for the grammar plugin's `[grammar]` section.

The issue and LanguageTool's users write ``languagetool.mode = "remote"``; the plugin's
entry-point name is ``grammar``.  Both must reach the same settings, in every source, and the
alias must not become a way round restricted mode.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from marginalia_grammar import LanguageToolPlugin

from lsp_server.config import SCHEMA_ALIAS_OF, fold_aliases, resolve, settings_schema, strip_restricted
from lsp_server.engine import Engine
from lsp_server.plugin import LoadedPlugins

TYPES = {"grammar": LanguageToolPlugin.Settings}
REPO = Path(__file__).resolve().parent.parent


def test_alias_table_sets_the_plugin_settings() -> None:
    settings = resolve([{"languagetool": {"mode": "remote", "url": "https://lt.example.org", "picky": True}}], TYPES)
    grammar = settings.for_plugin("grammar")
    assert (grammar.mode, grammar.url, grammar.picky) == ("remote", "https://lt.example.org", True)
    assert settings.messages == ()


def test_plugin_name_wins_within_a_source_and_layers_keep_their_order() -> None:
    same_source = {"languagetool": {"mode": "remote", "picky": True}, "grammar": {"mode": "off"}}
    assert fold_aliases(same_source, TYPES) == {"grammar": {"mode": "off", "picky": True}}
    # A stronger source written with the alias still beats a weaker one written with the name.
    settings = resolve([{"grammar": {"mode": "off"}}, {"languagetool": {"mode": "local"}}], TYPES)
    assert settings.for_plugin("grammar").mode == "local"


def test_bad_values_under_the_alias_get_the_usual_message() -> None:
    settings = resolve([{"languagetool": {"mode": "sometimes"}}], TYPES)
    assert settings.for_plugin("grammar").mode == "auto"
    assert any("mode" in m and "sometimes" in m for m in settings.messages), settings.messages
    not_a_table = resolve([{"languagetool": "remote"}], TYPES)
    assert any("languagetool" in m for m in not_a_table.messages), not_a_table.messages


def test_restricted_mode_strips_the_alias_too() -> None:
    stripped, dropped = strip_restricted({"languagetool": {"url": "https://lt.example.org", "picky": True}}, TYPES)
    assert stripped == {"grammar": {"picky": True}}
    assert dropped == ["marginalia.grammar.url"]


def test_untrusted_engine_ignores_an_aliased_url(tmp_path: Path) -> None:
    (tmp_path / ".marginalia.toml").write_text('[languagetool]\nmode = "remote"\nurl = "https://lt.example.org"\n', encoding="utf-8")
    loaded = LoadedPlugins({"grammar": LanguageToolPlugin()}, {})
    trusted = Engine(tmp_path, {}, loaded=loaded)
    assert trusted.settings.for_plugin("grammar").url == "https://lt.example.org"
    untrusted = Engine(tmp_path, {}, loaded=loaded, trusted=False)
    assert untrusted.settings.for_plugin("grammar").url == ""
    assert untrusted.settings.for_plugin("grammar").mode == "remote"


def test_schema_accepts_the_alias_and_checks_its_contents() -> None:
    schema = settings_schema(TYPES)
    assert schema["properties"]["languagetool"][SCHEMA_ALIAS_OF] == "grammar"
    jsonschema.validate({"languagetool": {"mode": "remote", "picky": True}}, schema)
    with pytest.raises(jsonschema.ValidationError):  # the alias section is validated like the plugin's
        jsonschema.validate({"languagetool": {"mode": "sometimes"}}, schema)


def test_vscode_contributes_one_setting_per_field_not_per_alias() -> None:
    package = json.loads((REPO / "vscode-extension" / "package.json").read_text(encoding="utf-8"))
    keys = package["contributes"]["configuration"]["properties"]
    assert "marginalia.grammar.mode" in keys
    assert not any(k.startswith("marginalia.languagetool") for k in keys)
    assert "`[languagetool]`" in (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
