"""``--format github``: workflow commands that GitHub Actions turns into annotations.

Escaping follows the runner's rules: in the message ``%``, ``\\r`` and ``\\n``;
in property values also ``:`` and ``,``.
"""

from __future__ import annotations

from pathlib import Path

from lsp_server.lint import LintReport
from lsp_server.output import display_path
from lsp_server.plugin import Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice", Severity.HINT: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: LintReport, cwd: Path) -> str:
    lines: list[str] = []
    for f in report.files:
        path = escape_property(display_path(f.path, cwd))
        for x in f.findings:
            props = (
                f"file={path},line={x.start.line},col={x.start.column},"
                f"endLine={x.end.line},endColumn={x.end.column},title={escape_property(x.rule)}"
            )
            message = x.message
            if x.replacements:
                message += f" (suggestion: {x.replacements[0]})" if x.replacements[0] else " (suggestion: delete it)"
            lines.append(f"::{_COMMAND[x.severity]} {props}::{escape_data(message)}")
    for error in report.all_errors():
        lines.append(f"::error title=marginalia::{escape_data(error)}")
    return "".join(line + "\n" for line in lines)
