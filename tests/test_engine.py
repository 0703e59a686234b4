"""The check core: plugin isolation, chunk cache, rule settings and magic comments."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

from lsp_server.documents.model import Chunk
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, Finding, LoadedPlugins, Plugin, Severity


class WordPlugin(Plugin):
    """Flags a fixed word; counts how many chunks it was shown."""

    name = "word"

    def __init__(self, word: str = "teh", fix: str = "the") -> None:
        self.word, self.fix, self.calls = word, fix, 0

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        self.calls += 1
        start = chunk.text.find(self.word)
        while start >= 0:
            s, e = chunk.to_source(start, start + len(self.word))
            yield Finding(s, e, f"word.{self.word}", f"'{self.word}' looks wrong", Severity.WARNING, (self.fix,))
            start = chunk.text.find(self.word, start + 1)


class RaisingPlugin(Plugin):
    name = "raising"

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        raise RuntimeError("boom")


class HangingPlugin(Plugin):
    name = "hanging"

    def __init__(self) -> None:
        self.release = threading.Event()

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        self.release.wait(30)
        return ()


def make_engine(tmp_path: Path, **plugins: Plugin) -> Engine:
    return Engine(tmp_path, {"plugin_time_limit": 0.5}, loaded=LoadedPlugins(dict(plugins), {}))


def test_findings_map_to_source(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, word=WordPlugin())
    doc = engine.parse("Fix teh thing.\n\nAnd 😀 teh other.", "plaintext")
    result = engine.check(doc)
    assert [doc.source[f.start : f.end] for f in result.findings] == ["teh", "teh"]
    assert all(f.plugin == "word" for f in result.findings)


def test_raising_and_hanging_plugins_do_not_stop_a_healthy_one(tmp_path: Path) -> None:
    hanging = HangingPlugin()
    engine = make_engine(tmp_path, word=WordPlugin(), raising=RaisingPlugin(), hanging=hanging)
    doc = engine.parse("teh end", "plaintext")
    started = time.monotonic()
    result = engine.check(doc)
    assert time.monotonic() - started < 5
    assert [f.rule for f in result.findings] == ["word.teh"]
    assert "boom" in result.problems["raising"]
    assert "longer than" in result.problems["hanging"]
    # While the hung call is still running the plugin is skipped, not queued.
    again = engine.check(doc)
    assert "still busy" in again.problems["hanging"]
    assert [f.rule for f in again.findings] == ["word.teh"]
    hanging.release.set()


def test_edit_rechecks_only_the_touched_chunk(tmp_path: Path) -> None:
    plugin = WordPlugin()
    engine = make_engine(tmp_path, word=plugin)
    paragraphs = [f"Paragraph {i} has teh word." for i in range(50)]
    doc = engine.parse("\n\n".join(paragraphs), "plaintext")
    first = engine.check(doc)
    assert first.checked_chunks["word"] == 50
    paragraphs[10] = "Paragraph ten changed, teh word stays."
    edited = engine.parse("\n\n".join(paragraphs), "plaintext")
    second = engine.check(edited)
    assert second.checked_chunks["word"] == 1
    # Cached findings moved with their paragraphs.
    assert [edited.source[f.start : f.end] for f in second.findings] == ["teh"] * 50


def test_rules_disabled_by_settings_and_magic_comments(tmp_path: Path) -> None:
    engine = Engine(tmp_path, {"disabled_rules": ["word.teh"]}, loaded=LoadedPlugins({"word": WordPlugin()}, {}))
    doc = engine.parse("teh", "plaintext")
    assert engine.check(doc).findings == []
    engine = make_engine(tmp_path, word=WordPlugin())
    src = "teh\n\n# marginalia: off\n\nteh\n\n# marginalia: on\n\nteh\n\n# marginalia: disable=word\n"
    doc = engine.parse(src, "plaintext")
    assert engine.check(doc).findings == []
    src = "teh\n\n# marginalia: off\n\nteh\n\n# marginalia: on\n\nteh"
    found = engine.check(engine.parse(src, "plaintext")).findings
    assert [f.start for f in found] == [0, src.rindex("teh")]


def test_severity_override_and_bad_magic_key(tmp_path: Path) -> None:
    engine = Engine(
        tmp_path, {"diagnostics": {"severity": {"word": "hint"}}}, loaded=LoadedPlugins({"word": WordPlugin()}, {})
    )
    result = engine.check(engine.parse("teh\n# marginalia: run=rm\n", "plaintext"))
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["word.teh"].severity is Severity.HINT
    assert by_rule["core.magic-comment"].severity is Severity.WARNING


def test_language_resolution(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, word=WordPlugin())
    doc = engine.parse("Text", "plaintext")
    assert engine.language_for(doc) == "en-US"
    engine = Engine(tmp_path, {"language": "de-DE"}, loaded=LoadedPlugins({"word": WordPlugin()}, {}))
    assert engine.language_for(doc) == "de-DE"
    assert engine.language_for(engine.parse("# marginalia: language=en-GB\nText", "plaintext")) == "en-GB"


def test_dictionary_file_is_reread_when_it_changes(tmp_path: Path) -> None:
    engine = make_engine(tmp_path, word=WordPlugin())
    assert "Foo" not in engine.dictionary()
    (tmp_path / ".marginalia").mkdir()
    (tmp_path / ".marginalia" / "dictionary.txt").write_text("Foo\n", encoding="utf-8")
    assert "Foo" in engine.dictionary()
