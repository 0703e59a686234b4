"""Opening, editing and closing documents over the wire."""

from __future__ import annotations

import asyncio
import random
import re
from pathlib import Path

from lsp_harness import only_plugins, rng, running_server, server_text
from lsprotocol import types

EXAMPLE_ONLY = only_plugins("example")


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


async def test_rapid_edits_never_publish_a_stale_version(server_env: dict[str, str], workspace: Path) -> None:
    """Every publish is for a version the client sent, in order, and matches that version's text."""
    uri = (workspace / "d.txt").as_uri()
    settings = only_plugins("example", diagnostics={"debounce_ms": 0}, example={"check_delay": 0.03})
    texts = {1: "start\n"}
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(uri, texts[1])
        for v in range(2, 32):
            piece = "TODO " if v % 3 else "x "
            client.change(uri, v, (rng(0, 0, 0, 0), piece))
            texts[v] = piece + texts[v - 1]
            await asyncio.sleep(0.005)
        await client.wait_for_publish(uri, version=31)
        history = client.history(uri)
    versions = [p.version or 0 for p in history]
    assert versions == sorted(versions) and versions[-1] == 31
    assert len(set(versions)) == len(versions)
    for p in history:
        assert p.version in texts
        text = texts[p.version]
        expected = [i for i in range(len(text)) if text.startswith("TODO", i)]
        assert sorted(d.range.start.character for d in p.diagnostics) == expected, p.version


async def test_huge_and_binary_documents_get_one_clear_message_and_no_check(server_env: dict[str, str], workspace: Path) -> None:
    big, binary = (workspace / "big.txt").as_uri(), (workspace / "bin.txt").as_uri()
    settings = only_plugins("example", diagnostics={"max_file_kb": 1, "debounce_ms": 0})
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(big, "TODO " * 400)
        client.open(binary, "TODO\x00\x01\x02")
        assert (await client.wait_for_publish(big, version=1)).diagnostics == []
        assert (await client.wait_for_publish(binary, version=1)).diagnostics == []
        client.change(big, 2, (rng(0, 0, 0, 0), "more "))
        await client.wait_for_publish(big, version=2)
        messages = [m.message for m in client.messages]
    assert len([m for m in messages if "big.txt is not checked" in m]) == 1, messages
    assert any("more than core.diagnostics.max_file_kb = 1 KB" in m for m in messages)
    assert len([m for m in messages if "bin.txt is not checked" in m and "NUL" in m]) == 1, messages


def _oracle_utf16(text: str, offset: int) -> types.Position:
    prefix = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", prefix))
    col = prefix[breaks[-1].end() :] if breaks else prefix
    return types.Position(line=len(breaks), character=len(col.encode("utf-16-le")) // 2)


async def test_many_random_edits_leave_the_same_text_on_the_server(server_env: dict[str, str], workspace: Path) -> None:
    """The over-the-wire counterpart of tests/test_positions.py's stateful test."""
    uri = (workspace / "e.txt").as_uri()
    pieces = ["a", "TODO", " ", "\n", "\r\n", "😀", "👩‍🔬", "漢字", "e\u0301", "é", "\u2028", "\x0c"]
    rnd = random.Random(20261125)
    reference = "seed 😀\r\n漢字 e\u0301\n"
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, reference)
        for version in range(2, 202):
            s = rnd.randint(0, len(reference))
            e = rnd.randint(s, min(len(reference), s + 6))
            s, e = (p - 1 if 0 < p < len(reference) and reference[p - 1] == "\r" and reference[p] == "\n" else p for p in (s, e))
            new = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 3)))
            client.change(uri, version, (types.Range(start=_oracle_utf16(reference, s), end=_oracle_utf16(reference, e)), new))
            reference = reference[:s] + new + reference[e:]
        await client.wait_for_publish(uri, version=201)
        assert await server_text(client, uri) == reference
