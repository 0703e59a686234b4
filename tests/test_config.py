"""Typed settings: defaults, layering, bad values falling back with a message, schema."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from lsp_server.config import CoreSettings, read_workspace_file, resolve, settings_schema


@dataclass
class DemoSettings:
    threshold: int = field(default=40, metadata={"minimum": 1})
    words: list[str] = field(default_factory=list)


def test_defaults_without_any_source() -> None:
    s = resolve([], {"demo": DemoSettings})
    assert s.core == CoreSettings()
    assert s.for_plugin("demo") == DemoSettings()
    assert s.messages == ()


def test_stronger_layer_wins_and_tables_merge() -> None:
    file_layer = {"language": "en-GB", "latex": {"commands": {"\\foo": "ignore"}}, "demo": {"threshold": 10}}
    editor = {"latex": {"commands": {"\\bar": "placeholder"}}, "demo": {"words": ["x"]}}
    s = resolve([file_layer, editor], {"demo": DemoSettings})
    assert s.core.language == "en-GB"
    assert s.core.latex.commands == {"\\foo": "ignore", "\\bar": "placeholder"}
    assert s.for_plugin("demo") == DemoSettings(threshold=10, words=["x"])


def test_bad_values_fall_back_field_by_field_with_messages() -> None:
    s = resolve(
        [{"language": 3, "disabled_rules": "spelling", "demo": {"threshold": 0}, "nonsense": 1, "diagnostics": {"debounce_ms": "x"}}],
        {"demo": DemoSettings},
    )
    assert s.core.language == "auto"
    assert s.core.disabled_rules == ["spelling"]  # a lone string is taken as a one-item list
    assert s.for_plugin("demo").threshold == 40
    assert s.core.diagnostics.debounce_ms == 250
    text = "\n".join(s.messages)
    assert "marginalia.language" in text
    assert "marginalia.demo.threshold" in text and "out of range" in text
    assert "marginalia.nonsense" in text
    assert "marginalia.diagnostics.debounce_ms" in text


def test_workspace_file_sources(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.marginalia]\nlanguage = "de-DE"\n', encoding="utf-8")
    data, msgs = read_workspace_file(tmp_path)
    assert data == {"language": "de-DE"} and msgs == []
    (tmp_path / ".marginalia.toml").write_text('language = "fr"\n', encoding="utf-8")
    assert read_workspace_file(tmp_path)[0] == {"language": "fr"}
    (tmp_path / ".marginalia.toml").write_text("language = \n", encoding="utf-8")
    data, msgs = read_workspace_file(tmp_path)
    assert data == {} and "cannot be read" in msgs[0]


def test_schema_accepts_defaults_and_rejects_wrong_types() -> None:
    schema = settings_schema({"demo": DemoSettings})
    jsonschema.validate({"language": "en-GB", "demo": {"threshold": 3}}, schema)
    assert schema["properties"]["demo"]["properties"]["threshold"]["default"] == 40
    assert schema["properties"]["diagnostics"]["properties"]["debounce_ms"]["minimum"] == 0
    try:
        jsonschema.validate({"demo": {"threshold": "many"}}, schema)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a string threshold must be rejected")
