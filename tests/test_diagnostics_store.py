"""The diagnostics store: results only for the newest version; failures reported once per episode."""

from __future__ import annotations

from lsprotocol import types
from pygls.protocol import default_converter

from lsp_server.diagnostics import (
    SOURCE,
    CheckedVersion,
    DiagnosticCache,
    DiagnosticStore,
    ProblemLog,
    install_diagnostic_hook,
    to_diagnostic,
)
from lsp_server.plugin import Finding, Severity
from lsp_server.positions import UTF16, LineIndex

TEXT = "one 😀 two\nthree"
INDEX = LineIndex.build(TEXT, UTF16)
F = Finding(6, 9, "example.marker", "'two' left", Severity.ERROR, ("2",), plugin="example", data={"word": "two"})


def result(version: int, *findings: Finding, uri: str = "file:///a.txt") -> CheckedVersion:
    return CheckedVersion.build(uri, version, findings, INDEX)


def test_diagnostic_fields() -> None:
    d = to_diagnostic(F, INDEX)
    assert d.range == types.Range(start=types.Position(line=0, character=7), end=types.Position(line=0, character=10))
    assert (d.source, d.code, d.severity, d.message) == (SOURCE, "example.marker", types.DiagnosticSeverity.Error, "'two' left")
    assert d.data == {"rule": "example.marker", "plugin": "example", "replacements": ["2"], "data": {"word": "two"}}


def test_cache_reuses_unmoved_diagnostics_and_rebuilds_moved_ones() -> None:
    cache = DiagnosticCache()
    text = "aa bb\ncc two\n"
    first = cache.build([Finding(0, 2, "r.x", "m"), Finding(9, 12, "r.x", "m")], LineIndex.build(text))
    # Insert a character on line 0: the first finding moves, the second only changes offsets.
    edited = "Xaa bb\ncc two\n"
    second = cache.build([Finding(1, 3, "r.x", "m"), Finding(10, 13, "r.x", "m")], LineIndex.build(edited))
    assert second[1] is first[1]
    assert second[0] is not first[0]
    assert second[0].range.start.character == 1
    assert second[1].range == types.Range(start=types.Position(line=1, character=3), end=types.Position(line=1, character=6))


def test_accepts_only_the_newest_version() -> None:
    store = DiagnosticStore()
    store.note_version("file:///a.txt", 1)
    store.note_version("file:///a.txt", 2)
    assert not store.accept(result(1, F))  # finished late: the user already typed
    assert store.get("file:///a.txt") is None
    assert store.accept(result(2, F))
    assert store.get("file:///a.txt", 2) is not None
    assert store.get("file:///a.txt", 1) is None


def test_a_new_version_drops_the_old_result() -> None:
    store = DiagnosticStore()
    store.note_version("file:///a.txt", 1)
    assert store.accept(result(1, F))
    store.note_version("file:///a.txt", 2)
    assert store.get("file:///a.txt") is None
    assert not store.accept(result(1, F))


def test_unknown_or_closed_documents_are_refused() -> None:
    store = DiagnosticStore()
    assert not store.accept(result(1, F))
    store.note_version("file:///a.txt", 1)
    store.forget("file:///a.txt")
    assert not store.accept(result(1, F))


def test_result_id_is_stable_and_content_sensitive() -> None:
    assert result(3, F).result_id == result(3, F).result_id
    assert result(3, F).result_id != result(3).result_id
    assert result(3, F).result_id != result(4, F).result_id


def test_overlapping_includes_edges() -> None:
    r = result(1, F)
    assert r.overlapping(9, 9) == [F]
    assert r.overlapping(0, 5) == []
    assert r.overlapping(7, 7) == [F]


def test_problem_log_reports_once_per_episode_and_document() -> None:
    log = ProblemLog()
    assert log.update("a", {"bad": "bad failed: boom"}) == ["bad failed: boom"]
    assert log.update("a", {"bad": "bad failed: boom again"}) == []  # still the same episode
    assert log.update("b", {"bad": "bad failed: boom"}) == ["bad failed: boom"]
    assert log.update("a", {}) == []  # recovered
    assert log.update("a", {"bad": "bad failed: boom"}) == ["bad failed: boom"]
    log.forget("b")
    assert log.update("b", {"bad": "x"}) == ["x"]


def test_prepared_diagnostics_serialise_once_and_exactly_like_plain_ones() -> None:
    converter = install_diagnostic_hook(default_converter())
    (prepared,) = DiagnosticCache().build([F], INDEX)
    first = converter.unstructure(types.PublishDiagnosticsParams(uri="u", diagnostics=[prepared]))
    second = converter.unstructure(types.PublishDiagnosticsParams(uri="u", diagnostics=[prepared]))
    assert first["diagnostics"][0] is second["diagnostics"][0]
    assert first["diagnostics"][0] == default_converter().unstructure(to_diagnostic(F, INDEX))
