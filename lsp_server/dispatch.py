"""Calls plugins so that none of them can take the others down.

Each plugin gets its own single worker thread.  A call that raises is logged
once (per plugin and error) and contributes nothing; a call that runs past the
plugin's time limit is abandoned (its partial work stays in the chunk cache)
and, while it is still running, the plugin is skipped rather than queued
behind itself.  The other plugins' results are returned as usual.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lsp_server.documents.model import Chunk, ProseDocument
from lsp_server.lru import LRU
from lsp_server.plugin import CheckContext, Finding, Plugin
from lsp_server.work_gate import PATIENCE_S, WorkGate

log = logging.getLogger(__name__)
T = TypeVar("T")

CHUNK_CACHE_SIZE = 100_000
# Absolute copies kept per cached chunk: two per occurrence (before and after a
# one-character edit), for a paragraph repeated a few times in a document.
ABSOLUTE_POSITIONS = 16


@dataclass
class CheckOutcome:
    """Per-plugin findings for one document, and what went wrong on the way."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    # Chunks actually handed to each plugin (cache misses): for tests and benchmarks.
    checked_chunks: dict[str, int] = field(default_factory=dict)


class _Entry:
    """Findings of one chunk, relative to its start, plus recent absolute copies.

    Most chunks do not move between two checks (an edit moves only what follows
    it), so absolute findings are reused instead of rebuilt per keystroke.  Typing
    and deleting puts a chunk at two positions, and identical paragraphs share one
    entry, so several positions are kept; the oldest gives way first.
    """

    __slots__ = ("absolute", "relative")

    def __init__(self, relative: tuple[Finding, ...]) -> None:
        self.relative = relative
        self.absolute: dict[int, tuple[Finding, ...]] = {0: relative}

    def at(self, start: int) -> tuple[Finding, ...]:
        if not self.relative:
            return self.relative  # most paragraphs have no findings: nothing to place
        hit = self.absolute.get(start)
        if hit is None:
            if len(self.absolute) >= ABSOLUTE_POSITIONS:
                del self.absolute[next(iter(self.absolute))]
            hit = self.absolute[start] = tuple(f.shifted(start) for f in self.relative)
        return hit


class PluginHost:
    def __init__(self, plugins: dict[str, Plugin]) -> None:
        self.plugins = plugins
        self._executors = {name: cf.ThreadPoolExecutor(1, thread_name_prefix=f"plugin-{name}") for name in plugins}
        self._running: dict[str, cf.Future[Any]] = {}
        self._logged: set[tuple[str, str]] = set()
        # Findings per (plugin, context fingerprint, chunk key), relative to the chunk start.
        self._cache: LRU[tuple[str, str, str], _Entry] = LRU(CHUNK_CACHE_SIZE)
        # (plugin, uri) -> (fingerprint, chunk key -> entry) of the last check: an edit finds
        # almost every chunk here, without the shared LRU's lock and reordering.
        self._last: dict[tuple[str, str], tuple[str, dict[str, _Entry]]] = {}
        self._lock = threading.Lock()
        self._gate = WorkGate()

    # -- isolation -----------------------------------------------------------
    def _log_once(self, plugin: str, exc: BaseException) -> str:
        text = f"{type(exc).__name__}: {exc}"
        if (plugin, text) not in self._logged:
            self._logged.add((plugin, text))
            log.error("plugin %s failed: %s", plugin, text, exc_info=exc)
        return text

    def call(self, name: str, fn: Callable[[], T], default: T, time_limit: float) -> tuple[T, str | None]:
        """Run ``fn`` on the plugin's worker with a time limit; return (result, problem)."""
        with self._lock:
            busy = self._running.get(name)
            if busy is not None and not busy.done():
                return default, f"{name} is still busy with an earlier call that ran past its time limit"
            fut = self._executors[name].submit(fn)
            self._running[name] = fut
        try:
            return fut.result(timeout=time_limit), None
        except cf.TimeoutError:
            log.warning("plugin %s exceeded its time limit of %.1fs", name, time_limit)
            return default, f"{name} took longer than {time_limit:g}s and was skipped"
        except Exception as exc:  # noqa: BLE001 - isolation is the point
            return default, f"{name} failed: {self._log_once(name, exc)}"

    # -- checking ------------------------------------------------------------
    def _cached_pass(self, name: str, doc: ProseDocument, keys: list[str], fingerprint: str) -> _Pass:
        """Look every chunk up in the caches; host code only, so it runs on the caller's thread."""
        last_fingerprint, last = self._last.get((name, doc.uri), ("", {}))
        entries: list[_Entry | None] = list(map(last.get, keys)) if last_fingerprint == fingerprint else [None] * len(keys)
        misses: list[int] = []
        for i in [i for i, e in enumerate(entries) if e is None]:  # usually the edited paragraph alone
            entries[i] = self._cache.get((name, fingerprint, keys[i]))
            if entries[i] is None:
                misses.append(i)
        return _Pass(entries, misses)

    def _plugin_work(
        self,
        name: str,
        plugin: Plugin,
        doc: ProseDocument,
        ctx: CheckContext,
        fingerprint: str,
        work: _Pass,
        time_limit: float,
    ) -> _Pass:
        """The plugin's own part of a check, on its worker: the chunks not cached, then the whole document."""
        # One plugin at a time (see work_gate); waiting eats into the time limit, so only a part of it.
        with self._gate.turn(min(PATIENCE_S, time_limit / 4)):
            return self._plugin_work_now(name, plugin, doc, ctx, fingerprint, work)

    def _plugin_work_now(
        self, name: str, plugin: Plugin, doc: ProseDocument, ctx: CheckContext, fingerprint: str, work: _Pass
    ) -> _Pass:
        cancelled = ctx.cancelled.is_set
        for i in work.misses:
            if cancelled():  # only work is worth stopping; cached results cost nothing
                break
            chunk = doc.chunks[i]
            work.checked += 1
            try:
                found = tuple(self._tag(name, plugin.check_chunk(chunk, ctx)))
            except Exception as exc:  # noqa: BLE001 - one bad paragraph loses only itself
                work.error = work.error or exc
                continue
            entry = work.entries[i] = _Entry(tuple(f.shifted(-chunk.src_start) for f in found))
            self._cache.put((name, fingerprint, chunk.key), entry)
        if doc.uri:
            pairs = zip((c.key for c in doc.chunks), work.entries, strict=True)
            self._last[(name, doc.uri)] = (fingerprint, {k: e for k, e in pairs if e is not None})
        try:
            work.document = list(self._tag(name, plugin.check_document(doc, ctx)))
        except Exception as exc:  # noqa: BLE001
            work.error = work.error or exc
        return work

    @staticmethod
    def _findings(starts: list[int], work: _Pass) -> list[Finding]:
        out: list[Finding] = []
        for entry, start in zip(work.entries, starts, strict=True):
            if entry is not None and entry.relative:  # most paragraphs have no findings
                out.extend(entry.at(start))
        out.extend(work.document)
        return out

    @staticmethod
    def _tag(name: str, findings: Iterable[Finding]) -> Iterable[Finding]:
        for f in findings:
            yield f if f.plugin == name else Finding(
                f.start, f.end, f.rule, f.message, f.severity, tuple(f.replacements), name, f.explanation, f.data
            )

    def check(
        self,
        doc: ProseDocument,
        contexts: dict[str, CheckContext],
        fingerprints: dict[str, str],
        time_limits: dict[str, float],
    ) -> CheckOutcome:
        """Run every plugin named in ``contexts`` on ``doc``, concurrently, each isolated.

        The cache lookups run here; a plugin's thread is woken only for what
        needs its code (uncached chunks, ``check_document``).  After an edit
        that is one paragraph per plugin, so most plugins finish in a fraction of
        a switch interval instead of queueing for the GIL behind the cache scans.
        """
        outcome = CheckOutcome()
        passes: dict[str, _Pass] = {}
        futures: dict[str, cf.Future[_Pass]] = {}
        started = time.monotonic()
        keys = [c.key for c in doc.chunks]
        for name, ctx in contexts.items():
            plugin = self.plugins[name]
            if plugin.languages and doc.language_id not in plugin.languages:
                continue
            with self._lock:
                busy = self._running.get(name)
                if busy is not None and not busy.done():
                    outcome.problems[name] = f"{name} is still busy with an earlier check that ran past its time limit"
                    continue
            fingerprint = fingerprints.get(name, "")
            work = passes[name] = self._cached_pass(name, doc, keys, fingerprint)
            if not work.misses and type(plugin).check_document is Plugin.check_document:
                outcome.checked_chunks[name] = 0
                continue  # nothing of the plugin's own code to run
            with self._lock:
                fut = self._executors[name].submit(
                    self._plugin_work, name, plugin, doc, ctx, fingerprint, work, time_limits.get(name, 10.0)
                )
                self._running[name] = fut
                futures[name] = fut
        for name, fut in futures.items():
            remaining = max(0.0, time_limits.get(name, 10.0) - (time.monotonic() - started))
            try:
                fut.result(timeout=remaining)
            except cf.TimeoutError:
                contexts[name].cancelled.set()
                del passes[name]
                outcome.problems[name] = f"{name} took longer than {time_limits.get(name, 10.0):g}s and was skipped"
                log.warning(outcome.problems[name])
            except Exception as exc:  # noqa: BLE001
                del passes[name]
                outcome.problems[name] = f"{name} failed: {self._log_once(name, exc)}"
        starts = [c.src_start for c in doc.chunks]
        for name, work in passes.items():
            outcome.findings[name] = self._findings(starts, work)
            if name in futures:
                outcome.checked_chunks[name] = work.checked
            if work.error is not None:
                # Keep what worked, but say that something did not.
                self._log_once(name, work.error)
                outcome.problems[name] = f"{name} failed on part of the document: {type(work.error).__name__}: {work.error}"
        return outcome

    def clear_cache(self) -> None:
        self._cache.clear()
        self._last.clear()

    def forget(self, uri: str) -> None:
        """Drop what the last check of ``uri`` kept (the document was closed)."""
        for key in list(self._last):  # a copy: plugin threads may add keys meanwhile
            if key[1] == uri:
                self._last.pop(key, None)

    def shutdown(self) -> None:
        for name, plugin in self.plugins.items():
            try:
                plugin.shutdown()
            except Exception as exc:  # noqa: BLE001
                self._log_once(name, exc)
        for ex in self._executors.values():
            ex.shutdown(wait=False, cancel_futures=True)


@dataclass
class _Pass:
    """One plugin's share of a check: cached entries per chunk, and what its own code still has to do."""

    entries: list[_Entry | None]
    misses: list[int]
    document: list[Finding] = field(default_factory=list)
    checked: int = 0
    error: BaseException | None = None


__all__ = ["CheckOutcome", "Chunk", "PluginHost"]
