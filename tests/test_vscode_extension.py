"""The VS Code extension's own tests: node:test unit tests, and the integration test
that starts this checkout's server with this interpreter over stdio.

CI installs the extension's packages first (``npm ci`` in vscode-extension); on a
machine without them the tests skip, or fail under MARGINALIA_REQUIRE_TOOLS=1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from external_tools import require_tool

EXTENSION = Path(__file__).resolve().parent.parent / "vscode-extension"


def _npm(script: str) -> subprocess.CompletedProcess[str]:
    npm = require_tool("npm")
    if not (EXTENSION / "node_modules" / "vscode-languageclient").is_dir():
        message = "vscode-extension/node_modules is missing: run `npm ci` in vscode-extension"
        if os.environ.get("MARGINALIA_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
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
