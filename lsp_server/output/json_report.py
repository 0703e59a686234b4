"""``--format json``: exactly one object, stable field names, 1-based code-point positions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lsp_server.lint import LintReport
from lsp_server.output import display_path

JSON_VERSION = 1


def as_dict(report: LintReport, cwd: Path) -> dict[str, Any]:
    files = [
        {
            "path": display_path(f.path, cwd),
            "findings": [
                {
                    "plugin": x.plugin,
                    "rule": x.rule,
                    "severity": x.severity.name.lower(),
                    "message": x.message,
                    "start": x.start.as_json(),
                    "end": x.end.as_json(),
                    "text": x.text,
                    "replacements": list(x.replacements),
                }
                for x in f.findings
            ],
        }
        for f in report.files
    ]
    summary = {
        "files": len(report.files),
        "findings": sum(len(f.findings) for f in report.files),
        "by_severity": report.by_severity(),
        "by_plugin": report.by_plugin(),
        "errors": report.all_errors(),
        "skipped": report.skipped(),
    }
    return {"version": JSON_VERSION, "files": files, "summary": summary}


def render(report: LintReport, cwd: Path) -> str:
    return json.dumps(as_dict(report, cwd), ensure_ascii=False, indent=2) + "\n"
