"""Restricted mode (an untrusted workspace): which settings a workspace may not set, and what still runs.

One source: the ``restricted`` metadata on settings fields.  It drives the stripping of the
workspace file in the engine, the schema's ``x-restricted`` keyword, and from there VS Code's
scopes and ``restrictedConfigurations`` (checked against package.json here).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from marginalia_completion import CompletionPlugin
from marginalia_grammar import LanguageToolPlugin
from marginalia_rewrite import RewritePlugin
from marginalia_spelling import SpellingPlugin

from lsp_server import cli
from lsp_server.config import SCHEMA_RESTRICTED, settings_schema, strip_restricted
from lsp_server.documents import parse_document
from lsp_server.engine import Engine
from lsp_server.plugin import LoadedPlugins, discover
from lsp_server.status import status_payload
from lsp_server.trust import restricted_mode_note

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "vscode-extension" / "package.json"
SCHEMA = REPO / "schema" / "settings.schema.json"

# Everything that names a program, a server, a model, credentials or files to load.
EXPECTED_RESTRICTED = {
    "grammar.url": "machine-overridable",
    "grammar.username": "machine-overridable",
    "grammar.api_key": "machine-overridable",
    "grammar.install_path": "machine",
    "grammar.java_path": "machine",
    "spelling.dictionaries": "machine-overridable",
    **{
        f"{plugin}.model.{key}": "machine-overridable"
        for plugin in ("completion", "rewrite")
        for key in ("backend", "name", "path", "revision", "url", "api_key_env")
    },
}

WORKSPACE_TOML = """\
language = "en-GB"
enabled_plugins = ["completion"]
[grammar]
mode = "remote"
url = "https://lt.example.org"
java-path = "./bin/java"
picky = true
[completion.model]
path = "./weights"
device = "cpu"
[spelling]
dictionaries = ["/etc"]
max_suggestions = 3
"""


def _plugin_types() -> dict[str, type]:
    return {name: plugin.Settings for name, plugin in discover().plugins.items()}


def _restricted_leaves(node: dict[str, Any], path: tuple[str, ...] = ()) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, child in node.get("properties", {}).items():
        if SCHEMA_RESTRICTED in child:
            out[".".join((*path, key))] = child[SCHEMA_RESTRICTED]
        out.update(_restricted_leaves(child, (*path, key)))
    return out


def _engine(root: Path, editor: dict[str, Any] | None = None, *, trusted: bool) -> Engine:
    plugins = {"grammar": LanguageToolPlugin(), "spelling": SpellingPlugin(), "completion": CompletionPlugin(), "rewrite": RewritePlugin()}
    return Engine(root, editor or {}, LoadedPlugins(plugins, {}), trusted=trusted)


# --------------------------------------------------------------------------- stripping


def test_strip_removes_marked_keys_at_every_depth_and_names_them() -> None:
    data: dict[str, Any] = {
        "language": "de-DE",
        "grammar": {"url": "https://x", "java-path": "/tmp/java", "mode": "remote"},
        "completion": {"model": {"path": "/w", "device": "cpu"}, "max_new_tokens": 8},
        "spelling": {"dictionaries": ["d"], "min_word_length": 3},
    }
    kept, dropped = strip_restricted(data, _plugin_types())
    assert kept == {
        "language": "de-DE",
        "grammar": {"mode": "remote"},
        "completion": {"model": {"device": "cpu"}, "max_new_tokens": 8},
        "spelling": {"min_word_length": 3},
    }
    assert sorted(dropped) == [
        "marginalia.completion.model.path",
        "marginalia.grammar.java-path",
        "marginalia.grammar.url",
        "marginalia.spelling.dictionaries",
    ]
    assert data["grammar"]["url"] == "https://x"  # the input is not modified


def test_strip_leaves_typos_and_wrong_shapes_for_the_usual_messages() -> None:
    data = {"nonsense": 1, "grammar": "remote", "completion": {"model": "big", "typo": True}}
    kept, dropped = strip_restricted(data, _plugin_types())
    assert kept == data
    assert dropped == []


def test_schema_marks_exactly_the_restricted_settings() -> None:
    schema = settings_schema(_plugin_types())
    assert _restricted_leaves(schema) == EXPECTED_RESTRICTED
    assert schema == json.loads(SCHEMA.read_text(encoding="utf-8")), "regenerate with `marginalia schema --output ...`"


def test_vscode_scopes_and_restricted_configurations_follow_the_schema() -> None:
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    props = package["contributes"]["configuration"]["properties"]
    trust = package["capabilities"]["untrustedWorkspaces"]
    expected = {f"marginalia.{k}": v for k, v in EXPECTED_RESTRICTED.items()} | {"marginalia.server.command": "machine"}
    assert trust["supported"] == "limited"
    assert set(trust["restrictedConfigurations"]) == set(expected)
    for key, scope in expected.items():
        assert props[key]["scope"] == scope, key
    others = {key: p["scope"] for key, p in props.items() if key not in expected}
    assert set(others.values()) <= {"resource", "window"}


# --------------------------------------------------------------------------- the engine in restricted mode


def test_untrusted_engine_ignores_the_workspace_files_restricted_settings(tmp_path: Path) -> None:
    (tmp_path / ".marginalia.toml").write_text(WORKSPACE_TOML, encoding="utf-8")
    engine = _engine(tmp_path, trusted=False)
    grammar = engine.settings.for_plugin("grammar")
    assert (grammar.mode, grammar.url, grammar.java_path, grammar.picky) == ("remote", "", "java", True)
    model = engine.settings.for_plugin("completion").model
    assert (model.path, model.device) == ("", "cpu")
    spelling = engine.settings.for_plugin("spelling")
    assert (spelling.dictionaries, spelling.max_suggestions) == ([], 3)
    assert engine.core.language == "en-GB"
    assert set(engine.ignored_untrusted) == {
        "marginalia.grammar.url", "marginalia.grammar.java-path", "marginalia.completion.model.path", "marginalia.spelling.dictionaries",
    }
    assert not engine.settings.messages  # ignored for trust, not reported as invalid
    assert "completion" not in engine.enabled_plugins()
    assert "spelling" in engine.enabled_plugins()


def test_trusted_engine_honours_the_same_file(tmp_path: Path) -> None:
    (tmp_path / ".marginalia.toml").write_text(WORKSPACE_TOML, encoding="utf-8")
    engine = _engine(tmp_path, trusted=True)
    grammar = engine.settings.for_plugin("grammar")
    assert (grammar.url, grammar.java_path) == ("https://lt.example.org", "./bin/java")
    assert engine.settings.for_plugin("completion").model.path == "./weights"
    assert engine.settings.for_plugin("spelling").dictionaries == ["/etc"]
    assert engine.ignored_untrusted == ()
    assert "completion" in engine.enabled_plugins()
    assert restricted_mode_note(engine) is None


def test_the_editors_settings_are_the_users_and_stay(tmp_path: Path) -> None:
    """The client's settings are the user's: VS Code already drops an untrusted workspace's values."""
    (tmp_path / ".marginalia.toml").write_text('[grammar]\nurl = "https://evil.example"\n', encoding="utf-8")
    engine = _engine(tmp_path, {"grammar": {"url": "https://lt.mine.example"}, "enabled_plugins": ["rewrite"]}, trusted=False)
    assert engine.settings.for_plugin("grammar").url == "https://lt.mine.example"
    assert "rewrite" not in engine.enabled_plugins()  # no model, whoever asks


def test_reload_strips_again(tmp_path: Path) -> None:
    engine = _engine(tmp_path, trusted=False)
    assert engine.ignored_untrusted == ()
    (tmp_path / ".marginalia.toml").write_text('[grammar]\ninstall_path = "./lt"\n', encoding="utf-8")
    engine.reload_settings()
    assert engine.settings.for_plugin("grammar").install_path == ""
    assert engine.ignored_untrusted == ("marginalia.grammar.install_path",)


def test_offline_checks_still_run_untrusted(tmp_path: Path) -> None:
    (tmp_path / ".marginalia.toml").write_text(WORKSPACE_TOML.replace('mode = "remote"', 'mode = "off"'), encoding="utf-8")
    engine = _engine(tmp_path, trusted=False)
    result = engine.check(parse_document("A sentense with one mistake.\n", "plaintext"))
    assert [f.rule for f in result.findings] == ["spelling.misspelled"]


def test_note_and_status_say_what_is_limited(tmp_path: Path) -> None:
    (tmp_path / ".marginalia.toml").write_text(WORKSPACE_TOML, encoding="utf-8")
    engine = _engine(tmp_path, trusted=False)
    note = restricted_mode_note(engine)
    assert note is not None
    assert "not trusted" in note and str(tmp_path.resolve()) in note
    assert "marginalia.grammar.url" in note and "completion, rewrite are off" in note
    assert status_payload(engine)["model"] == {"state": "off", "detail": "off in an untrusted workspace"}
    trusted = _engine(tmp_path, {"disabled_plugins": ["completion"]}, trusted=True)
    assert status_payload(trusted)["model"] == {"state": "off", "detail": "not enabled"}


def test_only_the_model_plugins_need_trust() -> None:
    needing = sorted(name for name, plugin in discover().plugins.items() if plugin.requires_trust)
    assert needing == ["completion", "rewrite"]


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(("argv", "expected"), [(["serve"], True), (["serve", "--untrusted"], False), (["serve", "--stdio", "--untrusted"], False)])
def test_serve_untrusted_flag_reaches_the_server(monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: bool) -> None:
    from lsp_server import server

    seen: list[bool] = []
    monkeypatch.setattr(server, "start_io", lambda trusted=True: seen.append(trusted))
    assert cli.main(argv) == 0
    assert seen == [expected]


def test_serve_untrusted_over_tcp(monkeypatch: pytest.MonkeyPatch) -> None:
    from lsp_server import server

    seen: list[tuple[str, int, bool]] = []
    monkeypatch.setattr(server, "start_tcp", lambda host, port, trusted=True: seen.append((host, port, trusted)))
    assert cli.main(["serve", "--tcp", "127.0.0.1:2999", "--untrusted"]) == 0
    assert seen == [("127.0.0.1", 2999, False)]
