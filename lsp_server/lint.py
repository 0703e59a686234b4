"""The headless runner behind ``marginalia lint``.

It drives :class:`lsp_server.engine.Engine` exactly as the language server
does (``engine.parse`` then ``engine.check``), so a file gives the same
findings in CI as in the editor.  Files are read strictly: unreadable, binary
or non-UTF-8 files get one message each and the rest are still checked.
With ``jobs > 1`` files are spread over processes, each with its own engine;
results come back in the order the files were named.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import dataclasses
import logging
import multiprocessing
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lsp_server.config import deep_merge
from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine
from lsp_server.lint_exclude import Excluder
from lsp_server.lint_files import Collection, Target, expand_paths, find_root, follow_includes
from lsp_server.output import display_path
from lsp_server.output.positions import LineIndex, Position
from lsp_server.plugin import Finding, LoadedPlugins, Severity, discover

# With fewer files than this, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 16
PROGRESS_THRESHOLD = 10
# The editor's per-call limit (10 s) keeps typing responsive; a batch run would rather
# wait for a slow first call (dictionaries loading on a busy CI machine) than skip
# the plugin for every later file.  A setting in the workspace or on the command line wins.
LINT_PLUGIN_TIME_LIMIT = 120.0


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class LintFinding:
    plugin: str
    rule: str
    severity: Severity
    message: str
    start: Position
    end: Position
    text: str  # the exact source text the finding covers
    replacements: tuple[str, ...] = ()
    explanation: str = ""  # why the rule exists, when the plugin says


@dataclass
class FileReport:
    path: Path  # absolute
    language_id: str
    findings: list[LintFinding] = field(default_factory=list)
    # Why the file was not (fully) checked, without the path; any error makes the run exit 2.
    errors: list[str] = field(default_factory=list)
    skipped: str | None = None


@dataclass
class LintReport:
    files: list[FileReport]
    root: Path | None
    cwd: Path = field(default_factory=Path.cwd)
    # Problems that belong to no single file (bad arguments, unavailable plugins).
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)  # rule id -> a short description

    @property
    def findings(self) -> Iterator[tuple[FileReport, LintFinding]]:
        return ((f, x) for f in self.files for x in f.findings)

    def display(self, path: Path) -> str:
        return display_path(path, self.cwd)

    def all_errors(self) -> list[str]:
        return self.errors + [f"{self.display(f.path)}: {e}" for f in self.files for e in f.errors]

    def skipped(self) -> list[str]:
        return [f"{self.display(f.path)}: {f.skipped}" for f in self.files if f.skipped]

    def by_severity(self) -> dict[str, int]:
        counts = Counter(x.severity.name.lower() for _, x in self.findings)
        return {name.lower(): counts.get(name.lower(), 0) for name in ("error", "warning", "info", "hint")}

    def by_plugin(self) -> dict[str, int]:
        return dict(sorted(Counter(x.plugin for _, x in self.findings).items()))

    def exit_code(self, fail_level: Severity) -> int:
        """2 when anything could not be checked (that wins), 1 for findings at or above
        ``fail_level`` (hints never fail), else 0."""
        if self.all_errors():
            return 2
        if any(x.severity >= max(fail_level, Severity.INFO) for _, x in self.findings):
            return 1
        return 0


# --------------------------------------------------------------------------- engine


@dataclass(frozen=True)
class EngineSpec:
    """Everything a worker process needs to build the same engine as the parent."""

    root: Path | None
    editor_settings: Mapping[str, Any] = field(default_factory=dict)
    plugins: tuple[str, ...] = ()  # restrict to these plugins (empty: all installed)
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    suggestions: bool = True
    exclude: tuple[str, ...] = ()  # --exclude patterns, added to lint.exclude and lint.extend_exclude


def _union(base: Sequence[str], extra: Sequence[str], minus: Sequence[str] = ()) -> list[str]:
    return [x for x in dict.fromkeys([*base, *extra]) if x not in minus]


def build_engine(spec: EngineSpec, loaded: LoadedPlugins | None = None) -> Engine:
    """The engine for ``spec``: command-line rule flags add to the workspace's lists.

    ``loaded`` replaces plugin discovery (tests use it to run a fixed plugin).
    """
    if loaded is None and spec.plugins:
        loaded = discover(include=spec.plugins)
    engine = Engine(spec.root, spec.editor_settings, loaded=loaded)
    extra: dict[str, Any] = {}
    if "plugin_time_limit" not in engine.settings.raw:
        extra["plugin_time_limit"] = LINT_PLUGIN_TIME_LIMIT
    if spec.enable or spec.disable or spec.plugins:
        core = engine.core
        names = set(engine.loaded.plugins)
        plugin_on = [*spec.plugins, *(r for r in spec.enable if r in names)]
        plugin_off = [r for r in spec.disable if r in names]
        extra |= {
            "enabled_rules": _union(core.enabled_rules, spec.enable),
            "disabled_rules": _union(core.disabled_rules, spec.disable, spec.enable),
            "enabled_plugins": _union(core.enabled_plugins, plugin_on, plugin_off),
            "disabled_plugins": _union(core.disabled_plugins, plugin_off, plugin_on),
        }
    if extra:
        engine.reload_settings(deep_merge(spec.editor_settings, extra))
    return engine


EngineFactory = Callable[[EngineSpec], Engine]


# --------------------------------------------------------------------------- one file


def read_source(path: Path) -> tuple[str | None, str | None]:
    """(text, None) or (None, why not): strict UTF-8, a leading BOM dropped as editors do."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return None, "is a folder"
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    if b"\0" in data:
        return None, "looks binary (it contains NUL bytes); not checked"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, (
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte offset {exc.start}); "
            "not checked; convert it, e.g. with `iconv -f latin1 -t utf-8`"
        )


# (plugin, rule, covered text, language, data) -> replacements.  Lazy suggestions cost
# tens of milliseconds each (spelling) and the same word recurs all through a book,
# so a run asks once per distinct finding; a fix that depends on more than these
# would have to put it in ``Finding.data``.
ReplacementCache = dict[tuple[str, str, str, str, str], tuple[str, ...]]


def _replacements(engine: Engine, doc: ProseDocument, f: Finding, language: str, cache: ReplacementCache) -> tuple[str, ...]:
    if f.replacements:
        return tuple(f.replacements)
    key = (f.plugin, f.rule, doc.source[f.start : f.end], language, repr(f.data))
    if key not in cache:
        cache[key] = tuple(engine.replacements_for(doc, f))
    return cache[key]


def lint_target(
    engine: Engine, target: Target, suggestions: bool = True, cache: ReplacementCache | None = None
) -> FileReport:
    cache = cache if cache is not None else {}
    report = FileReport(target.path, target.language_id)
    limit_kb = engine.core.diagnostics.max_file_kb
    try:
        size = target.path.stat().st_size
    except OSError as exc:
        report.errors.append(f"cannot be read ({exc.strerror or exc})")
        return report
    if size > limit_kb * 1024:
        report.skipped = (
            f"{size // 1024} KiB is over diagnostics.max_file_kb = {limit_kb}; skipped "
            "(raise the limit in .marginalia.toml to check it)"
        )
        return report
    source, error = read_source(target.path)
    if source is None:
        report.errors.append(error or "cannot be read")
        return report
    try:
        doc = engine.parse(source, target.language_id, target.path.as_uri())
    except Exception as exc:  # noqa: BLE001 - a parser bug or a missing parser must not stop the other files
        report.errors.append(f"cannot be parsed as {target.language_id} ({type(exc).__name__}: {exc})")
        return report
    if doc.declared_language is None and target.document_language:
        # A chapter speaks the language its book's preamble declares.
        doc = dataclasses.replace(doc, declared_language=target.document_language)
    try:
        result = engine.check(doc)
    except Exception as exc:  # noqa: BLE001 - the host isolates plugins; this guards the core itself, per file
        report.errors.append(f"checking failed ({type(exc).__name__}: {exc})")
        return report
    for plugin, problem in sorted(result.problems.items()):
        report.errors.append(f"plugin {plugin} failed: {problem}")
    index = LineIndex(source)
    for f in result.findings:
        if f.data and f.data.get("editor_only"):
            continue  # e.g. unused bibliography entries: a hint while writing, noise in CI unless asked for
        replacements = _replacements(engine, doc, f, result.language, cache) if suggestions else tuple(f.replacements)
        report.findings.append(
            LintFinding(
                plugin=f.plugin,
                rule=f.rule,
                severity=f.severity,
                message=f.message,
                start=index.position(f.start),
                end=index.position(f.end),
                text=source[f.start : f.end],
                replacements=replacements,
                explanation=f.explanation,
            )
        )
    return report


# --------------------------------------------------------------------------- many files

_worker_engine: Engine | None = None
_worker_spec: EngineSpec | None = None
_worker_cache: ReplacementCache = {}


def _worker_init(factory: EngineFactory, spec: EngineSpec) -> None:
    global _worker_engine, _worker_spec
    # The parent reports settings problems once; workers stay quiet.
    logging.getLogger("lsp_server").setLevel(logging.CRITICAL)
    _worker_engine = factory(spec)
    _worker_spec = spec
    # Plugins may hold processes (LanguageTool); release them when the worker exits.
    atexit.register(_worker_engine.shutdown)


def _worker_lint(target: Target) -> FileReport:
    assert _worker_engine is not None and _worker_spec is not None
    return lint_target(_worker_engine, target, _worker_spec.suggestions, _worker_cache)


class Progress:
    """A one-line bar on a terminal's stderr; silent otherwise."""

    def __init__(self, total: int, stream: IO[str] | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        is_tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.enabled = (is_tty and total >= PROGRESS_THRESHOLD) if enabled is None else enabled

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {self.done}/{self.total} {label[-40:]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 90 + "\r")
            self.stream.flush()


def default_jobs(n_files: int) -> int:
    if n_files < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 4, n_files // (PARALLEL_THRESHOLD // 2)))


def _read_for_includes(path: Path) -> str | None:
    text, _ = read_source(path)
    return text


def collect(paths: Sequence[str], cwd: Path, root: Path | None, excluder: Excluder | None = None) -> Collection:
    collection = expand_paths(paths, cwd, excluder)
    workspace = root or cwd
    return follow_includes(collection, workspace, _read_for_includes, excluder)


def excluder_for(engine: Engine, spec: EngineSpec, cwd: Path) -> Excluder:
    settings = engine.core.lint
    patterns = [*settings.exclude, *settings.extend_exclude, *spec.exclude]
    return Excluder(spec.root or cwd, patterns, settings.respect_gitignore)


def workspace_root(paths: Sequence[str], cwd: Path) -> Path:
    """Nearest folder with .marginalia.toml, pyproject.toml or .git above the first path.

    Without one, the current folder if the first path is inside it, else that path's own
    folder: a workspace bounds what may be read (a chapter's .bib, its main file), and a
    run without one would not find a preamble's ``Back/refs.bib`` beside ``main.tex``.
    """
    first = Path(paths[0]) if paths else cwd
    first = first if first.is_absolute() else cwd / first
    while not first.exists() and first != first.parent:  # a glob: start from its fixed part
        first = first.parent
    first = first.resolve()
    found = find_root(first)
    if found is not None:
        return found
    start = first if first.is_dir() else first.parent
    here = cwd.resolve()
    return here if start.is_relative_to(here) else start


def run_lint(
    paths: Sequence[str],
    spec: EngineSpec,
    *,
    cwd: Path | None = None,
    jobs: int | None = None,
    factory: EngineFactory = build_engine,
    progress: Progress | None = None,
) -> LintReport:
    """Check ``paths`` and return every finding and problem; never raises for bad files."""
    cwd = cwd or Path.cwd()
    engine = factory(spec)
    try:
        report = LintReport([], spec.root, cwd)
        for name in spec.plugins:
            if name in engine.loaded.blocked:
                report.errors.append(f"plugin {name} cannot be loaded: {engine.loaded.blocked[name]}")
            elif name not in engine.loaded.plugins:
                report.errors.append(f"plugin {name} is not installed (see `marginalia doctor`)")
        for name, why in sorted(engine.loaded.blocked.items()):
            if name not in spec.plugins:
                report.notes.append(f"plugin {name} is unavailable ({why}); see `marginalia doctor`")
        report.notes.extend(f"settings: {m}" for m in engine.settings.messages)
        collection = collect(paths, cwd, spec.root, excluder_for(engine, spec, cwd))
        report.errors.extend(collection.errors)
        report.notes.extend(f"{report.display(path)}:{line}: {message}" for path, line, message in collection.include_problems)
        targets = collection.targets
        n_jobs = jobs if jobs is not None else default_jobs(len(targets))
        bar = progress or Progress(len(targets))
        if n_jobs <= 1 or len(targets) <= 1:
            cache: ReplacementCache = {}
            for target in targets:
                report.files.append(lint_target(engine, target, spec.suggestions, cache))
                bar.step(target.path.name)
        else:
            ctx = multiprocessing.get_context("spawn")  # forking a process with plugin threads is unsafe
            shared = engine.worker_settings()  # e.g. one LanguageTool server, started here, for all workers
            worker_spec = dataclasses.replace(spec, editor_settings=deep_merge(spec.editor_settings, shared)) if shared else spec
            with cf.ProcessPoolExecutor(n_jobs, mp_context=ctx, initializer=_worker_init, initargs=(factory, worker_spec)) as pool:
                for file_report in pool.map(_worker_lint, targets, chunksize=1):
                    report.files.append(file_report)
                    bar.step(file_report.path.name)
        bar.close()
        report.notes.extend(report.skipped())
        report.rules = _rule_descriptions(report)
        return report
    finally:
        engine.shutdown()


def _rule_descriptions(report: LintReport) -> dict[str, str]:
    """One line per rule for SARIF's rule table: the first sentence of the rule's
    explanation where a plugin gives one, else the first message seen for it."""
    explained: dict[str, str] = {}
    first_message: dict[str, str] = {}
    for _, f in report.findings:
        if f.explanation:
            explained.setdefault(f.rule, _first_sentence(f.explanation))
        first_message.setdefault(f.rule, f.message)
    return {rule: explained.get(rule, message) for rule, message in sorted(first_message.items())}


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = text.find(". ")
    return text[: end + 1] if end >= 0 else text
