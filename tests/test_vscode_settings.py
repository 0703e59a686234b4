"""The VS Code extension contributes exactly the server's settings (one source: the schema).

If this fails after a server setting changed, run
``python vscode-extension/scripts/sync_settings.py`` and commit package.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "vscode-extension" / "package.json"
SCHEMA = REPO / "schema" / "settings.schema.json"
EXTENSION_ONLY = {"marginalia.server.command", "marginalia.trace.server"}


def _leaves(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, dict[str, Any]]]:
    if node.get("type") == "object" and "properties" in node:
        for key, child in node["properties"].items():
            if "x-alias-of" not in child:  # another name for a section, not more settings
                yield from _leaves(child, (*path, key))
    else:
        yield "marginalia." + ".".join(path), node


@pytest.fixture(scope="module")
def contributed() -> dict[str, dict[str, Any]]:
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    props: dict[str, dict[str, Any]] = package["contributes"]["configuration"]["properties"]
    return props


@pytest.fixture(scope="module")
def schema_leaves() -> dict[str, dict[str, Any]]:
    return dict(_leaves(json.loads(SCHEMA.read_text(encoding="utf-8"))))


def test_same_setting_names(contributed: dict[str, dict[str, Any]], schema_leaves: dict[str, dict[str, Any]]) -> None:
    assert set(contributed) - EXTENSION_ONLY == set(schema_leaves)
    assert set(contributed) >= EXTENSION_ONLY


@pytest.mark.parametrize("field", ["type", "default", "enum", "minimum", "maximum", "items", "additionalProperties", "description"])
def test_same_definitions(contributed: dict[str, dict[str, Any]], schema_leaves: dict[str, dict[str, Any]], field: str) -> None:
    for key, node in schema_leaves.items():
        if field == "type" and "type" not in node:
            assert contributed[key]["type"] == "string" and "enum" in node, key  # enums get a type for the editor
            continue
        assert contributed[key].get(field) == node.get(field), f"{key}.{field}"


def test_program_choosing_settings_are_machine_scoped(contributed: dict[str, dict[str, Any]]) -> None:
    for key in ("marginalia.server.command", "marginalia.grammar.java_path", "marginalia.grammar.install_path"):
        assert contributed[key]["scope"] == "machine", key
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    restricted = set(package["capabilities"]["untrustedWorkspaces"]["restrictedConfigurations"])
    assert {"marginalia.server.command", "marginalia.grammar.url", "marginalia.completion.model.url"} <= restricted
    assert restricted <= set(contributed)


def test_sync_script_agrees() -> None:
    script = REPO / "vscode-extension" / "scripts" / "sync_settings.py"
    proc = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_schema_file_is_current() -> None:
    """The schema the extension copies is the one the server generates now."""
    proc = subprocess.run(
        [sys.executable, "-m", "lsp_server.cli", "schema", "--check", str(SCHEMA)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
