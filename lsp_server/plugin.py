"""The plugin API: what a capability sees and returns.

Plugins see prose (:class:`ProseDocument`, :class:`Chunk`) and their own typed
settings, never LSP types; the core turns findings into diagnostics, quick
fixes and hovers.  A plugin is a subclass of :class:`Plugin` registered under
the ``marginalia.plugins`` entry-point group, exactly as a third-party package
would register one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

from lsp_server.documents.model import Chunk, ProseDocument

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "marginalia.plugins"


class Severity(IntEnum):
    """Ordered so that ``a >= b`` means *a is at least as severe as b*."""

    HINT = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.strip().upper()]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in the source.

    ``start``/``end`` are code-point offsets into ``ProseDocument.source``.
    ``rule`` is ``"<plugin>.<rule>"`` style and stable: users disable it by id.
    ``data`` is JSON-serialisable and travels with the diagnostic (e.g. the
    misspelt word, for "add to dictionary").
    """

    start: int
    end: int
    rule: str
    message: str
    severity: Severity = Severity.WARNING
    replacements: tuple[str, ...] = ()
    plugin: str = ""
    explanation: str = ""
    data: Mapping[str, Any] | None = None

    def shifted(self, delta: int) -> Finding:
        # Called for every cached finding on every edit: the constructor is 2-3x faster than dataclasses.replace.
        return Finding(self.start + delta, self.end + delta, self.rule, self.message, self.severity, self.replacements, self.plugin, self.explanation, self.data)


@dataclass(frozen=True, slots=True)
class Action:
    """Something the user can pick on a finding, beyond applying a replacement.

    Either a text edit (``edit`` = (start, end, new_text) in source offsets) or
    a server-side command (``command`` with JSON ``arguments``).
    """

    title: str
    command: str | None = None
    arguments: tuple[Any, ...] = ()
    edit: tuple[int, int, str] | None = None
    kind: str = "quickfix"
    preferred: bool = False
    # Opaque, JSON-serialisable: an action with ``data`` and no edit/command is
    # *lazy* and is completed by ``Plugin.resolve_action`` only when picked
    # (codeAction/resolve), so a model runs only when the user asks.
    data: Any = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A completion: ``text`` replaces ``source[start:end]``."""

    label: str
    text: str
    start: int
    end: int
    detail: str = ""
    documentation: str = ""
    kind: str = "text"  # "text" | "reference" | "snippet"
    filter_text: str | None = None
    sort_text: str | None = None
    # Opaque and JSON-safe: with it, ``documentation`` is a quick stand-in and
    # ``Plugin.resolve_suggestion(doc, resolve_data, ctx)`` computes the full text
    # for the one item the user highlights (completionItem/resolve).
    resolve_data: Mapping[str, str] | None = None


@dataclass(frozen=True)
class CheckContext:
    """Everything a plugin call may read besides the document.

    ``settings`` is the plugin's own settings dataclass instance; ``language`` is
    the resolved BCP-47 tag; ``dictionary`` holds the user's and workspace's
    accepted words, and during a check the words plugins vouch for in this document
    (:meth:`Plugin.document_words`); ``cancelled`` lets long calls stop early.
    """

    settings: Any
    language: str = "en-US"
    dictionary: frozenset[str] = frozenset()
    workspace_root: Path | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)
    # Global (core) settings, read-only, for plugins that need them.
    core: Any = None
    # The plugins that run on this document, so one can leave to another what both would report.
    active_plugins: frozenset[str] = frozenset()


@dataclass
class NoSettings:
    """For plugins with nothing to configure."""


CommandHandler = Callable[..., Any]


class Plugin:
    """Base class for capabilities.  Override only what the plugin offers.

    ``check_chunk`` is the workhorse: it is pure, sees one paragraph and is
    cached by the core per chunk content, so an edit re-checks one paragraph.
    ``check_document`` is for rules that need the whole document (consistency,
    acronym definitions, citations) and runs on every change.
    """

    name: ClassVar[str] = "unnamed"
    Settings: ClassVar[type] = NoSettings
    # Per-call time limit in seconds; the host abandons slower calls.
    time_limit: ClassVar[float] = 10.0
    # Which documents the plugin cares about (``language_id`` values), empty = all.
    languages: ClassVar[frozenset[str]] = frozenset()
    # Some plugins are part of the product but must be asked for.
    enabled_by_default: ClassVar[bool] = True
    # Plugins that load a model do not run in an untrusted workspace (restricted mode).
    requires_trust: ClassVar[bool] = False

    def check_chunk(self, chunk: Chunk, ctx: CheckContext) -> Iterable[Finding]:
        return ()

    def check_document(self, doc: ProseDocument, ctx: CheckContext) -> Iterable[Finding]:
        return ()

    def document_words(self, doc: ProseDocument, ctx: CheckContext) -> frozenset[str]:
        """Words this plugin knows are right in ``doc`` (the names of the authors its
        bibliography lists): the core adds them to ``ctx.dictionary`` for the check.
        Called before each check; return the same object while nothing changed (the core
        fingerprints it by identity)."""
        return frozenset()

    def actions(self, doc: ProseDocument, finding: Finding, ctx: CheckContext) -> Iterable[Action]:
        """Extra code actions on one of this plugin's findings."""
        return ()

    def range_actions(self, doc: ProseDocument, start: int, end: int, ctx: CheckContext) -> Iterable[Action]:
        """Code actions on a selection, independent of findings (rewrite, convert)."""
        return ()

    def complete(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> Iterable[Suggestion]:
        return ()

    def inline_complete(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> Iterable[Suggestion]:
        """Ghost-text completions at ``offset`` (textDocument/inlineCompletion)."""
        return ()

    def resolve_action(self, doc: ProseDocument, action: Action, ctx: CheckContext) -> Action | None:
        """Fill in a lazy action's edit; None (or raising ValueError) rejects it with a message."""
        return action

    def resolve_suggestion(self, doc: ProseDocument, data: Mapping[str, str], ctx: CheckContext) -> str | None:
        """Markdown documentation of a suggestion that carried ``resolve_data``; None keeps its quick one."""
        return None

    def hover(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> str | None:
        """Markdown shown when hovering ``offset`` (findings get a core hover)."""
        return None

    def commands(self) -> Mapping[str, CommandHandler]:
        """Server-side commands: ``{"marginalia.x": handler(ctx, *args)}``."""
        return {}

    def status(self) -> tuple[bool, str]:
        """(ready, one line for ``marginalia doctor``): what works and what is missing."""
        return True, "ready"

    def shutdown(self) -> None:
        """Release processes and files; called once when the host stops."""

    def worker_settings(self, ctx: CheckContext) -> Mapping[str, Any]:
        """Settings of this plugin for ``lint --jobs N``'s worker processes, so they share what
        this process started (one LanguageTool server for every worker) instead of each
        starting its own; empty for none.  May block while that starts."""
        return {}


@dataclass
class LoadedPlugins:
    plugins: dict[str, Plugin]
    # name -> why it could not be loaded (import error, bad class)
    blocked: dict[str, str]


def discover(*, include: Iterable[str] | None = None) -> LoadedPlugins:
    """Load every plugin registered under the entry-point group.

    An import failure blocks that plugin alone: it is logged once and reported
    by ``marginalia doctor``; the others load as usual.
    """
    wanted = set(include) if include is not None else None
    plugins: dict[str, Plugin] = {}
    blocked: dict[str, str] = {}
    seen: set[str] = set()
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in seen:  # the same distribution visible twice on sys.path
            continue
        seen.add(ep.name)
        if wanted is not None and ep.name not in wanted:
            continue
        try:
            obj = ep.load()
            plugin = obj() if isinstance(obj, type) else obj
            if not isinstance(plugin, Plugin):
                raise TypeError(f"{ep.value} is not a marginalia Plugin")
        except Exception as exc:  # noqa: BLE001 - any failure blocks only this plugin
            blocked[ep.name] = f"{type(exc).__name__}: {exc}"
            log.error("plugin %s blocked: %s", ep.name, blocked[ep.name])
            continue
        plugins[ep.name] = plugin
    return LoadedPlugins(plugins, blocked)
