"""The model plugins through the real server: inline completion, completion item,
rewrite resolved and applied, cancellation mid-generation, model absent.

Completion runs on a tiny Llama built on the spot (tests/model_factory.py) and
loaded by the server through ``model.path``; rewrites go to a fake
OpenAI-compatible server on 127.0.0.1, which makes their output deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsp_harness import Client, apply_workspace_edit, code_actions_at, only_plugins, rng, running_server
from lsprotocol import types

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the model factory and fake server
from fake_openai import FakeOpenAI, fake_openai
from model_factory import tiny_model

LOAD_TIMEOUT = 240.0  # the server imports torch and loads the model in the background


@pytest.fixture
def openai() -> Iterator[FakeOpenAI]:
    with fake_openai() as srv:
        yield srv


def completion_settings(*also: str, **model: Any) -> dict[str, Any]:
    model = model or {"path": str(tiny_model("llama")), "device": "cpu", "quantization": "none"}
    return only_plugins(
        "completion", *also, enabled_plugins=["completion"], completion={"model": model, "min_prefix_chars": 3}
    )


async def inline_at(client: Client, uri: str, line: int, character: int) -> types.InlineCompletionList | None:
    return await client.text_document_inline_completion_async(
        types.InlineCompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
            context=types.InlineCompletionContext(trigger_kind=types.InlineCompletionTriggerKind.Invoked),
        )
    )


async def until_inline(client: Client, uri: str, line: int, character: int) -> types.InlineCompletionList:
    """Ask until the model has loaded (the first answers are empty by design)."""
    deadline = time.monotonic() + LOAD_TIMEOUT
    while time.monotonic() < deadline:
        result = await inline_at(client, uri, line, character)
        if result is not None and result.items:
            return result
        await asyncio.sleep(0.5)
    raise AssertionError("no inline completion before the time-out")


async def test_inline_completion_from_the_tiny_model(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "a.tex").as_uri()
    text = "% draft\nThe quick brown\n"
    async with running_server(server_env, workspace, init_options=completion_settings()) as client:
        client.open(uri, text, "latex")
        first = await inline_at(client, uri, 1, 15)
        assert first is None or not first.items  # loading: nothing yet, and no wait
        result = await until_inline(client, uri, 1, 15)
    (item,) = result.items
    assert item.insert_text == " fox jumps over the lazy dog."
    assert item.range == rng(1, 15, 1, 15)


async def test_status_follows_the_model_load_without_further_edits(server_env: dict[str, str], workspace: Path) -> None:
    """One request starts the load; the status bar then moves to ready on its own (no edit, no second request)."""
    uri = (workspace / "st.tex").as_uri()
    async with running_server(server_env, workspace, init_options=completion_settings()) as client:
        client.open(uri, "% draft\nThe quick brown\n", "latex")
        await client.wait_for_publish(uri, version=1)
        before = len(client.statuses)
        await inline_at(client, uri, 1, 15)

        def ready() -> Any:
            return next((s for s in client.statuses[before:] if s.model.state == "ready"), None)

        status = await client.wait_for(ready, timeout=LOAD_TIMEOUT, what="model status 'ready'")
        states = [s.model.state for s in client.statuses[before:]]
    assert status.model.device == "cpu"
    # It was loading in between (the first answer came back before the load ended).
    assert states.index("loading") < states.index("ready")


async def test_completion_item_fallback(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "b.txt").as_uri()
    text = "We propose a met"
    async with running_server(server_env, workspace, init_options=completion_settings()) as client:
        client.open(uri, text)
        await until_inline(client, uri, 0, 16)  # wait for the model
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=16))
        )
    items = result.items if isinstance(result, types.CompletionList) else result or []
    model_items = [i for i in items if i.detail and "model" in i.detail]
    assert len(model_items) == 1
    edit = model_items[0].text_edit
    assert isinstance(edit, types.TextEdit)
    assert edit.range == rng(0, 13, 0, 16) and edit.new_text == "method for estimating the parameters of a model."


def _fix_teh(path: str, body: dict[str, Any]) -> list[str]:
    """A 'model' that corrects 'teh' in the text it was given, markers and all."""
    user = body["messages"][-1]["content"]
    text = user.split("\n\n", 1)[1]
    return [w for w in re.split(r"(\s+)", text.replace("teh", "the")) if w]


async def test_rewrite_action_resolved_and_applied(server_env: dict[str, str], workspace: Path, openai: FakeOpenAI) -> None:
    openai.respond = _fix_teh
    uri = (workspace / "c.tex").as_uri()
    text = "We fit $y = mx$ to teh data \\cite{smith2020}\nand find teh slope.\n"
    settings = only_plugins("rewrite", enabled_plugins=["rewrite"], rewrite={"model": {"backend": "openai", "url": openai.url}})
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(uri, text, "latex")
        await client.wait_for_publish(uri, version=1)
        actions = await code_actions_at(client, uri, rng(0, 3, 0, 3), ["refactor"])
        titles = [a.title for a in actions]
        assert "Rewrite: fix grammar" in titles and "Rewrite: paraphrase" in titles
        grammar = next(a for a in actions if a.title == "Rewrite: fix grammar")
        assert grammar.edit is None  # lazy: nothing generated yet
        assert openai.requests == []
        resolved = await client.code_action_resolve_async(grammar)
    assert resolved.edit is not None
    assert apply_workspace_edit(text, resolved.edit, uri, 1) == text.replace("teh", "the")
    (path, body, _), = openai.requests
    assert path == "/v1/chat/completions"
    assert "\\cite" not in body["messages"][-1]["content"] and "⟦" in body["messages"][-1]["content"]


async def test_rewrite_that_loses_markup_is_refused_with_a_message(
    server_env: dict[str, str], workspace: Path, openai: FakeOpenAI
) -> None:
    openai.respond = lambda path, body: ["We", " fit", " it", " to", " data", " and", " fit", " it", " to", " data."]
    uri = (workspace / "d.tex").as_uri()
    text = "We fit $y$ to teh data \\cite{a}.\n"
    settings = only_plugins("rewrite", enabled_plugins=["rewrite"], rewrite={"model": {"backend": "openai", "url": openai.url}})
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(uri, text, "latex")
        await client.wait_for_publish(uri, version=1)
        actions = await code_actions_at(client, uri, rng(0, 3, 0, 3), ["refactor"])
        grammar = next(a for a in actions if a.title == "Rewrite: fix grammar")
        with pytest.raises(Exception, match="lost") as info:
            await client.code_action_resolve_async(grammar)
    assert "$y$" in str(info.value) or "\\cite{a}" in str(info.value)


async def _cancel_mid_generation(client: Client, uri: str, openai: FakeOpenAI) -> float:
    """Start a slow completion, send $/cancelRequest once tokens flow; seconds until the stream is dropped."""
    client.open(uri, "Some prose that goes on ")
    await client.wait_for_publish(uri, version=1)
    await inline_at(client, uri, 0, 24)  # the first request starts the (remote) backend
    await asyncio.sleep(0.5)
    params = types.InlineCompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=0, character=24),
        context=types.InlineCompletionContext(trigger_kind=types.InlineCompletionTriggerKind.Automatic),
    )
    request = asyncio.ensure_future(
        client.protocol.send_request_async(types.TEXT_DOCUMENT_INLINE_COMPLETION, params, msg_id="slow-1")
    )
    await client.wait_for(lambda: openai.sent >= 2, 30, "generation to start")
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="slow-1"))
    started = time.monotonic()
    await client.wait_for(lambda: openai.closed_early.is_set(), 10, "the stream to be abandoned")
    stopped_after = time.monotonic() - started
    with contextlib.suppress(Exception):  # answered with RequestCancelled, or empty
        await asyncio.wait_for(request, 10)
    return stopped_after


def _slow_settings(openai: FakeOpenAI) -> dict[str, Any]:
    openai.delay = 0.2
    openai.words = [f" w{i}" for i in range(200)]
    settings = completion_settings("example", backend="openai", url=openai.url)
    settings["completion"]["time_limit"] = 3.0
    settings["completion"]["max_new_tokens"] = 200
    return settings


async def test_cancelled_completion_is_bounded_and_the_server_stays_responsive(
    server_env: dict[str, str], workspace: Path, openai: FakeOpenAI
) -> None:
    """A slow remote model: the client cancels the request mid-generation."""
    async with running_server(server_env, workspace, init_options=_slow_settings(openai)) as client:
        stopped_after = await _cancel_mid_generation(client, (workspace / "e.txt").as_uri(), openai)
        # The server still answers: a new document gets its diagnostics.
        other = (workspace / "f.txt").as_uri()
        client.open(other, "A TODO here.\n")
        published = await client.wait_for_publish(other, version=1, timeout=10)
    assert stopped_after < 3.5  # by the request's own time limit at the latest, not after 200 tokens
    assert openai.sent < 40
    assert published.diagnostics


async def test_cancel_request_stops_generation_within_a_decoding_step(
    server_env: dict[str, str], workspace: Path, openai: FakeOpenAI
) -> None:
    async with running_server(server_env, workspace, init_options=_slow_settings(openai)) as client:
        stopped_after = await _cancel_mid_generation(client, (workspace / "e.txt").as_uri(), openai)
    # The server forwards $/cancelRequest to the runtime: the stream is dropped within a token or two
    # (0.2 s each here, plus the fake server noticing the closed socket), long before the 3 s limit.
    assert stopped_after < 1.5


async def test_model_absent_keeps_the_other_plugins_working(server_env: dict[str, str], workspace: Path) -> None:
    env = dict(server_env, HF_HUB_OFFLINE="1")
    uri = (workspace / "g.txt").as_uri()
    settings = completion_settings("example", name="marginalia-tests/not-downloaded", device="cpu")
    async with running_server(env, workspace, init_options=settings) as client:
        client.open(uri, "The quick brown TODO fox\n")
        published = await client.wait_for_publish(uri, version=1)
        assert [d.code for d in published.diagnostics] == ["example.marker"]
        for _ in range(3):
            result = await inline_at(client, uri, 0, 15)
            # Only the example plugin's canned continuation: nothing from the absent model.
            assert result is not None and [i.insert_text for i in result.items] == [" and so on."]
            await asyncio.sleep(0.3)
