"""End-to-end harness: the real server process, driven by pytest-lsp's client.

The example plugin (tests/fixtures/example_plugin) is pip-installed into a
temporary directory once per session and put on the server's PYTHONPATH, so it
is discovered through its entry point exactly like a third-party plugin.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Union

from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BUILTIN_PLUGINS = sorted({ep.name for ep in entry_points(group="marginalia.plugins")})
# Registered by tests/fixtures/example_plugin once it is installed.
EXAMPLE_PLUGINS = ["example", "example-twin"]


def only_plugins(*names: str, **settings: Any) -> dict[str, Any]:
    """Settings that switch off every built-in plugin except ``names`` (keeps tests fast and hermetic)."""
    return {"disabled_plugins": [n for n in BUILTIN_PLUGINS + EXAMPLE_PLUGINS if n not in names], **settings}


@dataclass
class Published:
    uri: str
    version: int | None
    diagnostics: list[types.Diagnostic]
    at: float = field(default_factory=time.monotonic)


class Client(LanguageClient):
    """pytest-lsp's client, plus the full history of publishDiagnostics and status notifications."""

    published: list[Published]
    statuses: list[Any]

    def history(self, uri: str) -> list[Published]:
        return [p for p in self.published if p.uri == uri]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")

    async def wait_for_publish(self, uri: str, version: int | None = None, timeout: float = 15.0, after: int = 0) -> Published:
        def find() -> Published | None:
            for p in self.history(uri)[after:]:
                if version is None or p.version == version:
                    return p
            return None

        result: Published = await self.wait_for(find, timeout, f"diagnostics for {uri} v{version}")
        return result

    def open(self, uri: str, text: str, language_id: str = "plaintext", version: int = 1) -> None:
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text))
        )

    def change(self, uri: str, version: int, *changes: tuple[types.Range | None, str]) -> None:
        events: list[types.TextDocumentContentChangeEvent] = [
            types.TextDocumentContentChangePartial(range=r, text=t) if r is not None else types.TextDocumentContentChangeWholeDocument(text=t)
            for r, t in changes
        ]
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=uri, version=version), events)
        )


def _publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.published.append(Published(params.uri, params.version, list(params.diagnostics)))


def _status(client: Client, params: Any) -> None:
    client.statuses.append(params)


def _command_or_code_action(obj: Any, _: type) -> types.Command | types.CodeAction:
    # lsprotocol's own hook reads any object with a "command" key as a Command, so a
    # CodeAction that carries a command would arrive mangled; the LSP rule is the type of "command".
    if isinstance(obj.get("command"), str):
        return default_converter().structure(obj, types.Command)
    return default_converter().structure(obj, types.CodeAction)


def _converter() -> Any:
    converter = default_converter()
    converter.register_structure_hook(Union[types.Command, types.CodeAction], _command_or_code_action)  # noqa: UP007 - the hook is keyed by this exact type
    return converter


def make_client() -> Client:
    client = Client(converter_factory=_converter)
    client.published = []
    client.statuses = []
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = _publish
    features["marginalia/status"] = _status
    register_lsp_features(client, features)
    return client


def capabilities(
    *, encodings: list[str] | None = None, pull: bool = False, configuration: bool = False, progress: bool = True
) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings is not None else None,
        window=types.WindowClientCapabilities(work_done_progress=progress),
        workspace=types.WorkspaceClientCapabilities(
            workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
            configuration=configuration,
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True) if pull else None,
        ),
        text_document=types.TextDocumentClientCapabilities(
            diagnostic=types.DiagnosticClientCapabilities(dynamic_registration=False) if pull else None,
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(value_set=["quickfix", "refactor"])
                ),
                resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]),
            ),
            inline_completion=types.InlineCompletionClientCapabilities(),
        ),
    )


@contextlib.asynccontextmanager
async def running_server(
    env: dict[str, str],
    root: Path | None,
    *,
    init_options: dict[str, Any] | None = None,
    caps: types.ClientCapabilities | None = None,
    tcp: tuple[str, int] | None = None,
) -> AsyncIterator[Client]:
    """Start ``python -m lsp_server`` (or connect over TCP), initialize, and shut down afterwards."""
    client = make_client()
    process: asyncio.subprocess.Process | None = None
    if tcp is None:
        await client.start_io(sys.executable, "-m", "lsp_server", env=env)
    else:
        host, port = tcp
        code = f"from lsp_server.server import start_tcp; start_tcp({host!r}, {port})"
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", code, env=env)
        deadline = time.monotonic() + 20
        while True:
            try:
                await client.start_tcp(host, port)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
    root_uri = root.as_uri() if root is not None else None
    folders = [types.WorkspaceFolder(uri=root_uri, name=root.name)] if root is not None and root_uri else None
    await client.initialize_session(
        types.InitializeParams(
            capabilities=caps or capabilities(),
            root_uri=root_uri,
            workspace_folders=folders,
            initialization_options=init_options,
        )
    )
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.shutdown_session(), 10)
        with contextlib.suppress(Exception):
            await client.stop()
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


async def server_text(client: Client, uri: str) -> str:
    """The server's current text of ``uri``, read back through the example plugin's
    lazy "Quote the selection" action over the whole document (its edit echoes the text)."""
    everything = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=10**6, character=0))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=everything,
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.RefactorRewrite]),
        )
    )
    quote = next(a for a in actions or [] if isinstance(a, types.CodeAction) and a.title.startswith("Quote the selection"))
    resolved = await client.code_action_resolve_async(quote)
    assert resolved.edit is not None and resolved.edit.document_changes
    change = resolved.edit.document_changes[0]
    assert isinstance(change, types.TextDocumentEdit)
    edit = change.edits[0]
    assert isinstance(edit, types.TextEdit)
    new_text = edit.new_text
    assert new_text.startswith("«") and new_text.endswith("»")
    return new_text[1:-1]


def apply_workspace_edit(text: str, edit: types.WorkspaceEdit, uri: str, version: int) -> str:
    """Apply ``edit`` to ``text`` the way a client would, with pygls' own document (an
    implementation independent of the server's), refusing edits for another version."""
    from pygls.workspace import TextDocument

    assert edit.document_changes, "expected versioned documentChanges"
    doc = TextDocument(uri, source=text, version=version)
    for change in edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        assert change.text_document.version == version, "edit computed for another version"
        # Apply from the end so earlier ranges stay valid.
        for e in sorted(change.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            assert isinstance(e, types.TextEdit)
            doc.apply_change(types.TextDocumentContentChangePartial(range=e.range, text=e.new_text))
    return doc.source


async def code_actions_at(client: Client, uri: str, range_: types.Range, only: list[str] | None = None) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=range_,
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind(k) for k in only] if only else None),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


def rng(l1: int, c1: int, l2: int, c2: int) -> types.Range:
    return types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2))
