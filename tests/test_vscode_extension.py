"""The VS Code extension's own tests: node:test unit tests, and the integration test
that starts this checkout's server with this interpreter over stdio.

CI installs the extension's packages first (``npm ci`` in vscode-extension); on a
machine without them the tests skip, or fail under MARGINALIA_REQUIRE_TOOLS=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from external_tools import require_tool

EXTENSION = Path(__file__).resolve().parent.parent / "vscode-extension"


def _require_node_modules() -> None:
    if not (EXTENSION / "node_modules" / "vscode-languageclient").is_dir():
        message = "vscode-extension/node_modules is missing: run `npm ci` in vscode-extension"
        if os.environ.get("MARGINALIA_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _npm(script: str) -> subprocess.CompletedProcess[str]:
    npm = require_tool("npm")
    _require_node_modules()
    env = {**os.environ, "MARGINALIA_PYTHON": sys.executable}
    return subprocess.run([npm, "run", script], cwd=EXTENSION, env=env, capture_output=True, text=True, timeout=540)


def _assert_passed(proc: subprocess.CompletedProcess[str]) -> None:
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    assert "# fail 0" in out and "# pass 0" not in out, out[-3000:]


def test_unit_tests_pass() -> None:
    _assert_passed(_npm("test"))


def test_integration_with_real_server_passes() -> None:
    _assert_passed(_npm("test:integration"))


def test_vsix_holds_the_compiled_extension_and_its_runtime_only(tmp_path: Path) -> None:
    """What @vscode/vsce packs (offline), checked against .vscodeignore's intent."""
    npx = require_tool("npx")
    _require_node_modules()
    vsix = tmp_path / "marginalia.vsix"
    proc = subprocess.run(
        [npx, "--no-install", "vsce", "package", "--allow-missing-repository", "--skip-license", "--out", str(vsix)],
        cwd=EXTENSION, capture_output=True, text=True, timeout=540,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
    assert {"extension/package.json", "extension/out/src/extension.js", "extension/readme.md"} <= names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert not any(n.startswith(("extension/src/", "extension/test/", "extension/out/test/", "extension/scripts/")) for n in names)
    for dev in ("typescript/", "@vscode/vsce/", "@types/"):
        assert not any(n.startswith("extension/node_modules/" + dev) for n in names), dev
