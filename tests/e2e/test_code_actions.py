"""Code actions: replacements, plugin actions, lazy actions, magic comments, server-side commands."""

from __future__ import annotations

import tomllib
from pathlib import Path

from lsp_harness import apply_workspace_edit, code_actions_at, only_plugins, rng, running_server
from lsprotocol import types

EXAMPLE_ONLY = only_plugins("example")


async def test_replacement_applied_gives_expected_text(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "a.txt").as_uri()
    text = "Intro 🎉\r\nWe still have a TODO here.\r\n"
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, text)
        published = await client.wait_for_publish(uri, version=1)
        (diag,) = published.diagnostics
        actions = await code_actions_at(client, uri, diag.range)
    titles = [a.title for a in actions]
    assert titles[:2] == ["Replace with 'DONE'", "Delete the marker (example)"]
    assert "Ignore example.marker in this file" in titles
    assert "Disable example.marker in this workspace" in titles
    replace = actions[0]
    assert replace.is_preferred and replace.edit is not None
    assert apply_workspace_edit(text, replace.edit, uri, 1) == "Intro 🎉\r\nWe still have a DONE here.\r\n"
    delete = actions[1]
    assert delete.edit is not None
    assert apply_workspace_edit(text, delete.edit, uri, 1) == "Intro 🎉\r\nWe still have a  here.\r\n"


async def test_ignore_in_file_inserts_a_magic_comment_that_silences_the_rule(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "b.md").as_uri()
    text = "---\ntitle: x\n---\nA TODO.\n"
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, text, "markdown")
        (diag,) = (await client.wait_for_publish(uri, version=1)).diagnostics
        actions = await code_actions_at(client, uri, diag.range, ["quickfix"])
        ignore = next(a for a in actions if a.title == "Ignore example.marker in this file")
        assert ignore.edit is not None
        new_text = apply_workspace_edit(text, ignore.edit, uri, 1)
        assert new_text == "---\ntitle: x\n---\n<!-- marginalia: disable=example.marker -->\nA TODO.\n"
        client.change(uri, 2, (None, new_text))
        published = await client.wait_for_publish(uri, version=2)
    assert published.diagnostics == []


async def test_disable_rule_writes_workspace_settings_and_rechecks(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "c.txt").as_uri()
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "TODO\n")
        (diag,) = (await client.wait_for_publish(uri, version=1)).diagnostics
        actions = await code_actions_at(client, uri, diag.range)
        disable = next(a for a in actions if a.title == "Disable example.marker in this workspace")
        assert disable.command is not None
        count = len(client.history(uri))
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command=disable.command.command, arguments=disable.command.arguments)
        )
        published = await client.wait_for_publish(uri, after=count)
    assert published.diagnostics == []
    settings = tomllib.loads((workspace / ".marginalia.toml").read_text(encoding="utf-8"))
    assert settings["disabled_rules"] == ["example.marker"]


async def test_lazy_range_action_is_resolved_against_its_version(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "d.txt").as_uri()
    text = "漢字 and 😀 words\n"
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, text)
        await client.wait_for_publish(uri, version=1)
        selection = rng(0, 3, 0, 9)  # "and 😀": the emoji is two UTF-16 units
        actions = await code_actions_at(client, uri, selection, ["refactor"])
        (quote,) = [a for a in actions if a.title == "Quote the selection (example)"]
        assert quote.edit is None and quote.data is not None  # lazy until picked
        resolved = await client.code_action_resolve_async(quote)
        assert resolved.edit is not None
        assert apply_workspace_edit(text, resolved.edit, uri, 1) == "漢字 «and 😀» words\n"
        # Once the document moves on, the old lazy action is refused rather than misapplied.
        client.change(uri, 2, (rng(0, 0, 0, 0), "x"))
        await client.wait_for_publish(uri, version=2)
        try:
            await client.code_action_resolve_async(quote)
        except Exception as exc:  # noqa: BLE001
            assert "changed" in str(exc)
        else:
            raise AssertionError("a lazy action for version 1 was resolved on version 2")


async def test_plugin_command_is_registered_and_runs(server_env: dict[str, str], workspace: Path) -> None:
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        result = await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="marginalia.example.countMarkers", arguments=[{"text": "TODO, TODO"}])
        )
    assert result == {"count": 2}


async def test_add_to_dictionary_silences_the_word_and_persists_across_restart(server_env: dict[str, str], workspace: Path) -> None:
    """The server-side command writes .marginalia/dictionary.txt; any plugin reading the dictionary honours it."""
    uri = (workspace / "e.txt").as_uri()
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "A TODO.\n")
        assert len((await client.wait_for_publish(uri, version=1)).diagnostics) == 1
        count = len(client.history(uri))
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="marginalia.addToDictionary", arguments=[{"uri": uri, "word": "TODO"}])
        )
        assert (await client.wait_for_publish(uri, after=count)).diagnostics == []
    assert (workspace / ".marginalia" / "dictionary.txt").read_text(encoding="utf-8").split() == ["TODO"]
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "A TODO.\n")
        assert (await client.wait_for_publish(uri, version=1)).diagnostics == []


async def test_spelling_add_to_dictionary_action_removes_the_diagnostic_and_persists(server_env: dict[str, str], workspace: Path) -> None:
    """The built-in spelling plugin, through the code action a user would pick."""
    uri = (workspace / "paper.md").as_uri()
    text = "# Notes\n\nWe recieve the Zorblax data.\n"
    spelling = only_plugins("spelling", diagnostics={"debounce_ms": 0})
    async with running_server(server_env, workspace, init_options=spelling) as client:
        client.open(uri, text, "markdown")
        published = await client.wait_for_publish(uri, version=1, timeout=30)
        by_word = {text_of(text, d.range): d for d in published.diagnostics}
        assert {"recieve", "Zorblax"} <= set(by_word)
        assert all(d.code == "spelling.misspelled" for d in by_word.values())
        actions = await code_actions_at(client, uri, by_word["recieve"].range, ["quickfix"])
        titles = [a.title for a in actions]
        assert titles[0] == "Replace with 'receive'"
        assert titles.count("Add 'recieve' to the workspace dictionary") == 1
        assert not any(t == "Add 'recieve' to dictionary" for t in titles)  # the plugin's duplicate is folded in
        assert apply_workspace_edit(text, actions[0].edit, uri, 1) == text.replace("recieve", "receive")  # type: ignore[arg-type]
        zorblax = await code_actions_at(client, uri, by_word["Zorblax"].range, ["quickfix"])
        add = next(a for a in zorblax if a.title == "Add 'Zorblax' to the workspace dictionary")
        assert add.command is not None
        count = len(client.history(uri))
        await client.workspace_execute_command_async(types.ExecuteCommandParams(command=add.command.command, arguments=add.command.arguments))
        after = await client.wait_for_publish(uri, after=count)
        assert sorted(text_of(text, d.range) for d in after.diagnostics) == ["recieve"]
    assert "Zorblax" in (workspace / ".marginalia" / "dictionary.txt").read_text(encoding="utf-8").split()
    async with running_server(server_env, workspace, init_options=spelling) as client:
        client.open(uri, text, "markdown")
        restarted = await client.wait_for_publish(uri, version=1, timeout=30)
    assert sorted(text_of(text, d.range) for d in restarted.diagnostics) == ["recieve"]


def text_of(text: str, range_: types.Range) -> str:
    """The text under a single-line range (ASCII lines only, so UTF-16 columns are code points)."""
    assert range_.start.line == range_.end.line
    return text.split("\n")[range_.start.line][range_.start.character : range_.end.character]
