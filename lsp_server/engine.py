"""The check core shared by the language server and ``marginalia lint``.

One object turns a buffer into prose, runs the enabled plugins through the
isolating host, applies the user's rule settings and magic comments, and
returns findings in source offsets.  Because the server and the CLI both call
:meth:`Engine.check`, what CI reports is exactly what the editor shows.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import operator
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse
from urllib.request import url2pathname

from lsp_server.config import CoreSettings, Settings, read_workspace_file, resolve, strip_restricted
from lsp_server.dispatch import PluginHost
from lsp_server.documents import parse_document
from lsp_server.documents.model import ProseBuilder, ProseDocument
from lsp_server.magic import MagicDirectives, parse_magic
from lsp_server.plugin import Action, CheckContext, Finding, LoadedPlugins, Plugin, Severity, Suggestion, discover
from lsp_server.word_sets import WordSets
from lsp_server.workspace_state import load_dictionary, user_dictionary_path, workspace_dictionary_path

log = logging.getLogger(__name__)
# Findings in document order; attrgetter keeps a book's sort in C.
_ORDER = operator.attrgetter("start", "end", "plugin", "rule")
T = TypeVar("T")
DEFAULT_LANGUAGE = "en-US"


@dataclass
class CheckResult:
    findings: list[Finding]
    # plugin name -> a message about a failure or time-out in this run
    problems: dict[str, str] = field(default_factory=dict)
    language: str = DEFAULT_LANGUAGE
    checked_chunks: dict[str, int] = field(default_factory=dict)


def _cache_token(plugin: Plugin, ctx: CheckContext) -> str:
    """A plugin's optional ``cache_token(ctx)``: state outside its settings that its chunk results
    depend on (e.g. hidden false positives), so a change there re-checks instead of serving stale results."""
    token = getattr(plugin, "cache_token", None)
    try:
        return str(token(ctx)) if callable(token) else ""
    except Exception as exc:  # noqa: BLE001 - a broken token only costs caching
        log.error("plugin %s: cache_token failed: %s", plugin.name, exc)
        return repr(time.monotonic())


def rule_matches(rule: str, patterns: Iterable[str]) -> bool:
    """``spelling`` matches ``spelling.misspelled``; ``style.passive`` matches itself."""
    return any(rule == p or rule.startswith(p + ".") for p in patterns)


class Engine:
    def __init__(
        self,
        root: Path | None = None,
        editor_settings: Mapping[str, Any] | None = None,
        loaded: LoadedPlugins | None = None,
        *,
        trusted: bool = True,
    ) -> None:
        self.root = root.resolve() if root is not None else None
        # Untrusted (restricted mode): the workspace file may not name programs, servers,
        # models or files to load, and plugins that need trust do not run.
        self.trusted = trusted
        self.ignored_untrusted: tuple[str, ...] = ()
        self.loaded = loaded if loaded is not None else discover()
        self.host = PluginHost(self.loaded.plugins)
        self._editor_settings: Mapping[str, Any] = editor_settings or {}
        self._dict_lock = threading.Lock()
        self._dict_stamp: tuple[float, float] | None = None
        self._dictionary: frozenset[str] = frozenset()
        self._word_sets = WordSets()
        self._parse_lock = threading.Lock()
        self._parsed: dict[str, tuple[tuple[object, ...], ProseDocument]] = {}
        self.settings: Settings = self._resolve()

    # -- settings ------------------------------------------------------------
    @property
    def plugin_settings_types(self) -> dict[str, type]:
        return {name: p.Settings for name, p in self.loaded.plugins.items()}

    def _resolve(self) -> Settings:
        file_layer, file_msgs = read_workspace_file(self.root)
        if not self.trusted:
            file_layer, ignored = strip_restricted(file_layer, self.plugin_settings_types)
            self.ignored_untrusted = tuple(ignored)
        settings = resolve([file_layer, dict(self._editor_settings)], self.plugin_settings_types)
        if file_msgs:
            settings = dataclasses.replace(settings, messages=tuple(file_msgs) + settings.messages)
        for msg in settings.messages:
            log.warning("settings: %s", msg)
        return settings

    def reload_settings(self, editor_settings: Mapping[str, Any] | None = None) -> Settings:
        """Re-read the workspace file (and take new editor settings); cached findings are kept
        only where a plugin's settings did not change (the fingerprint covers them)."""
        if editor_settings is not None:
            self._editor_settings = editor_settings
        self.settings = self._resolve()
        self._dict_stamp = None
        return self.settings

    @property
    def core(self) -> CoreSettings:
        return self.settings.core

    def dictionary(self) -> frozenset[str]:
        """Accepted words; re-read when either dictionary file changes."""
        paths = [user_dictionary_path()] + ([workspace_dictionary_path(self.root)] if self.root else [])
        stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in paths)
        with self._dict_lock:
            if stamp != self._dict_stamp:
                self._dictionary = load_dictionary(self.root, self.core.dictionary)
                self._dict_stamp = stamp  # type: ignore[assignment]
            return self._dictionary

    # -- documents -----------------------------------------------------------
    def parse(self, source: str, language_id: str, uri: str = "", version: int | None = None) -> ProseDocument:
        """Parse a buffer; the last parse of each URI is reused when nothing changed, so
        hover, completion and code actions on the checked version cost no second parse."""
        with self._parse_lock:
            hit = self._parsed.get(uri) if uri else None
        if hit is not None and hit[0] == (language_id, version, self.settings) and hit[1].source == source:
            return hit[1]
        doc = self._parse(source, language_id, uri, version)
        if uri:
            with self._parse_lock:
                self._parsed[uri] = ((language_id, version, self.settings), doc)
                while len(self._parsed) > 32:
                    self._parsed.pop(next(iter(self._parsed)))
        return doc

    def _parse(self, source: str, language_id: str, uri: str, version: int | None) -> ProseDocument:
        doc = parse_document(source, language_id, uri, version, self.core.latex)
        if (
            language_id == "latex"
            and doc.declared_language is None
            and uri.startswith("file:")
            and "\\documentclass" not in source  # a root without babel has no book above it
        ):
            # A chapter speaks its book's language (babel/polyglossia in the root's preamble).
            from lsp_server.documents.book_language import book_language

            lang = book_language(Path(url2pathname(urlparse(uri).path)), self.root)
            if lang:
                doc = dataclasses.replace(doc, declared_language=lang)
        return doc

    def language_for(self, doc: ProseDocument, magic: MagicDirectives | None = None) -> str:
        magic = magic or parse_magic(doc.source)
        lang = magic.language or self.core.language
        if not lang or lang == "auto":
            lang = doc.declared_language or DEFAULT_LANGUAGE
        return lang

    def enabled_plugins(self) -> list[str]:
        core = self.core
        names = []
        for name, plugin in self.loaded.plugins.items():
            if name in core.disabled_plugins:
                continue
            if not plugin.enabled_by_default and name not in core.enabled_plugins:
                continue
            if plugin.requires_trust and not self.trusted:
                continue
            names.append(name)
        return names

    def context(self, name: str, doc: ProseDocument, magic: MagicDirectives | None = None) -> CheckContext:
        return CheckContext(
            settings=self.settings.for_plugin(name),
            language=self.language_for(doc, magic),
            dictionary=self.dictionary(),
            workspace_root=self.root,
            core=self.core,
            active_plugins=frozenset(self.enabled_plugins()),
        )

    def _fingerprint(self, ctx: CheckContext) -> str:
        h = hashlib.blake2b(digest_size=12)
        h.update(repr(ctx.settings).encode())
        h.update(ctx.language.encode())
        h.update(self._word_sets.digest(ctx.dictionary).encode())
        h.update(repr(self.core.enabled_rules).encode())
        h.update(",".join(sorted(ctx.active_plugins)).encode())  # a plugin may defer to another
        return h.hexdigest()

    # -- checking ------------------------------------------------------------
    def check(self, doc: ProseDocument, plugins: Iterable[str] | None = None) -> CheckResult:
        magic = parse_magic(doc.source)
        names = list(plugins) if plugins is not None else self.enabled_plugins()
        contexts = {n: self.context(n, doc, magic) for n in names if n in self.loaded.plugins}
        words = self._document_words(doc, contexts)
        if words:
            contexts = {n: dataclasses.replace(c, dictionary=self._word_sets.union(c.dictionary, words)) for n, c in contexts.items()}
        fingerprints = {n: self._fingerprint(c) + _cache_token(self.loaded.plugins[n], c) for n, c in contexts.items()}
        limits = {n: self.core.plugin_time_limit for n in contexts}
        outcome = self.host.check(doc, contexts, fingerprints, limits)
        findings = [f for per in outcome.findings.values() for f in per]
        findings = self._apply_rules(doc, findings, magic)
        for start, end, message in magic.problems:
            findings.append(Finding(start, end, "core.magic-comment", message, Severity.WARNING, plugin="core"))
        findings.sort(key=_ORDER)
        language = next(iter(contexts.values())).language if contexts else self.language_for(doc, magic)
        return CheckResult(findings, outcome.problems, language, outcome.checked_chunks)

    def _document_words(self, doc: ProseDocument, contexts: Mapping[str, CheckContext]) -> frozenset[str]:
        """What the running plugins vouch for in ``doc`` (authors in its bibliography), each on
        its own worker; one that fails or is slow only costs its words."""
        sets: list[frozenset[str]] = []
        for name, ctx in contexts.items():
            plugin = self.loaded.plugins[name]
            if type(plugin).document_words is Plugin.document_words:
                continue
            if plugin.languages and doc.language_id not in plugin.languages:
                continue
            none: frozenset[str] = frozenset()
            fn = functools.partial(plugin.document_words, doc, ctx)
            words, problem = self.host.call(name, fn, none, self.core.plugin_time_limit)
            if problem:
                log.info("document words from %s skipped: %s", name, problem)
            sets.append(words)
        return self._word_sets.union(*sets)

    def _apply_rules(self, doc: ProseDocument, findings: list[Finding], magic: MagicDirectives) -> list[Finding]:
        core = self.core
        disabled = set(core.disabled_rules) | set(magic.disabled_rules)
        enabled = set(magic.enabled_rules)
        regions = magic.off_regions
        size = len(doc.source)
        # A book has thousands of findings but a few dozen rules: decide per rule once.
        verdicts: dict[str, tuple[bool, Severity | None]] = {}
        out: list[Finding] = []
        seen: set[tuple[int, int, str]] = set()
        for f in findings:
            rule = f.rule
            verdict = verdicts.get(rule)
            if verdict is None:
                kept = not rule_matches(rule, disabled) or rule_matches(rule, enabled)
                verdict = verdicts[rule] = (kept, self._severity_override(rule))
            kept, severity = verdict
            if not kept:
                continue
            if regions and any(s <= f.start < e for s, e in regions):
                continue
            start, end = f.start, f.end
            if not 0 <= start <= end <= size:
                start = min(max(start, 0), size)
                end = min(max(end, start), size)
            key = (start, end, rule)
            if key in seen:
                continue
            seen.add(key)
            if severity is None:
                severity = f.severity
            if start != f.start or end != f.end or severity != f.severity:
                f = dataclasses.replace(f, start=start, end=end, severity=severity)
            out.append(f)
        return out

    def _severity_override(self, rule: str) -> Severity | None:
        """The severity the settings give ``rule`` (the last matching pattern wins), or None."""
        severity: Severity | None = None
        for pattern, name in self.core.diagnostics.severity.items():
            if rule_matches(rule, [pattern]):
                try:
                    severity = Severity.parse(name)
                except KeyError:
                    log.warning("settings: severity %r for %s is not one of hint, info, warning, error", name, pattern)
        return severity

    # -- other plugin capabilities, isolated like checks ---------------------
    def _plugin(self, name: str) -> Plugin | None:
        return self.loaded.plugins.get(name)

    def _gather(self, doc: ProseDocument, fn: Callable[[Plugin, CheckContext], Iterable[T]]) -> list[tuple[str, T]]:
        """Call ``fn`` on every enabled plugin through the isolating host; (plugin, item) pairs."""
        out: list[tuple[str, T]] = []
        for name in self.enabled_plugins():
            plugin = self.loaded.plugins[name]
            ctx = self.context(name, doc)

            def call(p: Plugin = plugin, c: CheckContext = ctx) -> list[T]:
                return list(fn(p, c))

            empty: list[T] = []
            res, _ = self.host.call(name, call, empty, self.core.plugin_time_limit)
            out.extend((name, item) for item in res)
        return out

    def actions(self, doc: ProseDocument, finding: Finding) -> list[Action]:
        plugin = self._plugin(finding.plugin)
        if plugin is None:
            return []
        ctx = self.context(finding.plugin, doc)

        def call() -> list[Action]:
            return list(plugin.actions(doc, finding, ctx))

        empty: list[Action] = []
        result, _ = self.host.call(finding.plugin, call, empty, self.core.plugin_time_limit)
        return result

    def range_actions(self, doc: ProseDocument, start: int, end: int) -> list[tuple[str, Action]]:
        return self._gather(doc, lambda p, c: p.range_actions(doc, start, end, c))

    def complete(self, doc: ProseDocument, offset: int) -> list[Suggestion]:
        return [s for _, s in self.complete_by_plugin(doc, offset)]

    def complete_by_plugin(self, doc: ProseDocument, offset: int) -> list[tuple[str, Suggestion]]:
        """(plugin name, suggestion) pairs: a completion item's resolve goes back to its plugin."""
        return self._gather(doc, lambda p, c: p.complete(doc, offset, c))

    def resolve_suggestion(self, plugin_name: str, doc: ProseDocument, data: Mapping[str, str]) -> tuple[str | None, str | None]:
        """A suggestion's full documentation from its plugin; returns (markdown or None, problem message)."""
        plugin = self._plugin(plugin_name)
        if plugin is None:
            return None, f"plugin {plugin_name} is not loaded"
        ctx = self.context(plugin_name, doc)

        def call() -> str | None:
            return plugin.resolve_suggestion(doc, data, ctx)

        return self.host.call(plugin_name, call, None, self.core.plugin_time_limit)

    def inline_complete(self, doc: ProseDocument, offset: int) -> list[Suggestion]:
        return [s for _, s in self._gather(doc, lambda p, c: p.inline_complete(doc, offset, c))]

    def resolve_action(
        self, plugin_name: str, doc: ProseDocument, action: Action, time_limit: float | None = None
    ) -> tuple[Action | None, str | None]:
        """Complete a lazy action; returns (action or None, problem message)."""
        plugin = self._plugin(plugin_name)
        if plugin is None:
            return None, f"plugin {plugin_name} is not loaded"
        ctx = self.context(plugin_name, doc)
        limit = time_limit if time_limit is not None else self.core.plugin_time_limit

        def call() -> Action | None:
            return plugin.resolve_action(doc, action, ctx)

        return self.host.call(plugin_name, call, None, limit)

    def replacements_for(self, doc: ProseDocument, finding: Finding) -> list[str]:
        """The finding's replacements, or those its plugin offers lazily as edit actions
        (spelling computes suggestions only when asked, since they cost ~20 ms a word)."""
        if finding.replacements:
            return list(finding.replacements)
        return [
            a.edit[2]
            for a in self.actions(doc, finding)
            if a.edit is not None and (a.edit[0], a.edit[1]) == (finding.start, finding.end)
        ]

    def hover(self, doc: ProseDocument, offset: int) -> list[str]:
        def one(p: Plugin, c: CheckContext) -> list[str]:
            text = p.hover(doc, offset, c)
            return [text] if text else []

        return [h for _, h in self._gather(doc, one)]

    def commands(self) -> dict[str, tuple[str, Any]]:
        """Every plugin command: id -> (plugin name, handler)."""
        out: dict[str, tuple[str, Any]] = {}
        for name in self.enabled_plugins():
            try:
                for cmd, handler in self.loaded.plugins[name].commands().items():
                    out[cmd] = (name, handler)
            except Exception as exc:  # noqa: BLE001
                log.error("plugin %s: commands() failed: %s", name, exc)
        return out

    def forget(self, uri: str) -> None:
        """Drop what is kept to make the next check of ``uri`` fast (the document was closed)."""
        from lsp_server.documents import latex_cache, latex_facts, markdown_cache

        with self._parse_lock:
            self._parsed.pop(uri, None)
        latex_cache.forget(uri)
        latex_facts.forget(uri)
        markdown_cache.forget(uri)
        self.host.forget(uri)

    def worker_settings(self) -> dict[str, Any]:
        """Editor-settings layer for lint's worker processes: each enabled plugin's
        :meth:`Plugin.worker_settings`, called through the isolating host."""
        probe = ProseBuilder("").build("", "plaintext", None)
        out: dict[str, Any] = {}
        for name in self.enabled_plugins():
            plugin = self.loaded.plugins[name]
            ctx = self.context(name, probe)

            def call(p: Plugin = plugin, c: CheckContext = ctx) -> dict[str, Any]:
                return dict(p.worker_settings(c))

            empty: dict[str, Any] = {}
            shared, _ = self.host.call(name, call, empty, self.core.plugin_time_limit)
            if shared:
                out[name] = shared
        return out

    def shutdown(self) -> None:
        self.host.shutdown()
