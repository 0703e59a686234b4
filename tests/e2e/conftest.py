"""Fixtures for the end-to-end tests: the pip-installed example plugin and a server environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from corpus_location import copy_from_corpus

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(scope="session")
def example_plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plugin, pip-installed (not imported from the tree) into its own directory."""
    base = tmp_path_factory.mktemp("example-plugin")
    src = base / "src"
    shutil.copytree(FIXTURES / "example_plugin", src)
    site = base / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(site), str(src)],
        check=True,
    )
    return site


@pytest.fixture
def server_env(example_plugin_site: Path, tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(example_plugin_site), *filter(None, [env.get("PYTHONPATH")])])
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")  # never touch the user's own dictionary
    return env


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    return root


@pytest.fixture
def celerite(corpus_dir: Path, workspace: Path) -> Path:
    """The celerite paper (natbib, BibTeX) copied into the workspace."""
    return copy_from_corpus(corpus_dir, "celerite-paper/paper", ("ms.tex", "celerite.bib"), workspace)


