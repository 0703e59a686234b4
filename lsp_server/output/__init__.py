"""Report formats for ``marginalia lint``: text and html (for people), json, sarif and github (for machines)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lsp_server.lint import LintReport

FORMATS = ("text", "json", "sarif", "github", "html")


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working folder when inside it (as ruff prints), else absolute."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        rel = os.path.relpath(path, cwd)
        return Path(rel).as_posix() if not rel.startswith("..") else path.as_posix()


def render(report: LintReport, fmt: str, cwd: Path, color: bool = False) -> str:
    """The whole report as one string in format ``fmt``."""
    from lsp_server.output import github, html, json_report, sarif, text

    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: text.render(report, cwd, color),
        "json": lambda: json_report.render(report, cwd),
        "sarif": lambda: sarif.render(report, cwd),
        "github": lambda: github.render(report, cwd),
        "html": lambda: html.render(report, cwd),
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt]()
