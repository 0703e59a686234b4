"""marginalia/status: plugin status lines become status-bar states."""

from __future__ import annotations

from pathlib import Path

from lsp_server.engine import Engine
from lsp_server.plugin import LoadedPlugins, Plugin
from lsp_server.status import status_payload


class Said(Plugin):
    def __init__(self, ready: bool, line: str) -> None:
        self.ready, self.line = ready, line

    def status(self) -> tuple[bool, str]:
        return self.ready, self.line


class OptIn(Said):
    enabled_by_default = False  # like the model plugins


def payload(tmp_path: Path, grammar: Plugin | None, completion: Plugin | None, **settings: object) -> dict:
    plugins = {k: v for k, v in {"grammar": grammar, "completion": completion}.items() if v is not None}
    return status_payload(Engine(tmp_path, settings, loaded=LoadedPlugins(plugins, {})))


def test_states_from_status_lines(tmp_path: Path) -> None:
    p = payload(
        tmp_path,
        Said(False, "LanguageTool is starting on 127.0.0.1:8081"),
        OptIn(False, "loading Qwen2.5-0.5B-Instruct 42%"),
        enabled_plugins=["completion"],
    )
    assert p["languagetool"]["state"] == "starting"
    assert p["model"] == {"state": "loading", "progress": 42, "detail": "loading Qwen2.5-0.5B-Instruct 42%"}
    p = payload(tmp_path, Said(True, 'LanguageTool is off (grammar.mode = "off")'), OptIn(True, "ready on cuda (4-bit)"), enabled_plugins=["completion"])
    assert p["languagetool"]["state"] == "off"
    assert p["model"]["state"] == "ready" and p["model"]["device"] == "cuda"
    assert payload(tmp_path, Said(False, "java not found"), None)["languagetool"]["state"] == "failed"


def test_absent_disabled_and_blocked(tmp_path: Path) -> None:
    p = payload(tmp_path, None, OptIn(True, "ready on cpu"))
    assert p["languagetool"] == {"state": "off"}
    assert p["model"] == {"state": "off", "detail": "not enabled"}
    engine = Engine(tmp_path, {}, loaded=LoadedPlugins({}, {"grammar": "ImportError: no module"}))
    assert status_payload(engine)["languagetool"] == {"state": "failed", "detail": "ImportError: no module"}
