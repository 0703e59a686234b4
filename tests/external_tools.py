"""Finding the external programs that editor and report tests drive (nvim, chromium, npm).

On a developer's machine a missing program skips its test with the install
command; with MARGINALIA_REQUIRE_TOOLS=1 (set by CI, which installs them) it
fails instead, so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil

import pytest

INSTALL_HINTS = {
    "nvim": "apt-get install -y neovim",
    "chromium": "apt-get install -y chromium",
    "npm": "apt-get install -y nodejs npm",
}


def require_tool(*names: str) -> str:
    """The path of the first of ``names`` on PATH; skip (or fail in CI) when none is."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    hint = INSTALL_HINTS.get(names[0], "")
    message = f"{' / '.join(names)} is not installed" + (f" ({hint})" if hint else "")
    if os.environ.get("MARGINALIA_REQUIRE_TOOLS") == "1":
        pytest.fail(message + "; MARGINALIA_REQUIRE_TOOLS=1 makes this an error")
    pytest.skip(message)
