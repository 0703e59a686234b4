"""completionItem/resolve over real LSP: completion inside \\citep{} on the celerite paper lists
keys with a quick summary; resolving the highlighted one gives the CSL-formatted reference,
exactly as hover shows it.  Items the server cannot resolve come back unchanged."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from lsp_harness import Client, capabilities, make_client, only_plugins
from lsprotocol import types

KEY = "Ambikasaran:2015"
TYPED = "\\citep{Ambik"


def with_lazy_completion(caps: types.ClientCapabilities) -> types.ClientCapabilities:
    """What VS Code and nvim-cmp say: Markdown documentation, which they resolve lazily."""
    assert caps.text_document is not None
    caps.text_document.completion = types.CompletionClientCapabilities(
        completion_item=types.ClientCompletionItemOptions(
            documentation_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText],
            resolve_support=types.ClientCompletionItemResolveOptions(properties=["documentation", "detail"]),
        )
    )
    return caps


@contextlib.asynccontextmanager
async def server(env: dict[str, str], root: Path) -> AsyncIterator[tuple[Client, types.InitializeResult]]:
    """The server process with only the citations plugin, and what it answered to initialize."""
    client = make_client()
    await client.start_io(sys.executable, "-m", "lsp_server", env=env)
    try:
        result = await client.initialize_session(
            types.InitializeParams(
                capabilities=with_lazy_completion(capabilities()),
                root_uri=root.as_uri(),
                workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
                initialization_options=only_plugins("citations"),
            )
        )
        yield client, result
    finally:
        with contextlib.suppress(Exception):
            await client.shutdown_session()
        with contextlib.suppress(Exception):
            await client.stop()


def position_of(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))  # ASCII: code points == UTF-16


def markdown(value: object) -> str:
    assert isinstance(value, types.MarkupContent) and value.kind == types.MarkupKind.Markdown
    return value.value


async def test_resolve_gives_the_formatted_reference_of_the_highlighted_key(server_env: dict[str, str], celerite: Path) -> None:
    path = celerite / "ms.tex"
    text = path.read_text(encoding="utf-8")
    at = text.index("\\citep{")
    edited = text[:at] + TYPED + text[at + len("\\citep{") :]
    uri = path.as_uri()
    doc_id = types.TextDocumentIdentifier(uri=uri)
    async with server(server_env, celerite) as (client, init):
        completion = init.capabilities.completion_provider
        assert completion is not None and completion.resolve_provider is True
        client.open(uri, edited, "latex")
        await client.wait_for_publish(uri, version=1)
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc_id, position=position_of(edited, at + len(TYPED)))
        )
        items = result.items if isinstance(result, types.CompletionList) else result or []
        item = next(i for i in items if i.label == KEY)
        summary = markdown(item.documentation)
        resolved = await client.completion_item_resolve_async(item)
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=doc_id, position=position_of(edited, edited.index(KEY) + 2))
        )
        client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc_id))
        after_close = await client.completion_item_resolve_async(item)

    full = markdown(resolved.documentation)
    assert "Generalized Rybicki Press algorithm" in summary and full != summary
    assert "Ambikasaran, S. (2015). Generalized Rybicki Press algorithm. *Numer. Linear Algebra Appl.*, *22*(6), 1102–1114." in full
    assert "[doi:10.1002/nla.2003](https://doi.org/10.1002/nla.2003)" in full and "celerite.bib:" in full
    assert hover is not None and markdown(hover.contents) == full  # one formatting path for both
    assert resolved.label == KEY and resolved.text_edit == item.text_edit and resolved.sort_text == item.sort_text
    assert markdown(after_close.documentation) == summary  # the document is gone: the item as it came


async def test_items_the_server_cannot_resolve_come_back_unchanged(server_env: dict[str, str], celerite: Path) -> None:
    path = celerite / "ms.tex"
    uri = path.as_uri()
    async with server(server_env, celerite) as (client, _):
        client.open(uri, path.read_text(encoding="utf-8"), "latex")
        await client.wait_for_publish(uri, version=1)
        sent = [
            types.CompletionItem(label="no data"),
            types.CompletionItem(label="unknown plugin", data={"uri": uri, "plugin": "no-such-plugin", "item": {"key": KEY}}),
            types.CompletionItem(label="unknown key", data={"uri": uri, "plugin": "citations", "item": {"key": "No:such"}}),
            types.CompletionItem(label="not ours", data=[1, 2, 3]),
            types.CompletionItem(label="bad item", data={"uri": uri, "plugin": "citations", "item": "x"}),
        ]
        back = [await client.completion_item_resolve_async(i) for i in sent]
        # Still serving: a real key resolves after all of those.
        real = await client.completion_item_resolve_async(
            types.CompletionItem(label=KEY, data={"uri": uri, "plugin": "citations", "item": {"key": KEY}})
        )
    assert back == sent
    assert "Generalized Rybicki Press algorithm" in markdown(real.documentation)
