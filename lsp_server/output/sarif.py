"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning and other viewers read it.

Columns and character offsets count UTF-16 code units, SARIF's default
``columnKind``; the run says so explicitly.  File URIs are relative to the
workspace root (``%SRCROOT%``) so the log is portable between machines.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lsp_server.lint import FileReport, LintFinding, LintReport
from lsp_server.plugin import Severity

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
ROOT_ID = "%SRCROOT%"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.HINT: "note"}


def _tool_version() -> str:
    try:
        return version("marginalia")
    except PackageNotFoundError:
        return "0+unknown"


def _artifact(path: Path, base: Path) -> dict[str, Any]:
    try:
        rel = path.relative_to(base)
    except ValueError:
        return {"uri": path.as_uri()}
    return {"uri": quote(rel.as_posix()), "uriBaseId": ROOT_ID}


def _region(x: LintFinding) -> dict[str, Any]:
    return {
        "startLine": x.start.line,
        "startColumn": x.start.utf16_column,
        "endLine": x.end.line,
        "endColumn": x.end.utf16_column,
        "charOffset": x.start.utf16_offset,
        "charLength": x.end.utf16_offset - x.start.utf16_offset,
        "snippet": {"text": x.text},
    }


def _result(f: FileReport, x: LintFinding, base: Path, rule_index: dict[str, int]) -> dict[str, Any]:
    artifact = _artifact(f.path, base)
    deleted = {"charOffset": x.start.utf16_offset, "charLength": x.end.utf16_offset - x.start.utf16_offset}
    result: dict[str, Any] = {
        "ruleId": x.rule,
        "ruleIndex": rule_index[x.rule],
        "level": _LEVEL[x.severity],
        "message": {"text": x.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": _region(x)}}],
        "properties": {"plugin": x.plugin, "severity": x.severity.name.lower()},
    }
    if x.replacements:
        result["fixes"] = [
            {
                "description": {"text": f"Replace with '{r}'"},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [{"deletedRegion": deleted, "insertedContent": {"text": r}}],
                    }
                ],
            }
            for r in x.replacements
        ]
    return result


def as_dict(report: LintReport, cwd: Path) -> dict[str, Any]:
    base = report.root or cwd
    rules = list(report.rules.items())
    rule_index = {rule: i for i, (rule, _) in enumerate(rules)}
    errors = report.all_errors()
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "Marginalia",
                "version": _tool_version(),
                "rules": [{"id": rule, "shortDescription": {"text": text}} for rule, text in rules],
            }
        },
        "originalUriBaseIds": {ROOT_ID: {"uri": base.as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in errors],
            }
        ],
        "results": [_result(f, x, base, rule_index) for f, x in report.findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: LintReport, cwd: Path) -> str:
    return json.dumps(as_dict(report, cwd), ensure_ascii=False, indent=2) + "\n"
