"""PluginHost: cache lookups on the caller's thread, plugin code on the plugin's own."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from lsp_server.dispatch import ABSOLUTE_POSITIONS, PluginHost, _Entry
from lsp_server.documents import parse_document
from lsp_server.documents.model import Chunk, ProseDocument
from lsp_server.plugin import CheckContext, Finding, Plugin, Severity

URI = "file:///tmp/book.txt"


class ThreadRecorder(Plugin):
    """Flags "teh" and records which thread ran its chunk and document checks."""

    name = "recorder"

    def __init__(self, with_document: bool = False) -> None:
        self.chunk_threads: list[str] = []
        self.document_threads: list[str] = []
        self.with_document = with_document

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        self.chunk_threads.append(threading.current_thread().name)
        start = chunk.text.find("teh")
        if start >= 0:
            s, e = chunk.to_source(start, start + 3)
            yield Finding(s, e, "recorder.teh", "typo", Severity.WARNING, ("the",))


class DocumentRecorder(ThreadRecorder):
    name = "document"

    def check_document(self, doc: ProseDocument, ctx: CheckContext) -> Iterable[Finding]:
        self.document_threads.append(threading.current_thread().name)
        return [Finding(0, 1, "document.first", "first character", Severity.HINT)]


class FailingDocument(ThreadRecorder):
    name = "failing"

    def check_document(self, doc: ProseDocument, ctx: CheckContext) -> Iterable[Finding]:
        raise ValueError("no document today")


def parse(text: str, version: int) -> ProseDocument:
    return parse_document(text, "plaintext", uri=URI, version=version)


def check(host: PluginHost, doc: ProseDocument) -> tuple[list[tuple[str, str]], dict[str, int], dict[str, str]]:
    names = list(host.plugins)
    outcome = host.check(doc, {n: CheckContext(settings=None) for n in names}, {n: "fp" for n in names}, {n: 5.0 for n in names})
    spans = sorted((doc.source[f.start : f.end], f.rule) for per in outcome.findings.values() for f in per)
    return spans, outcome.checked_chunks, outcome.problems


def test_cached_chunks_need_no_plugin_thread() -> None:
    plugin = ThreadRecorder()
    host = PluginHost({"recorder": plugin})
    text = "\n\n".join(f"Paragraph {i} has teh word." for i in range(20))
    spans, checked, _ = check(host, parse(text, 1))
    assert checked == {"recorder": 20}
    assert spans == [("teh", "recorder.teh")] * 20
    assert set(plugin.chunk_threads) == {"plugin-recorder_0"}
    first_call = host._running["recorder"]
    # The same text again: every chunk is cached, so the plugin's thread is not woken.
    spans, checked, _ = check(host, parse(text, 2))
    assert checked == {"recorder": 0}
    assert spans == [("teh", "recorder.teh")] * 20
    assert host._running["recorder"] is first_call
    assert len(plugin.chunk_threads) == 20
    host.shutdown()


def test_check_document_always_runs_on_the_plugin_thread() -> None:
    plugin = DocumentRecorder()
    host = PluginHost({"document": plugin})
    text = "teh one\n\nteh two"
    for version in (1, 2):
        spans, _, problems = check(host, parse(text, version))
        assert problems == {}
        assert spans == [("t", "document.first"), ("teh", "recorder.teh"), ("teh", "recorder.teh")]
    assert plugin.document_threads == ["plugin-document_0"] * 2
    host.shutdown()


def test_a_failing_document_check_keeps_the_chunk_findings() -> None:
    host = PluginHost({"failing": FailingDocument()})
    spans, _, problems = check(host, parse("teh one\n\nteh two", 1))
    assert spans == [("teh", "recorder.teh")] * 2
    assert "no document today" in problems["failing"]
    host.shutdown()


def test_repeated_paragraphs_keep_exact_positions_through_edits() -> None:
    host = PluginHost({"recorder": ThreadRecorder()})
    paragraph = "The same teh paragraph."
    original = "\n\n".join([paragraph] * 6)
    for version in range(1, 9):
        # Alternate: one character typed at the front (everything moves), then taken back.
        text = ("x" + original) if version % 2 else original
        doc = parse(text, version)
        spans, _, _ = check(host, doc)
        assert spans == [("teh", "recorder.teh")] * 6
    host.shutdown()


def test_entry_keeps_recent_positions_and_drops_the_oldest() -> None:
    entry = _Entry((Finding(0, 3, "r.x", "m", Severity.WARNING),))
    firsts = [entry.at(start) for start in range(1, ABSOLUTE_POSITIONS + 4)]
    assert [f[0].start for f in firsts] == list(range(1, ABSOLUTE_POSITIONS + 4))
    assert len(entry.absolute) == ABSOLUTE_POSITIONS
    newest = ABSOLUTE_POSITIONS + 3
    assert entry.at(newest) is firsts[-1]  # still kept: the same tuple, not rebuilt
    assert 1 not in entry.absolute
