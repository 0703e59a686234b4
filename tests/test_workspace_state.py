"""Server-side edits of workspace files: dictionary and disabled rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsp_server.config import read_workspace_file
from lsp_server.workspace_state import add_to_dictionary, disable_rule, load_dictionary


def test_dictionary_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    path = add_to_dictionary(tmp_path, "Marginalia")
    add_to_dictionary(tmp_path, "Marginalia")
    assert path == tmp_path / ".marginalia" / "dictionary.txt"
    assert path.read_text(encoding="utf-8") == "Marginalia\n"
    assert load_dictionary(tmp_path, ["extra"]) == {"Marginalia", "extra"}
    with pytest.raises(ValueError):
        add_to_dictionary(tmp_path, "two words")


def test_disable_rule_keeps_comments_and_uses_existing_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.marginalia]\n# keep me\nlanguage = "en-GB"\n', encoding="utf-8"
    )
    path = disable_rule(tmp_path, "style.passive")
    disable_rule(tmp_path, "style.passive")
    assert path.name == "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    assert "# keep me" in text
    data, _ = read_workspace_file(tmp_path)
    assert data["disabled_rules"] == ["style.passive"]


def test_disable_rule_creates_marginalia_toml(tmp_path: Path) -> None:
    path = disable_rule(tmp_path, "spelling.misspelled")
    assert path == tmp_path / ".marginalia.toml"
    assert read_workspace_file(tmp_path)[0] == {"disabled_rules": ["spelling.misspelled"]}
