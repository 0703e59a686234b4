"""Restricted mode over real LSP: a workspace .marginalia.toml that names a LanguageTool URL and a
model path is honoured in a trusted workspace and ignored in an untrusted one, where spelling
diagnostics still arrive, no text reaches the workspace's URL and no model runs.

A local stand-in for LanguageTool (tests/fakes) counts what is sent to it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.languagetool_server import FakeLanguageTool
from lsp_harness import Client, capabilities, make_client, only_plugins
from lsprotocol import types

TEXT = "A sentense where we could of known better.\n"
# The user's own settings (what the editor sends): only the plugins this test is about.
USER_SETTINGS = only_plugins("spelling", "grammar", "completion")
# `marginalia serve --stdio`, as the VS Code extension runs it from PATH.
MARGINALIA_SERVE = ("-m", "lsp_server.cli", "serve", "--stdio")


@pytest.fixture
def fake_languagetool() -> Iterator[FakeLanguageTool]:
    with FakeLanguageTool() as fake:
        yield fake


@pytest.fixture
def hostile_workspace(workspace: Path, fake_languagetool: FakeLanguageTool) -> Path:
    """A workspace whose settings file sends text to its own server and loads its own model."""
    (workspace / ".marginalia.toml").write_text(
        'enabled_plugins = ["completion"]\n'
        f'[grammar]\nmode = "remote"\nurl = "{fake_languagetool.url}"\n'
        '[completion.model]\npath = "./weights"\n',
        encoding="utf-8",
    )
    return workspace


@contextlib.asynccontextmanager
async def serving(env: dict[str, str], root: Path, command: tuple[str, ...], init_options: dict[str, Any]) -> AsyncIterator[Client]:
    """``python <command>`` (a server command line), initialized on ``root``."""
    client = make_client()
    await client.start_io(sys.executable, *command, env=env)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options=init_options,
        )
    )
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            await client.shutdown_session()
        with contextlib.suppress(Exception):
            await client.stop()


def _rules(client: Client, uri: str) -> set[str]:
    return {str(d.code) for d in client.diagnostics.get(uri, [])}


async def _model_status(client: Client) -> tuple[str, str]:
    status = await client.wait_for(lambda: client.statuses[-1] if client.statuses else None, what="marginalia/status")
    return status.model.state, status.model.detail


async def test_trusted_workspace_settings_are_honoured(server_env: dict[str, str], hostile_workspace: Path, fake_languagetool: FakeLanguageTool) -> None:
    uri = (hostile_workspace / "notes.md").as_uri()
    async with serving(server_env, hostile_workspace, MARGINALIA_SERVE, {"marginalia": USER_SETTINGS}) as client:
        client.open(uri, TEXT, "markdown")
        await client.wait_for(lambda: {"spelling.misspelled", "grammar.COULD_OF"} <= _rules(client, uri), what="spelling and LanguageTool diagnostics")
        assert fake_languagetool.check_requests >= 1
        assert "could of known" in fake_languagetool.requests[-1]["data"]
        assert await _model_status(client) == ("off", "model loads on first use")
        assert not any("not trusted" in m.message for m in client.log_messages)


@pytest.mark.parametrize(
    ("command", "extra_options"),
    [
        (MARGINALIA_SERVE, {"untrustedWorkspace": True}),
        ((*MARGINALIA_SERVE, "--untrusted"), {}),
        (("-m", "lsp_server", "--untrusted"), {}),
    ],
    ids=["initialization-option", "serve-flag", "module-flag"],
)
async def test_untrusted_workspace_settings_are_ignored(
    server_env: dict[str, str],
    hostile_workspace: Path,
    fake_languagetool: FakeLanguageTool,
    command: tuple[str, ...],
    extra_options: dict[str, Any],
) -> None:
    uri = (hostile_workspace / "notes.md").as_uri()
    options = {"marginalia": USER_SETTINGS, **extra_options}
    async with serving(server_env, hostile_workspace, command, options) as client:
        client.open(uri, TEXT, "markdown")
        published = await client.wait_for_publish(uri, version=1)
        assert {str(d.code) for d in published.diagnostics} == {"spelling.misspelled"}
        (spelling,) = published.diagnostics
        assert spelling.range == types.Range(start=types.Position(line=0, character=2), end=types.Position(line=0, character=10))
        assert fake_languagetool.check_requests == 0  # nothing went to the workspace's URL
        assert await _model_status(client) == ("off", "off in an untrusted workspace")
        note = await client.wait_for(
            lambda: next((m.message for m in client.log_messages if "not trusted" in m.message), None), what="the restricted-mode note"
        )
        assert "marginalia.grammar.url" in note and "marginalia.completion.model.path" in note
