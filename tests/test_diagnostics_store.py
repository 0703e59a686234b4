"""The diagnostics store: results only for the newest version; failures reported once per episode."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter

from lsp_server.diagnostics import (
    SOURCE,
    CheckedVersion,
    DiagnosticCache,
    DiagnosticStore,
    ProblemLog,
    to_diagnostic,
)
from lsp_server.plugin import Finding, Severity
from lsp_server.positions import UTF8, UTF16, UTF32, LineIndex

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


def _ranges(wire: tuple[str, ...]) -> list[tuple[int, int, int, int]]:
    out = []
    for text in wire:
        r = json.loads(text)["range"]
        out.append((r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"]))
    return out


def test_cache_reuses_unmoved_diagnostics_and_rebuilds_moved_ones() -> None:
    cache = DiagnosticCache()
    text = "aa bb\ncc two\n"
    first = cache.build([Finding(0, 2, "r.x", "m"), Finding(9, 12, "r.x", "m")], LineIndex.build(text))
    # Insert a character on line 0: the first finding moves, the second only changes offsets.
    edited = "Xaa bb\ncc two\n"
    second = cache.build([Finding(1, 3, "r.x", "m"), Finding(10, 13, "r.x", "m")], LineIndex.build(edited))
    assert second[1] is first[1]
    assert _ranges(second) == [(0, 1, 0, 3), (1, 3, 1, 6)]


@given(
    text=st.text(alphabet="ab \r\n😀", max_size=24),
    replacement=st.text(alphabet="ab\r\n😀", max_size=4),
    data=st.data(),
    encoding=st.sampled_from([UTF8, UTF16, UTF32]),
)
def test_reused_diagnostics_always_equal_freshly_built_ones(
    text: str, replacement: str, data: st.DataObject, encoding: str
) -> None:
    def findings(t: str) -> list[Finding]:
        spans = {(i, min(len(t), i + w)) for i in range(len(t)) for w in (0, 2) if i % 3 == 0}
        return [Finding(s, e, "r.x", "m") for s, e in sorted(spans)]

    cache = DiagnosticCache()
    cache.build(findings(text), LineIndex.build(text, encoding))
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    edited = text[:a] + replacement + text[b:]
    index = LineIndex.build(edited, encoding)
    reused = cache.build(findings(edited), index)
    assert reused == DiagnosticCache().build(findings(edited), index)


def test_a_changed_message_is_never_served_from_the_cache() -> None:
    cache = DiagnosticCache()
    cache.build([Finding(0, 2, "r.x", "old")], INDEX)
    (wire,) = cache.build([Finding(0, 2, "r.x", "new")], INDEX)
    assert json.loads(wire)["message"] == "new"


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


def test_wire_json_is_exactly_what_cattrs_makes_of_the_diagnostic() -> None:
    odd = Finding(0, 3, "r.y", "m", Severity.HINT, plugin="p", data={"tags": frozenset({"a"}), "n": None, "t": (1, 2)})
    for finding in (F, odd):
        (wire,) = DiagnosticCache().build([finding], INDEX)
        expected = default_converter().unstructure(to_diagnostic(finding, INDEX))
        if finding is odd:
            expected["data"]["data"]["tags"] = ["a"]
            expected["data"]["data"]["t"] = [1, 2]
        assert json.loads(wire) == expected


def test_published_and_pulled_reports_wrap_the_same_items() -> None:
    checked = result(7, F)
    published = json.loads(checked.publish_params().text)
    assert published == {"uri": "file:///a.txt", "version": 7, "diagnostics": [json.loads(checked.wire[0])]}
    report = json.loads(checked.full_report().text)
    assert report == {"kind": "full", "resultId": checked.result_id, "items": published["diagnostics"]}
