"""The language server: pygls wiring around :class:`~lsp_server.engine.Engine`.

Each LSP method is registered once here and fans out to the engine (and so to
every plugin).  Handlers run on the event loop and only read and write the
session; the engine's work runs on its own worker thread with an immutable
:class:`~lsp_server.session.Snapshot`, and every result is checked against
the document's current version before it leaves the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib.metadata
import logging
import os
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from lsp_server import assist, workspace_state
from lsp_server.code_actions import (
    ADD_TO_DICTIONARY,
    DISABLE_RULE,
    ActionRequest,
    StaleAction,
    code_actions,
    resolve_code_action,
)
from lsp_server.config import CONFIG_FILE, STATE_DIR, deep_merge
from lsp_server.diagnostics import CheckedVersion, DiagnosticCache, DiagnosticStore, ProblemLog
from lsp_server.engine import DEFAULT_LANGUAGE, Engine
from lsp_server.plugin import CheckContext
from lsp_server.session import EngineSlot, Session, Snapshot, unsuitable_reason
from lsp_server.status import STATUS_NOTIFICATION, status_payload
from lsp_server.text_document import MarginaliaProtocol
from lsp_server.trust import UNTRUSTED_OPTION, restricted_mode_note
from lsp_server.wire import EncodedJson
from lsp_server.workspace_state import DICTIONARY_FILE

log = logging.getLogger(__name__)

NAME = "marginalia"
SECTION = "marginalia"
# A first check of a document this large reports $/progress.
PROGRESS_THRESHOLD_CHARS = 100_000
# While a model or LanguageTool loads, the status bar is refreshed this often without waiting for an edit.
STATUS_POLL_S = 1.0
# After the client says exit, stuck plugin threads get this long before the process leaves anyway.
EXIT_GRACE_S = 2.0
CONFIG_WATCH_GLOBS = (f"**/{CONFIG_FILE}", "**/pyproject.toml", f"**/{STATE_DIR}/{DICTIONARY_FILE}", "**/*.bib")
# Where a citation key or a reference begins: \cite{|, \cite{a,|, [@|, @|.
COMPLETION_TRIGGERS = ["{", ",", "@", "["]


class ServerCancelled(JsonRpcException):
    """LSP ServerCancelled: the document moved on; pull clients should ask again."""

    CODE = -32802
    MESSAGE = "The document changed while its diagnostics were computed"


@dataclass(frozen=True)
class Unsuitable:
    """A document that is not checked, and why."""

    reason: str


@dataclass(frozen=True)
class ClientFeatures:
    """What the client said it supports, read once at initialize."""

    pull_diagnostics: bool = False
    pull_configuration: bool = False
    progress: bool = False
    document_changes: bool = True
    diagnostic_refresh: bool = False
    watch_files_dynamically: bool = False

    @classmethod
    def of(cls, caps: types.ClientCapabilities) -> ClientFeatures:
        td, ws, win = caps.text_document, caps.workspace, caps.window
        edit = ws.workspace_edit if ws else None
        return cls(
            pull_diagnostics=bool(td and td.diagnostic is not None),
            pull_configuration=bool(ws and ws.configuration),
            progress=bool(win and win.work_done_progress),
            document_changes=bool(edit and edit.document_changes),
            diagnostic_refresh=bool(ws and ws.diagnostics and ws.diagnostics.refresh_support),
            watch_files_dynamically=bool(ws and ws.did_change_watched_files and ws.did_change_watched_files.dynamic_registration),
        )


def _version() -> str:
    try:
        return importlib.metadata.version("marginalia")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def settings_section(value: Any) -> dict[str, Any]:
    """Our settings from initializationOptions / didChangeConfiguration (with or without the section key)."""
    if isinstance(value, Mapping):
        inner = value.get(SECTION, value)
        if isinstance(inner, Mapping):
            return dict(inner)
    return {}


# Model work runs on the runtime's generation channels (see lsp_server.runtime.worker).
COMPLETION_CHANNEL = "completion"
REWRITE_CHANNEL = "rewrite"


def stop_generation(channel: str) -> None:
    """Stop model generations on ``channel``: a cancelled request must not keep a model busy.

    Only if the model runtime was ever imported: otherwise nothing can be generating,
    and importing it here would put it on every keystroke's path.
    """
    runtime = sys.modules.get("lsp_server.runtime.model_runtime")
    if runtime is not None:
        runtime.cancel_generation(channel)


def _uri_of(args: tuple[Any, ...]) -> str | None:
    first = args[0] if args else None
    if isinstance(first, Mapping) and isinstance(first.get("uri"), str):
        return str(first["uri"])
    return None


class MarginaliaServer(LanguageServer):
    def __init__(self, trusted: bool = True) -> None:
        super().__init__(
            NAME,
            _version(),
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=MarginaliaProtocol,
        )
        # False: restricted mode (``serve --untrusted`` or initializationOptions.untrustedWorkspace).
        self.trusted = trusted
        self.session = Session(lambda root, settings: Engine(root, settings, trusted=self.trusted))
        self._trust_notes: dict[Path | None, str] = {}
        self.store = DiagnosticStore()
        self.problems = ProblemLog()
        self.client = ClientFeatures()
        self._init_settings: dict[str, Any] = {}
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._checked_once: set[str] = set()
        self._unsuitable_shown: dict[str, str] = {}
        self._failed_uris: set[str] = set()
        self.shut_down = False
        self._diagnostic_caches: dict[str, DiagnosticCache] = {}
        self._last_status: dict[str, Any] | None = None
        self._status_poll: asyncio.TimerHandle | None = None
        # Whether this server is the whole process (start_io/start_tcp): only then does it tune the collector.
        self.owns_process = False

    # -- messages --------------------------------------------------------------
    def log_to_client(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=f"marginalia: {message}"))

    def show(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=f"Marginalia: {message}"))

    def report_settings(self, slot: EngineSlot) -> None:
        """One warning listing what was wrong with the settings, once per distinct set of problems."""
        messages = tuple(slot.engine.settings.messages)
        if messages and messages != slot.reported_messages:
            where = f" for {slot.root}" if slot.root else ""
            self.show(f"some settings{where} are invalid and their defaults are used:\n- " + "\n- ".join(messages))
        slot.reported_messages = messages
        note = restricted_mode_note(slot.engine)
        if note and note != self._trust_notes.get(slot.root):
            self._trust_notes[slot.root] = note
            self.log_to_client(note, types.MessageType.Info)

    @contextlib.asynccontextmanager
    async def work_progress(self, title: str, message: str | None = None) -> AsyncIterator[None]:
        """$/progress around a long piece of work; cancelling it from the client cancels the work."""
        if not self.client.progress:
            yield
            return
        token = f"marginalia-{uuid.uuid4()}"
        try:
            await asyncio.wait_for(self.work_done_progress.create_async(token), timeout=5)
        except Exception as exc:  # noqa: BLE001 - progress is a courtesy; work goes on without it
            log.info("work done progress not created: %s", exc)
            yield
            return
        task = asyncio.current_task()
        cancel = self.work_done_progress.tokens.get(token)
        if cancel is not None and task is not None:
            cancel.add_done_callback(lambda f: task.cancel() if f.cancelled() else None)
        self.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, message=message, cancellable=True))
        try:
            yield
        finally:
            self.work_done_progress.end(token, types.WorkDoneProgressEnd())
            self.work_done_progress.tokens.pop(token, None)

    # -- checking ----------------------------------------------------------------
    def snapshot(self, uri: str) -> Snapshot | None:
        return self.session.snapshot(self.workspace, uri)

    def _check_in_worker(self, slot: EngineSlot, snap: Snapshot) -> tuple[CheckedVersion | Unsuitable, dict[str, str]]:
        engine = slot.engine
        reason = unsuitable_reason(snap.text, engine.core.diagnostics.max_file_kb)
        if reason is not None:
            return Unsuitable(reason), {}
        result = engine.check(snap.parse(engine))
        # Checks of one document run one at a time on its engine's worker, so its cache is not shared.
        cache = self._diagnostic_caches.setdefault(snap.uri, DiagnosticCache())
        return CheckedVersion.build(snap.uri, snap.version, result.findings, snap.index, cache), dict(result.problems)

    async def check(self, snap: Snapshot) -> CheckedVersion | None:
        """Check one snapshot off the loop; report problems; None if it cannot be checked."""
        slot = self.session.slot_for(snap)
        first_big = snap.uri not in self._checked_once and len(snap.text) > PROGRESS_THRESHOLD_CHARS
        try:
            if first_big:
                async with self.work_progress("Marginalia", f"checking {Path(snap.path or snap.uri).name}"):
                    outcome, problems = await slot.run(self._check_in_worker, slot, snap)
            else:
                outcome, problems = await slot.run(self._check_in_worker, slot, snap)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug in a parser must not kill the server
            log.exception("checking %s failed", snap.uri)
            if snap.uri not in self._failed_uris:
                self._failed_uris.add(snap.uri)
                self.log_to_client(f"checking {snap.uri} failed: {type(exc).__name__}: {exc}", types.MessageType.Error)
            return None
        self._failed_uris.discard(snap.uri)
        if snap.uri not in self._checked_once and self.owns_process:
            # Dictionaries and models are loaded by now; settle once this result has been sent and read.
            asyncio.get_running_loop().call_later(SETTLE_DELAY_S, settle_memory)
        self._checked_once.add(snap.uri)
        self.send_status(slot)
        for message in self.problems.update(snap.uri, problems):
            self.log_to_client(message)
        if isinstance(outcome, Unsuitable):
            if self._unsuitable_shown.get(snap.uri) != outcome.reason:
                self._unsuitable_shown[snap.uri] = outcome.reason
                name = Path(snap.path).name if snap.path else snap.uri
                self.show(f"{name} is not checked: {outcome.reason}.")
            return CheckedVersion(snap.uri, snap.version, (), ())
        self._unsuitable_shown.pop(snap.uri, None)
        return outcome

    def send_status(self, slot: EngineSlot) -> None:
        """Tell the client how LanguageTool and the model stand, when that changed.

        While something is loading or starting, look again every STATUS_POLL_S,
        so download and load progress moves on without the user typing.
        """
        payload = status_payload(slot.engine)
        if payload != self._last_status:
            self._last_status = payload
            self.protocol.notify(STATUS_NOTIFICATION, payload)
        if any(part.get("state") in ("loading", "starting") for part in payload.values()):
            self.watch_status(slot)

    def watch_status(self, slot: EngineSlot, delay: float = STATUS_POLL_S) -> None:
        """Send the status again after ``delay`` (once: sending re-arms it while loading lasts)."""
        if self._status_poll is not None or self.shut_down:
            return

        def poll() -> None:
            self._status_poll = None
            if not self.shut_down:
                self.send_status(slot)

        self._status_poll = asyncio.get_running_loop().call_later(delay, poll)

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """(Re)start the debounced check of ``uri``; a newer edit cancels the older one."""
        if self.client.pull_diagnostics:
            return  # the client asks when it wants them
        old = self._pending.pop(uri, None)
        if old is not None:
            old.cancel()
        if delay is None:
            delay = self.slot_for_uri(uri).engine.core.diagnostics.debounce_ms / 1000
        task = asyncio.ensure_future(self._check_and_publish(uri, delay))
        self._pending[uri] = task
        task.add_done_callback(lambda t: self._pending.pop(uri, None) if self._pending.get(uri) is t else None)

    async def _check_and_publish(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        snap = self.snapshot(uri)
        if snap is None:
            return
        result = await self.check(snap)
        if result is not None and self.store.accept(result):  # refuses a version the user has moved past
            self.protocol.notify(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, result.publish_params())

    async def checked(self, snap: Snapshot) -> CheckedVersion | None:
        """The stored result for exactly this snapshot, computing it if needed."""
        stored = self.store.get(snap.uri, snap.version)
        if stored is not None:
            return stored
        result = await self.check(snap)
        if result is not None:
            self.store.accept(result)
        return result

    def recheck_open_documents(self) -> None:
        if self.client.pull_diagnostics:
            if self.client.diagnostic_refresh:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in Session.open_uris(self.workspace):
            self.schedule(uri, 0.0)

    # -- settings ----------------------------------------------------------------
    async def pull_configuration(self) -> None:
        """workspace/configuration: global section first, then one per workspace folder."""
        if not self.client.pull_configuration:
            return
        roots = list(self.session.roots)
        items = [types.ConfigurationItem(section=SECTION)]
        items += [types.ConfigurationItem(scope_uri=from_fs_path(str(r)), section=SECTION) for r in roots]
        try:
            values = await asyncio.wait_for(self.workspace_configuration_async(types.ConfigurationParams(items=items)), 10)
        except Exception as exc:  # noqa: BLE001 - keep the settings we have
            log.warning("workspace/configuration failed: %s", exc)
            return
        if not values:
            return
        self.session.editor_settings = deep_merge(self._init_settings, settings_section(values[0]))
        for root, value in zip(roots, values[1:], strict=False):
            self.session.folder_settings[root] = settings_section(value)

    async def reload_settings(self, roots: list[Path | None] | None = None) -> None:
        targets = [s for r, s in self.session.slots.items() if roots is None or r in roots]
        for slot in targets:
            await slot.run(slot.engine.reload_settings, self.session.settings_for(slot.root))
            self.report_settings(slot)
        self.recheck_open_documents()

    # -- commands ----------------------------------------------------------------
    def slot_for_uri(self, uri: str | None) -> EngineSlot:
        path = to_fs_path(uri) if uri else None
        return self.session.slot_for(Path(path) if path else None)

    def register_plugin_commands(self) -> None:
        for slot in list(self.session.slots.values()):
            for command in slot.engine.commands():
                if command not in self.protocol.fm.commands:
                    self.command(command)(self._plugin_command(command))

    def _plugin_command(self, command: str) -> Any:
        async def run(ls: MarginaliaServer, *args: Any) -> Any:
            slot = ls.slot_for_uri(_uri_of(args))
            found = slot.engine.commands().get(command)
            if found is None:
                raise JsonRpcInvalidParams(f"{command} is not offered by any enabled plugin")
            plugin, handler = found

            def call() -> tuple[Any, str | None]:
                engine = slot.engine
                lang = engine.core.language
                ctx = CheckContext(
                    settings=engine.settings.for_plugin(plugin),
                    language=DEFAULT_LANGUAGE if lang in ("", "auto") else lang,
                    dictionary=engine.dictionary(),
                    workspace_root=engine.root,
                    core=engine.core,
                )
                return engine.host.call(plugin, lambda: handler(ctx, *args), None, engine.core.plugin_time_limit)

            result, problem = await slot.run(call)
            if problem:
                ls.show(f"{command}: {problem}", types.MessageType.Error)
            ls.recheck_open_documents()
            return result

        return run


def _register(server: MarginaliaServer) -> None:  # one place that lists every LSP method
    ls = server

    @ls.feature(types.INITIALIZE)
    def initialize(ls: MarginaliaServer, params: types.InitializeParams) -> None:
        ls.client = ClientFeatures.of(params.capabilities)
        ls._init_settings = settings_section(params.initialization_options)
        options = params.initialization_options
        if isinstance(options, Mapping) and options.get(UNTRUSTED_OPTION) is True:
            ls.trusted = False
        ls.session.editor_settings = dict(ls._init_settings)
        roots = Session.roots_of(ls.workspace)
        ls.session.set_roots(roots)
        roots_or_none: list[Path | None] = list(ls.session.roots) or [None]
        for root in roots_or_none:
            ls.session.slot_for_root(root)
        ls.register_plugin_commands()

    @ls.feature(types.INITIALIZED)
    async def initialized(ls: MarginaliaServer, params: types.InitializedParams) -> None:
        if ls.client.watch_files_dynamically:
            watchers = [types.FileSystemWatcher(glob_pattern=g) for g in CONFIG_WATCH_GLOBS]
            registration = types.Registration(
                id=f"marginalia-watch-{uuid.uuid4()}",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            with contextlib.suppress(Exception):
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        if ls.client.pull_configuration:
            await ls.pull_configuration()
            await ls.reload_settings()
        else:
            for slot in ls.session.slots.values():
                ls.report_settings(slot)

    @ls.feature(types.SHUTDOWN)
    def shutdown(ls: MarginaliaServer, params: None) -> None:
        ls.shut_down = True
        for task in list(ls._pending.values()):
            task.cancel()
        ls.session.shutdown()

    # -- documents ---------------------------------------------------------------
    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MarginaliaServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        ls.store.note_version(doc.uri, doc.version)
        ls.schedule(doc.uri, 0.0)  # the first check is not debounced

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MarginaliaServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.store.note_version(params.text_document.uri, params.text_document.version)
        stop_generation(COMPLETION_CHANNEL)  # a continuation of the old text is of no use now
        ls.schedule(params.text_document.uri)

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MarginaliaServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.store.forget(uri)
        ls.problems.forget(uri)
        ls._checked_once.discard(uri)
        ls._diagnostic_caches.pop(uri, None)
        ls._unsuitable_shown.pop(uri, None)
        fs = to_fs_path(uri)
        slot = ls.session.slots.get(ls.session.root_for(Path(fs) if fs else None))
        if slot is not None:  # never start an engine just to forget a document it did not see
            slot.submit(slot.engine.forget, uri)
        if not ls.client.pull_diagnostics:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @ls.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=NAME, inter_file_dependencies=False, workspace_diagnostics=False),
    )
    async def pull_diagnostics(
        ls: MarginaliaServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport | EncodedJson:
        uri = params.text_document.uri
        snap = ls.snapshot(uri)
        if snap is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        if ls.store.get(uri, snap.version) is None:
            slot = ls.session.slot_for(snap)
            await asyncio.sleep(slot.engine.core.diagnostics.debounce_ms / 1000)
            if not ls.store.is_current(uri, snap.version):
                raise ServerCancelled(data=types.DiagnosticServerCancellationData(retrigger_request=True))
        result = await ls.checked(snap)
        if result is None or not ls.store.is_current(uri, snap.version):
            raise ServerCancelled(data=types.DiagnosticServerCancellationData(retrigger_request=True))
        if params.previous_result_id == result.result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result.result_id)
        return result.full_report()  # already encoded: thousands of diagnostics skip cattrs

    # -- code actions --------------------------------------------------------------
    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.Refactor, types.CodeActionKind.RefactorRewrite],
            resolve_provider=True,
        ),
    )
    async def code_action(ls: MarginaliaServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        start, end = snap.index.offsets_of(params.range)
        checked = await ls.checked(snap)
        findings = tuple(checked.overlapping(start, end)) if checked else ()
        slot = ls.session.slot_for(snap)
        only = tuple(str(k) for k in params.context.only) if params.context.only else None
        request = ActionRequest(snap, start, end, findings, only, ls.client.document_changes, slot.root is not None)
        return await slot.run(code_actions, slot.engine, request)

    @ls.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: MarginaliaServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, Mapping) else {}
        snap = ls.snapshot(str(data.get("uri", "")))
        if snap is None:
            return action
        slot = ls.session.slot_for(snap)
        ls.watch_status(slot, delay=STATUS_POLL_S / 4)
        try:
            async with ls.work_progress("Marginalia", action.title):
                return await slot.run(resolve_code_action, slot.engine, snap, action, ls.client.document_changes)
        except asyncio.CancelledError:
            stop_generation(REWRITE_CHANNEL)
            raise
        except StaleAction as exc:
            raise JsonRpcContentModified(str(exc)) from exc
        except ValueError as exc:
            raise JsonRpcInvalidParams(str(exc)) from exc

    @ls.command(ADD_TO_DICTIONARY)
    async def add_to_dictionary(ls: MarginaliaServer, *args: Any) -> dict[str, str]:
        # {"uri": ..., "word": ...} from our own actions; a bare word from plugins' actions.
        arg = args[0] if args and isinstance(args[0], Mapping) else {}
        word = str(args[0]) if args and isinstance(args[0], str) else str(arg.get("word", ""))
        slot = ls.slot_for_uri(_uri_of(args))
        try:
            path = await slot.run(workspace_state.add_to_dictionary, slot.root, word)
        except (ValueError, OSError) as exc:
            ls.show(f"cannot add {word!r} to the dictionary: {exc}", types.MessageType.Error)
            raise JsonRpcInvalidParams(str(exc)) from exc
        ls.recheck_open_documents()
        return {"path": str(path)}

    @ls.command(DISABLE_RULE)
    async def disable_rule(ls: MarginaliaServer, *args: Any) -> dict[str, str]:
        arg = args[0] if args and isinstance(args[0], Mapping) else {}
        rule = str(arg.get("rule", "")).strip()
        slot = ls.slot_for_uri(_uri_of(args))
        if slot.root is None or not rule:
            raise JsonRpcInvalidParams("disabling a rule needs a rule id and a workspace folder to hold .marginalia.toml")
        try:
            path = await slot.run(workspace_state.disable_rule, slot.root, rule)
        except (ValueError, OSError) as exc:
            ls.show(f"cannot disable {rule}: {exc}", types.MessageType.Error)
            raise JsonRpcInvalidParams(str(exc)) from exc
        await ls.reload_settings([slot.root])
        return {"path": str(path)}

    # -- information ---------------------------------------------------------------
    @ls.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: MarginaliaServer, params: types.HoverParams) -> types.Hover | None:
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        offset = snap.index.offset_of(params.position)
        checked = await ls.checked(snap)
        slot = ls.session.slot_for(snap)
        findings = checked.findings if checked else ()
        result = await slot.run(assist.hover, slot.engine, snap, offset, findings)
        return result if ls.store.is_current(snap.uri, snap.version) else None

    @ls.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(resolve_provider=True, trigger_characters=COMPLETION_TRIGGERS))
    async def completion(ls: MarginaliaServer, params: types.CompletionParams) -> types.CompletionList:
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return types.CompletionList(is_incomplete=False, items=[])
        slot = ls.session.slot_for(snap)
        ls.watch_status(slot, delay=STATUS_POLL_S / 4)
        try:
            items = await slot.run_assist(assist.completion_items, slot.engine, snap, snap.index.offset_of(params.position))
        except asyncio.CancelledError:
            stop_generation(COMPLETION_CHANNEL)
            raise
        if not ls.store.is_current(snap.uri, snap.version):
            return types.CompletionList(is_incomplete=True, items=[])  # stale: let the client ask again
        return types.CompletionList(is_incomplete=False, items=items)

    @ls.feature(types.COMPLETION_ITEM_RESOLVE)
    async def completion_resolve(ls: MarginaliaServer, item: types.CompletionItem) -> types.CompletionItem:
        """Full documentation of the highlighted item (a citation's formatted reference), one item at a time.

        Anything that cannot be resolved (no data, the document closed, the plugin
        gone or failing) returns the item as it came, with its quick documentation.
        """
        data = item.data if isinstance(item.data, Mapping) else {}
        snap = ls.snapshot(str(data.get("uri", "")))
        if snap is None:
            return item
        slot = ls.session.slot_for(snap)
        try:
            return await slot.run_assist(assist.resolve_completion_item, slot.engine, snap, item)
        except asyncio.CancelledError:
            raise  # $/cancelRequest: pygls answers RequestCancelled
        except Exception:  # a bug in the core's resolve must not fail the client's completion
            log.exception("resolving completion item %r failed", item.label)
            return item

    @ls.feature(types.TEXT_DOCUMENT_INLINE_COMPLETION, types.InlineCompletionOptions())
    async def inline_completion(ls: MarginaliaServer, params: types.InlineCompletionParams) -> types.InlineCompletionList | None:
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        slot = ls.session.slot_for(snap)
        ls.watch_status(slot, delay=STATUS_POLL_S / 4)  # the first request may start loading the model
        try:
            async with ls.work_progress("Marginalia", "suggesting a continuation"):
                items = await slot.run_assist(assist.inline_items, slot.engine, snap, snap.index.offset_of(params.position))
        except asyncio.CancelledError:
            stop_generation(COMPLETION_CHANNEL)
            raise
        if not ls.store.is_current(snap.uri, snap.version):
            return None
        return types.InlineCompletionList(items=items)

    # -- settings and workspace ----------------------------------------------------
    @ls.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: MarginaliaServer, params: types.DidChangeConfigurationParams) -> None:
        pushed = settings_section(params.settings)
        if pushed or not ls.client.pull_configuration:
            ls.session.editor_settings = deep_merge(ls._init_settings, pushed)
        await ls.pull_configuration()
        await ls.reload_settings()

    @ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(ls: MarginaliaServer, params: types.DidChangeWatchedFilesParams) -> None:
        roots: set[Path | None] = set()
        dictionary_changed = False
        for change in params.changes:
            fs = to_fs_path(change.uri)
            if not fs:
                continue
            path = Path(fs)
            if path.name in (CONFIG_FILE, "pyproject.toml"):
                roots.add(ls.session.root_for(path))
            elif path.name == DICTIONARY_FILE or path.suffix.lower() == ".bib":
                # Engines re-read the dictionary, and the citations plugin a .bib, when its mtime changes.
                dictionary_changed = True
        if roots:
            await ls.reload_settings(list(roots))
        elif dictionary_changed:
            ls.recheck_open_documents()

    @ls.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(ls: MarginaliaServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        for removed in params.event.removed:
            fs = to_fs_path(removed.uri)
            if fs:
                ls.session.drop_root(Path(fs).resolve())
        ls.session.set_roots(Session.roots_of(ls.workspace))
        ls.recheck_open_documents()


# The cyclic collector runs after this many new container objects; a keystroke in a book makes
# thousands (chunks, findings), and Python's default of 700 collects several times per edit.
GC_THRESHOLD = (20_000, 20, 20)
SETTLE_DELAY_S = 0.5


def settle_memory() -> None:
    """Leave what is loaded so far (dictionaries, parsed documents) out of later collections.

    A full collection walks every live object: with a spelling lexicon loaded that
    is a pause of 50-100 ms in the middle of an edit.  Frozen objects are still
    freed when their last reference goes; only reference cycles among them are not.
    """
    gc.collect()
    gc.freeze()


def _own_process(server: MarginaliaServer) -> None:
    server.owns_process = True
    gc.set_threshold(*GC_THRESHOLD)


def create_server(trusted: bool = True) -> MarginaliaServer:
    server = MarginaliaServer(trusted)
    _register(server)
    return server


def _configure_logging() -> None:
    # stdout carries the protocol: logs go to stderr only.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")


def _leave(server: MarginaliaServer) -> None:
    """Shut the engines down, then make sure the process really ends.

    A plugin call that never returns keeps its worker thread alive, and Python
    joins executor threads at exit: without the timer the process would outlive
    its client forever.
    """
    server.session.shutdown()
    timer = threading.Timer(EXIT_GRACE_S, os._exit, args=(0 if server.shut_down else 1,))
    timer.daemon = True
    timer.start()


def start_io(trusted: bool = True) -> None:
    """Serve one client over stdin/stdout (``trusted=False``: restricted mode)."""
    _configure_logging()
    server = create_server(trusted)
    _own_process(server)
    try:
        server.start_io()
    finally:
        _leave(server)


def start_tcp(host: str = "127.0.0.1", port: int = 2087, trusted: bool = True) -> None:
    """Serve one client over TCP (localhost by default: a document may not reach the network)."""
    _configure_logging()
    server = create_server(trusted)
    _own_process(server)
    try:
        server.start_tcp(host, port)
    finally:
        _leave(server)
