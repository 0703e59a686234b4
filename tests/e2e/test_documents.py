"""Opening, editing and closing documents over the wire."""

from __future__ import annotations

from pathlib import Path

from lsp_harness import only_plugins, running_server, server_text
from lsprotocol import types

EXAMPLE_ONLY = only_plugins("example")


def rng(l1: int, c1: int, l2: int, c2: int) -> types.Range:
    return types.Range(start=types.Position(line=l1, character=c1), end=types.Position(line=l2, character=c2))


async def test_open_document_publishes_exact_ranges(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "a.txt").as_uri()
    # The emoji is two UTF-16 units, the CJK characters one each, e + combining acute two code points.
    text = "Plain line\r\nSmile 😀 TODO here\r\n漢字 ée TODO\n"
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, text)
        published = await client.wait_for_publish(uri, version=1)
    ranges = sorted((d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in published.diagnostics)
    assert ranges == [(1, 9, 1, 13), (2, 6, 2, 10)]
    d = published.diagnostics[0]
    assert d.source == "marginalia"
    assert d.code == "example.marker"
    assert d.severity == types.DiagnosticSeverity.Warning
    assert isinstance(d.data, dict) and d.data["rule"] == "example.marker" and d.data["replacements"] == ["DONE"]


async def test_incremental_edits_with_emoji_and_crlf_match_reference(server_env: dict[str, str], workspace: Path) -> None:
    """Edits whose UTF-16 positions only line up if surrogate pairs and CRLF are counted right."""
    uri = (workspace / "b.txt").as_uri()
    text = "👩‍🔬 science\r\nline two 🎉 end\r\nlast"
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, text)
        await client.wait_for_publish(uri, version=1)
        # Replace "science" (after a ZWJ sequence of 5 UTF-16 units and a space) with "TODO".
        client.change(uri, 2, (rng(0, 6, 0, 13), "TODO"))
        # Insert " TODO" right after the party popper (line 1, UTF-16 column 9 + 2).
        client.change(uri, 3, (rng(1, 11, 1, 11), " TODO"))
        # Join lines 1 and 2 by deleting the CRLF.
        client.change(uri, 4, (rng(1, 20, 2, 0), " "))
        published = await client.wait_for_publish(uri, version=4)
        text_on_server = await server_text(client, uri)
    assert text_on_server == "👩‍🔬 TODO\r\nline two 🎉 TODO end last"
    starts = sorted((d.range.start.line, d.range.start.character) for d in published.diagnostics)
    assert starts == [(0, 6), (1, 12)]


async def test_close_clears_diagnostics(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "c.txt").as_uri()
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "TODO one\n")
        first = await client.wait_for_publish(uri, version=1)
        assert len(first.diagnostics) == 1
        count = len(client.history(uri))
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
        cleared = await client.wait_for_publish(uri, after=count)
    assert cleared.diagnostics == []
