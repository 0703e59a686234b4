"""docs/configuration.md is generated from the settings schema and must stay current."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_configuration_reference_is_current() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "docs" / "gen_configuration.py"), "--check"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_every_setting_is_documented_once() -> None:
    page = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    schema = json.loads((REPO / "schema" / "settings.schema.json").read_text(encoding="utf-8"))

    def keys(node: dict[str, object], path: str = "") -> list[str]:
        props = node.get("properties")
        if node.get("type") == "object" and isinstance(props, dict):
            return [k for name, child in props.items() if "x-alias-of" not in child for k in keys(child, f"{path}{name}.")]
        return [path.rstrip(".")]

    for key in keys(schema):
        assert page.count(f"| `{key}` |") == 1, key
