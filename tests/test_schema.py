"""The checked-in settings schema is the generated one, and it validates what it should."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lsp_server.config import CoreSettings
from lsp_server.schema_file import SCHEMA_PATH, check_schema, generate


@pytest.fixture(scope="module")
def schema(repo_root: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((repo_root / SCHEMA_PATH).read_text(encoding="utf-8"))
    return loaded


def test_checked_in_schema_equals_the_generated_one(repo_root: Path) -> None:
    generated = generate()
    ok, message = check_schema(repo_root / SCHEMA_PATH, generated)
    assert ok, message + (f" (blocked plugins: {sorted(generated.blocked)})" if generated.blocked else "")


def test_schema_is_valid_and_accepts_the_defaults(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    defaults = dataclasses.asdict(CoreSettings())
    jsonschema.Draft202012Validator(schema).validate(defaults)
    jsonschema.Draft202012Validator(schema).validate({})
    # Each plugin's own defaults, as the schema states them, validate too.
    for name, prop in schema["properties"].items():
        if "properties" in prop and name not in defaults:
            plugin_defaults = {k: v["default"] for k, v in prop["properties"].items() if "default" in v}
            jsonschema.Draft202012Validator(schema).validate({name: plugin_defaults})


@pytest.mark.parametrize(
    "bad",
    [
        {"plugin_time_limit": "soon"},
        {"disabled_rules": "spelling"},
        {"diagnostics": {"max_file_kb": 0}},
        {"no_such_setting": True},
    ],
)
def test_schema_rejects_wrong_values(schema: dict[str, Any], bad: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(bad)


def test_schema_command_check_and_output(tmp_path: Path, repo_root: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "lsp_server.cli", "schema", *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)

    printed = run()
    assert printed.returncode == 0
    assert json.loads(printed.stdout)["title"] == "Marginalia settings"
    assert run("--output", "out/s.json").returncode == 0
    assert (tmp_path / "out" / "s.json").read_text(encoding="utf-8") == printed.stdout
    assert run("--check", "out/s.json").returncode == 0
    (tmp_path / "out" / "s.json").write_text("{}", encoding="utf-8")
    stale = run("--check", "out/s.json")
    assert stale.returncode == 1
    assert "is out of date; regenerate it with `marginalia schema --output out/s.json`" in stale.stderr
