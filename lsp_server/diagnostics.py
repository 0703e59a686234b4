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


def finding_data(finding: Finding) -> dict[str, Any]:
    """What code actions and clients need to act on a diagnostic without asking again.

    No offsets or version: the range says where, and leaving them out lets an
    unmoved finding keep its diagnostic from one version to the next.
    """
    return {
        "rule": finding.rule,
        "plugin": finding.plugin,
        "replacements": list(finding.replacements),
        "data": dict(finding.data) if finding.data is not None else None,
    }


def _range(start: tuple[int, int], end: tuple[int, int]) -> types.Range:
    return types.Range(
        start=types.Position(line=start[0], character=start[1]),
        end=types.Position(line=end[0], character=end[1]),
    )


def to_diagnostic(finding: Finding, index: LineIndex) -> types.Diagnostic:
    return _diagnostic(finding, index.line_col(finding.start), index.line_col(max(finding.start, finding.end)))


class PreparedDiagnostic(types.Diagnostic):
    """A diagnostic that keeps its JSON form once serialised.

    Unmoved findings reuse their diagnostic from the previous version (see
    :class:`DiagnosticCache`); with :func:`install_diagnostic_hook` they are not
    serialised again either, which on a book costs more than the check itself.
    Never mutate one after it was sent.
    """

    __slots__ = ("wire",)
    wire: Any


def install_diagnostic_hook(converter: Any) -> Any:
    """Make ``converter`` reuse a :class:`PreparedDiagnostic`'s JSON form."""
    base = converter.get_unstructure_hook(types.Diagnostic)

    def unstructure(diagnostic: types.Diagnostic) -> Any:
        if not isinstance(diagnostic, PreparedDiagnostic):
            return base(diagnostic)
        wire = getattr(diagnostic, "wire", None)
        if wire is None:
            wire = diagnostic.wire = base(diagnostic)
        return wire

    converter.register_unstructure_hook(types.Diagnostic, unstructure)
    return converter


def _diagnostic(finding: Finding, start: tuple[int, int], end: tuple[int, int]) -> types.Diagnostic:
    return PreparedDiagnostic(
        range=_range(start, end),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        source=SOURCE,
        code=finding.rule,
        data=finding_data(finding),
    )


class DiagnosticCache:
    """One document's diagnostics, reused across versions for findings that did not move.

    A one-character edit in a book moves the findings of one line; rebuilding
    every protocol object for thousands of others would cost more than the check.
    Keys are a finding's content plus its *line/column* span, not its offsets,
    which shift with every edit above it.
    """

    def __init__(self) -> None:
        self._previous: dict[tuple[Any, ...], types.Diagnostic] = {}

    def build(self, findings: Iterable[Finding], index: LineIndex) -> tuple[types.Diagnostic, ...]:
        current: dict[tuple[Any, ...], types.Diagnostic] = {}
        out = []
        for f in findings:
            start, end = index.line_col(f.start), index.line_col(max(f.start, f.end))
            data = f.data if f.data is None else repr(sorted(f.data.items()))
            key = (f.rule, f.message, f.severity, f.plugin, f.replacements, data, start, end)
            diagnostic = current.get(key) or self._previous.get(key) or _diagnostic(f, start, end)
            current[key] = diagnostic
            out.append(diagnostic)
        self._previous = current
        return tuple(out)


@dataclass(frozen=True)
class CheckedVersion:
    """The result of checking one version of one document."""

    uri: str
    version: int
    findings: tuple[Finding, ...]
    diagnostics: tuple[types.Diagnostic, ...]

    @classmethod
    def build(cls, uri: str, version: int, findings: Iterable[Finding], index: LineIndex, cache: DiagnosticCache | None = None) -> CheckedVersion:
        found = tuple(findings)
        return cls(uri, version, found, (cache or DiagnosticCache()).build(found, index))

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
