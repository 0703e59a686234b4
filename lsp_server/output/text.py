"""``--format text``: ``path:line:col: severity rule message [suggestions]``, then a summary line."""

from __future__ import annotations

from pathlib import Path

from lsp_server.lint import LintReport
from lsp_server.output import display_path
from lsp_server.plugin import Severity

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36", Severity.HINT: "2"}
MAX_SHOWN_REPLACEMENTS = 3


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(report: LintReport, cwd: Path, color: bool = False) -> str:
    lines: list[str] = []
    for f in report.files:
        path = display_path(f.path, cwd)
        for x in f.findings:
            where = _paint(f"{path}:{x.start.line}:{x.start.column}:", "1", color)
            severity = _paint(x.severity.name.lower(), _COLORS[x.severity], color)
            line = f"{where} {severity} {_paint(x.rule, '2', color)} {x.message}"
            if x.replacements:
                shown = " | ".join(r or "(delete)" for r in x.replacements[:MAX_SHOWN_REPLACEMENTS])
                line += f" [{shown}]"
            lines.append(line)
    total = sum(len(f.findings) for f in report.files)
    counts = report.by_severity()
    parts = [_plural(counts[s], s) for s in ("error", "warning", "info", "hint") if counts[s]]
    detail = f" ({', '.join(parts)})" if parts else ""
    summary = f"Found {_plural(total, 'problem')}{detail} in {_plural(len(report.files), 'file')}."
    if not total:
        summary = f"No problems found in {_plural(len(report.files), 'file')}."
    errors = report.all_errors()
    if errors:
        summary += f" {_plural(len(errors), 'error')} stopped checking (listed on stderr)."
    lines.append(_paint(summary, "1", color))
    return "\n".join(lines) + "\n"
