"""Findings -> LSP diagnostics, kept per (uri, version) and never published stale.

The store knows the newest version of every open document (the server tells it
on each change) and accepts check results only for that version: a check that
finishes after the user typed again is dropped, whatever order threads finish
in.  Plugin failures are turned into one message per failure *episode* per
document, so a broken plugin does not speak up on every keystroke.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from lsprotocol import types

from lsp_server.plugin import Finding, Severity
from lsp_server.positions import LineIndex
from lsp_server.text_diff import changed_span
from lsp_server.wire import EncodedJson

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
    """The protocol object (for callers that want one; publishing uses :func:`diagnostic_json`)."""
    start, end = index.line_col(finding.start), index.line_col(max(finding.start, finding.end))
    return types.Diagnostic(
        range=_range(start, end),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        source=SOURCE,
        code=finding.rule,
        data=finding_data(finding),
    )


def _jsonable(value: object) -> Any:
    """What ``json`` cannot write itself in a plugin's ``data``: sets and enums as cattrs would, else text."""
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, Enum):
        return value.value
    return repr(value)


def diagnostic_json(finding: Finding, start: tuple[int, int], end: tuple[int, int]) -> str:
    """One diagnostic as JSON text: the same value cattrs makes of :func:`to_diagnostic`, built directly.

    A book has thousands of diagnostics; unstructuring protocol objects for each
    of them on every keystroke cost more than checking the edit.
    """
    return json.dumps(
        {
            "range": {"start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}},
            "message": finding.message,
            "severity": _SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning).value,
            "code": finding.rule,
            "source": SOURCE,
            "data": finding_data(finding),
        },
        default=_jsonable,
    )


class _Wire(NamedTuple):
    """A finding's diagnostic as sent, with its range for re-placing it after an edit.

    ``finding`` is the one it was made for; a reused wire keeps it even when the
    finding has moved, since only its offsets differ (and they are the lookup key).
    """

    finding: Finding
    start: tuple[int, int]
    end: tuple[int, int]
    json: str


def _same_content(a: Finding, b: Finding) -> bool:
    return a is b or (
        a.message == b.message
        and a.severity == b.severity
        and a.plugin == b.plugin
        and a.replacements == b.replacements
        and a.data == b.data
    )


class DiagnosticCache:
    """One document's diagnostics as JSON, reused across versions for findings the edit did not move.

    A one-character edit in a book changes the positions of the findings on one
    line; rebuilding and serialising thousands of others would cost more than
    the check.  The cache compares the text with the one it last saw: a finding
    that ends before the first changed character keeps its line and column, and
    one on a line that starts after the last changed character keeps its column
    and moves by the number of lines the edit added.  Only the others are
    converted again.  A finding is found again by its offsets and rule (unique
    in a result: the engine drops duplicates) and reused only if nothing else in
    it changed.
    """

    def __init__(self) -> None:
        self._index: LineIndex | None = None
        self._by_span: dict[tuple[int, int, str], _Wire] = {}

    def build(self, findings: Iterable[Finding], index: LineIndex) -> tuple[str, ...]:
        old_index, old = self._index, self._by_span
        text = index.text
        prefix, tail_from, delta, line_delta = 0, len(text) + 1, 0, 0
        if old_index is not None and old_index.encoding == index.encoding and old:
            prefix, suffix = changed_span(old_index.text, text)
            changed_until = len(text) - suffix
            # The first line whose start and terminator before it are both unchanged.
            k = bisect_left(index.starts, changed_until + 1)
            tail_from = index.starts[k] if k < len(index.starts) else len(text) + 1
            delta = len(text) - len(old_index.text)
            line_delta = index.line_count - old_index.line_count
        current: dict[tuple[int, int, str], _Wire] = {}
        out: list[str] = []
        line_col, append = index.line_col, out.append
        for f in findings:  # thousands per keystroke in a book: kept free of calls where it can be
            s = f.start
            e = f.end if f.end > s else s
            key = (s, e, f.rule)
            wire = None
            if e < prefix:
                wire = old.get(key)
            elif s >= tail_from:
                wire = old.get((s - delta, e - delta, f.rule))
                if wire is not None and line_delta and _same_content(wire.finding, f):
                    a, b = (wire.start[0] + line_delta, wire.start[1]), (wire.end[0] + line_delta, wire.end[1])
                    wire = _Wire(f, a, b, diagnostic_json(f, a, b))
            if wire is not None and wire.finding is not f and not _same_content(wire.finding, f):
                wire = None
            if wire is None:
                a, b = line_col(s), line_col(e)
                wire = _Wire(f, a, b, diagnostic_json(f, a, b))
            current[key] = wire
            append(wire.json)
        self._index, self._by_span = index, current
        return tuple(out)


@dataclass(frozen=True)
class CheckedVersion:
    """The result of checking one version of one document, with its diagnostics as JSON texts."""

    uri: str
    version: int
    findings: tuple[Finding, ...]
    wire: tuple[str, ...]

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

    def publish_params(self) -> EncodedJson:
        """``PublishDiagnosticsParams`` for this version, ready to send."""
        items = ",".join(self.wire)
        return EncodedJson(f'{{"uri":{json.dumps(self.uri)},"version":{self.version},"diagnostics":[{items}]}}')

    def full_report(self) -> EncodedJson:
        """A ``RelatedFullDocumentDiagnosticReport`` for this version, ready to send."""
        items = ",".join(self.wire)
        return EncodedJson(f'{{"kind":"full","resultId":{json.dumps(self.result_id)},"items":[{items}]}}')

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
