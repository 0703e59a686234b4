"""Shared fixtures: where the real manuscripts live, and the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_location import CORPUS

REPO = Path(__file__).resolve().parent.parent
__all__ = ["CORPUS", "REPO"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus beside the checkout (CI always has it)."""
    if CORPUS is None:
        pytest.fail("the real-manuscript corpus ../shared/corpus is missing; set MARGINALIA_CORPUS")
    return CORPUS
