"""The lint runner in process: exit codes, bad files, settings flags, parallel runs, parity with Engine.check."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from lint_demo_plugin import DemoPlugin, demo_engine

from lsp_server.documents.model import Chunk
from lsp_server.engine import Engine
from lsp_server.lint import (
    LINT_PLUGIN_TIME_LIMIT,
    EngineSpec,
    LintReport,
    Progress,
    build_engine,
    default_jobs,
    lint_target,
    read_source,
    run_lint,
)
from lsp_server.lint_files import Target
from lsp_server.plugin import CheckContext, Finding, LoadedPlugins, Plugin, Severity


def _lint(tmp_path: Path, *paths: str, jobs: int | None = 1, **settings: object) -> LintReport:
    return run_lint(list(paths), EngineSpec(tmp_path, dict(settings)), cwd=tmp_path, jobs=jobs, factory=demo_engine)


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def _rules(report: LintReport) -> list[str]:
    return [x.rule for _, x in report.findings]


@pytest.mark.parametrize(
    ("text", "fail_level", "expected"),
    [
        ("Clean prose.", "warning", 0),
        ("A maybe here.", "info", 0),  # hints never fail, whatever the level
        ("Nice colour.", "warning", 0),
        ("Nice colour.", "info", 1),
        ("Fix teh typo.", "warning", 1),
        ("Fix teh typo.", "error", 0),
        ("FIXME later.", "error", 1),
    ],
)
def test_exit_code_follows_the_fail_level(tmp_path: Path, text: str, fail_level: str, expected: int) -> None:
    _write(tmp_path / "a.txt", text)
    report = _lint(tmp_path, "a.txt")
    assert report.exit_code(Severity.parse(fail_level)) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"caf\xe9 teh", "is not valid UTF-8 (byte 0xe9 at byte offset 3)"),
        (b"teh\x00\x01\x02", "looks binary (it contains NUL bytes)"),
    ],
)
def test_a_bad_file_is_reported_and_the_others_still_checked(tmp_path: Path, content: bytes, message: str) -> None:
    _write(tmp_path / "bad.txt", content)
    _write(tmp_path / "good.txt", "Fix teh typo.")
    report = _lint(tmp_path, ".")
    assert _rules(report) == ["demo.teh"]
    assert len(report.all_errors()) == 1
    assert report.all_errors()[0].startswith("bad.txt: " + message)
    assert report.exit_code(Severity.WARNING) == 2  # runtime errors win over findings


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    _write(tmp_path / "good.txt", "teh")
    report = _lint(tmp_path, "dangling.txt", "good.txt")
    assert report.all_errors() == ["dangling.txt: cannot be read (No such file or directory)"]
    assert _rules(report) == ["demo.teh"]
    assert report.exit_code(Severity.ERROR) == 2


def test_a_file_without_read_permission_is_an_error(tmp_path: Path) -> None:
    locked = _write(tmp_path / "locked.txt", "teh")
    locked.chmod(0)
    try:
        if read_source(locked)[0] is not None:
            pytest.skip("running as root, where file permissions do not stop reading")
        report = _lint(tmp_path, "locked.txt")
    finally:
        locked.chmod(0o644)
    assert report.all_errors() == ["locked.txt: cannot be read (Permission denied)"]


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    report = _lint(tmp_path, "nope.txt")
    assert report.all_errors() == ["nope.txt: no such file or folder"]
    assert report.exit_code(Severity.WARNING) == 2


def test_a_bom_is_dropped_like_an_editor_does(tmp_path: Path) -> None:
    _write(tmp_path / "bom.txt", "\ufeffteh start".encode())
    report = _lint(tmp_path, "bom.txt")
    (finding,) = [x for _, x in report.findings]
    assert (finding.start.line, finding.start.column, finding.start.offset, finding.text) == (1, 1, 0, "teh")
    assert report.all_errors() == []


def test_a_file_over_the_size_limit_is_skipped_with_a_message(tmp_path: Path) -> None:
    _write(tmp_path / "big.txt", "teh " * 600)  # 2.4 KB
    _write(tmp_path / "small.txt", "teh")
    report = _lint(tmp_path, "big.txt", "small.txt", diagnostics={"max_file_kb": 1})
    assert [f.path.name for f in report.files if f.findings] == ["small.txt"]
    assert report.skipped() == ["big.txt: 2 KiB is over diagnostics.max_file_kb = 1; skipped (raise the limit "
                                "in .marginalia.toml to check it)"]
    assert report.exit_code(Severity.WARNING) == 1  # skipping is deliberate, not an error


def test_lint_reports_exactly_what_engine_check_finds(tmp_path: Path) -> None:
    source = "Teh start, teh end.\r\n\r\nA 😀 colour and FIXME and maybe teh."
    _write(tmp_path / "doc.txt", source)
    report = _lint(tmp_path, "doc.txt")
    engine = demo_engine(EngineSpec(tmp_path))
    doc = engine.parse(source, "plaintext", (tmp_path / "doc.txt").as_uri())
    expected = engine.check(doc).findings
    got = [x for _, x in report.findings]
    assert [(x.start.offset, x.end.offset, x.rule, x.message, x.severity) for x in got] == [
        (f.start, f.end, f.rule, f.message, f.severity) for f in expected
    ]
    assert [x.text for x in got] == [source[f.start : f.end] for f in expected]
    # Eager replacements and lazy ones (offered as edit actions) both come through.
    assert {x.rule: x.replacements for x in got} == {
        "demo.teh": ("the",), "demo.colour": ("color",), "demo.fixme": (), "demo.maybe": ()
    }


def test_no_suggestions_skips_lazy_replacements(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "colour teh")
    spec = EngineSpec(tmp_path, suggestions=False)
    report = run_lint(["a.txt"], spec, cwd=tmp_path, jobs=1, factory=demo_engine)
    assert [x.replacements for _, x in report.findings] == [(), ("the",)]


def test_parallel_run_gives_the_same_report_as_a_serial_one(tmp_path: Path) -> None:
    for i in range(6):
        _write(tmp_path / f"ch{i}.txt", f"Chapter {i}: teh {'colour ' * i}FIXME\n\nmaybe 😀 teh")
    _write(tmp_path / "bad.txt", b"\xff\xfe")
    serial = _lint(tmp_path, ".", jobs=1)
    parallel = _lint(tmp_path, ".", jobs=2)
    assert parallel.files == serial.files
    assert parallel.all_errors() == serial.all_errors() == ["bad.txt: is not valid UTF-8 (byte 0xff at byte offset 0); "
                                                            "not checked; convert it, e.g. with `iconv -f latin1 -t utf-8`"]
    assert len(_rules(serial)) == 6 * 4 + sum(range(6))


class _CrashingPlugin(Plugin):
    name = "crashing"

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        raise RuntimeError("kaputt")


def _crashing_engine(spec: EngineSpec) -> Engine:
    plugins: dict[str, Plugin] = {"demo": DemoPlugin(), "crashing": _CrashingPlugin()}
    return Engine(spec.root, spec.editor_settings, loaded=LoadedPlugins(plugins, {}))


def test_a_plugin_failure_is_an_error_and_the_other_plugins_still_report(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "teh")
    report = run_lint(["a.txt"], EngineSpec(tmp_path), cwd=tmp_path, jobs=1, factory=_crashing_engine)
    assert _rules(report) == ["demo.teh"]
    assert len(report.all_errors()) == 1
    assert report.all_errors()[0].startswith("a.txt: plugin crashing failed:")
    assert "kaputt" in report.all_errors()[0]
    assert report.exit_code(Severity.ERROR) == 2


def test_rule_flags_add_to_the_workspace_settings(tmp_path: Path) -> None:
    _write(tmp_path / ".marginalia.toml", 'disabled_rules = ["demo.maybe", "demo.colour"]\n')
    _write(tmp_path / "a.txt", "teh colour maybe FIXME")
    spec = EngineSpec(tmp_path, {}, disable=("demo.fixme",), enable=("demo.maybe",))
    report = run_lint(["a.txt"], spec, cwd=tmp_path, jobs=1, factory=demo_engine)
    assert _rules(report) == ["demo.teh", "demo.maybe"]


def test_disable_and_enable_switch_whole_plugins(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "teh")
    off = run_lint(["a.txt"], EngineSpec(tmp_path, disable=("demo",)), cwd=tmp_path, jobs=1, factory=demo_engine)
    assert _rules(off) == []
    _write(tmp_path / ".marginalia.toml", 'disabled_plugins = ["demo"]\n')
    on = run_lint(["a.txt"], EngineSpec(tmp_path, enable=("demo",)), cwd=tmp_path, jobs=1, factory=demo_engine)
    assert _rules(on) == ["demo.teh"]


def test_build_engine_merges_rule_flags_and_restricts_plugins(tmp_path: Path) -> None:
    _write(tmp_path / ".marginalia.toml", 'disabled_rules = ["x.one", "x.two"]\nlanguage = "en-GB"\n')
    engine = build_engine(EngineSpec(tmp_path, {}, plugins=("grammar-rules",), enable=("x.two",), disable=("x.three",)))
    try:
        assert engine.core.disabled_rules == ["x.one", "x.three"]
        assert engine.core.enabled_rules == ["x.two"]
        assert engine.core.enabled_plugins == ["grammar-rules"]
        assert engine.core.language == "en-GB"
        assert set(engine.loaded.plugins) | set(engine.loaded.blocked) == {"grammar-rules"}
    finally:
        engine.shutdown()


def test_unknown_plugin_named_with_plugins_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "teh")
    report = run_lint(["a.txt"], EngineSpec(tmp_path, plugins=("no-such-plugin",)), cwd=tmp_path, jobs=1)
    assert "plugin no-such-plugin is not installed (see `marginalia doctor`)" in report.all_errors()
    assert report.exit_code(Severity.ERROR) == 2


def test_settings_problems_become_notes(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "teh")
    report = _lint(tmp_path, "a.txt", plugin_time_limit="soon")
    assert any("plugin_time_limit" in n for n in report.notes)


class _Tty:
    def __init__(self) -> None:
        self.written = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.written += text
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_bar_only_on_a_terminal_with_many_files() -> None:
    tty = _Tty()
    bar = Progress(12, tty)  # type: ignore[arg-type]
    for i in range(12):
        bar.step(f"f{i}.txt")
    bar.close()
    assert "12/12" in tty.written and "[" + "#" * 30 + "]" in tty.written
    quiet = _Tty()
    Progress(3, quiet).step("a.txt")  # type: ignore[arg-type]
    assert quiet.written == ""


def test_lint_target_reads_the_language_it_is_given(tmp_path: Path) -> None:
    path = _write(tmp_path / "notes.weird", "teh")
    engine = demo_engine(EngineSpec(tmp_path))
    try:
        report = lint_target(engine, Target(path, "plaintext"))
    finally:
        engine.shutdown()
    assert [x.rule for x in report.findings] == ["demo.teh"]


def test_lazy_replacements_are_asked_once_per_distinct_finding(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "colour colour\n\ncolour FIXME")
    _write(tmp_path / "b.txt", "colour")
    plugin = DemoPlugin()
    report = run_lint(["a.txt", "b.txt"], EngineSpec(tmp_path), cwd=tmp_path, jobs=1,
                      factory=lambda spec: build_engine(spec, LoadedPlugins({"demo": plugin}, {})))
    assert [x.replacements for _, x in report.findings] == [("color",)] * 3 + [()] + [("color",)]
    assert plugin.action_calls == 2  # one for "colour", one for "FIXME"


def test_batch_runs_wait_longer_for_plugins_unless_the_workspace_says_otherwise(tmp_path: Path) -> None:
    engine = demo_engine(EngineSpec(tmp_path))
    assert engine.core.plugin_time_limit == LINT_PLUGIN_TIME_LIMIT
    engine.shutdown()
    _write(tmp_path / ".marginalia.toml", "plugin_time_limit = 3.5\n")
    engine = demo_engine(EngineSpec(tmp_path))
    assert engine.core.plugin_time_limit == 3.5
    engine.shutdown()


class _ShutdownRecorder(Plugin):
    """Writes a file when shut down, so a test can see that worker processes release plugins."""

    name = "recorder"

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def shutdown(self) -> None:
        with self.marker.open("a", encoding="utf-8") as fh:
            fh.write("down\n")


def _recording_engine(spec: EngineSpec) -> Engine:
    marker = Path(str(spec.editor_settings["marker"]))
    return Engine(spec.root, {}, loaded=LoadedPlugins({"recorder": _ShutdownRecorder(marker)}, {}))


def test_worker_processes_shut_their_plugins_down(tmp_path: Path) -> None:
    for i in range(4):
        _write(tmp_path / f"f{i}.txt", "text")
    marker = tmp_path / "marker.log"
    run_lint(["."], EngineSpec(tmp_path, {"marker": str(marker)}), cwd=tmp_path, jobs=2, factory=_recording_engine)
    # The parent's engine and each of the two workers'.
    assert marker.read_text(encoding="utf-8").count("down") == 3


def test_a_failure_in_the_core_costs_one_file_not_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "a.txt", "teh")
    _write(tmp_path / "b.txt", "teh")
    real_check = Engine.check

    def check(self: Engine, doc: object, plugins: object = None) -> object:
        if str(doc.uri).endswith("a.txt"):  # type: ignore[attr-defined]
            raise RecursionError("deep markup")
        return real_check(self, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "check", check)
    report = _lint(tmp_path, "a.txt", "b.txt")
    assert report.all_errors() == ["a.txt: checking failed (RecursionError: deep markup)"]
    assert [f.path.name for f in report.files if f.findings] == ["b.txt"]


def test_few_files_run_in_one_process_many_in_several(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert default_jobs(1) == default_jobs(15) == 1
    assert default_jobs(16) == 2
    assert default_jobs(500) == 4  # capped: each process loads every plugin


def test_editor_only_findings_stay_out_of_lint(tmp_path: Path) -> None:
    """Unused bibliography entries are a hint while writing, not a CI failure."""

    class EditorOnly(Plugin):
        name = "editor-only"

        def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
            yield Finding(chunk.src_start, chunk.src_start + 1, "x.hint", "hint", Severity.HINT, data={"editor_only": True})
            yield Finding(chunk.src_start, chunk.src_start + 1, "x.real", "real", Severity.WARNING)

    _write(tmp_path / "a.txt", "Some prose.\n")
    def factory(spec: EngineSpec) -> Engine:
        return build_engine(spec, LoadedPlugins({"editor-only": EditorOnly()}, {}))

    report = run_lint(["a.txt"], EngineSpec(tmp_path, {}), cwd=tmp_path, jobs=1, factory=factory)
    assert _rules(report) == ["x.real"]
    engine = factory(EngineSpec(tmp_path, {}))
    doc = engine.parse("Some prose.\n", "plaintext")
    assert sorted(f.rule for f in engine.check(doc).findings) == ["x.hint", "x.real"]
