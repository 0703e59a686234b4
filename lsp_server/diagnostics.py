"""Findings -> LSP diagnostics, kept per (uri, version) and never published stale.

The store knows the newest version of every open document (the server tells it
on each change) and accepts check results only for that version: a check that
finishes after the user typed again is dropped, whatever order threads finish
in.  Plugin failures are turned into one message per failure *episode* per
document, so a broken plugin does not speak up on every keystroke.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from lsp_server.plugin import Finding, Severity
from lsp_server.positions import LineIndex

SOURCE = "marginalia"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}


def finding_data(finding: Finding, version: int) -> dict[str, Any]:
    """What code actions and clients need to act on a diagnostic without asking again."""
    return {
        "rule": finding.rule,
        "plugin": finding.plugin,
        "start": finding.start,
        "end": finding.end,
        "version": version,
        "replacements": list(finding.replacements),
        "data": dict(finding.data) if finding.data is not None else None,
    }


def to_diagnostic(finding: Finding, index: LineIndex, version: int) -> types.Diagnostic:
    return types.Diagnostic(
        range=index.range_at(finding.start, finding.end),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        source=SOURCE,
        code=finding.rule,
        data=finding_data(finding, version),
    )


@dataclass(frozen=True)
class CheckedVersion:
    """The result of checking one version of one document."""

    uri: str
    version: int
    findings: tuple[Finding, ...]
    diagnostics: tuple[types.Diagnostic, ...]

    @classmethod
    def build(cls, uri: str, version: int, findings: Iterable[Finding], index: LineIndex) -> CheckedVersion:
        found = tuple(findings)
        return cls(uri, version, found, tuple(to_diagnostic(f, index, version) for f in found))

    @property
    def result_id(self) -> str:
        """Stable for identical results, so pull clients get "unchanged" reports."""
        h = hashlib.blake2b(digest_size=10)
        for f in self.findings:
            h.update(f"{f.start}:{f.end}:{f.rule}:{f.message}:{int(f.severity)}\0".encode("utf-8", "surrogatepass"))
        return f"{self.version}-{h.hexdigest()}"

    def overlapping(self, start: int, end: int) -> list[Finding]:
        """Findings touching [start, end]; an empty range at a finding's edge counts."""
        return [f for f in self.findings if f.start <= end and start <= f.end]


@dataclass
class DiagnosticStore:
    """The newest version of each open document and its accepted check result."""

    _versions: dict[str, int] = field(default_factory=dict)
    _results: dict[str, CheckedVersion] = field(default_factory=dict)

    def note_version(self, uri: str, version: int) -> None:
        """The document is now at ``version``; older results become stale."""
        self._versions[uri] = version
        current = self._results.get(uri)
        if current is not None and current.version != version:
            del self._results[uri]

    def current_version(self, uri: str) -> int | None:
        return self._versions.get(uri)

    def is_current(self, uri: str, version: int) -> bool:
        return self._versions.get(uri) == version

    def accept(self, result: CheckedVersion) -> bool:
        """Keep ``result`` if it is for the newest version; say whether it may be published."""
        if not self.is_current(result.uri, result.version):
            return False
        self._results[result.uri] = result
        return True

    def get(self, uri: str, version: int | None = None) -> CheckedVersion | None:
        result = self._results.get(uri)
        if result is None or (version is not None and result.version != version):
            return None
        return result

    def forget(self, uri: str) -> None:
        self._versions.pop(uri, None)
        self._results.pop(uri, None)

    def uris(self) -> list[str]:
        return list(self._versions)


@dataclass
class ProblemLog:
    """Turns per-check plugin problems into one message per failure episode and document."""

    _failing: dict[tuple[str, str], str] = field(default_factory=dict)

    def update(self, uri: str, problems: Mapping[str, str]) -> list[str]:
        """Record this check's problems; return the messages that are news."""
        for key in [k for k in self._failing if k[0] == uri and k[1] not in problems]:
            del self._failing[key]  # the plugin recovered on this document
        fresh = []
        for plugin, message in sorted(problems.items()):
            if (uri, plugin) not in self._failing:
                fresh.append(message)
            self._failing[(uri, plugin)] = message
        return fresh

    def forget(self, uri: str) -> None:
        for key in [k for k in self._failing if k[0] == uri]:
            del self._failing[key]
