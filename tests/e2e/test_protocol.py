"""Protocol features: encodings, TCP, pull diagnostics, progress, settings, hover, completion."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path

import pytest
from lsp_harness import capabilities, make_client, only_plugins, rng, running_server
from lsprotocol import types

EXAMPLE_ONLY = only_plugins("example")


@pytest.mark.parametrize(
    ("offered", "chosen", "column"),
    [
        (None, "utf-16", 5),
        (["utf-16"], "utf-16", 5),
        (["utf-8"], "utf-8", 10),
        (["utf-8", "utf-16", "utf-32"], "utf-32", 4),
    ],
)
async def test_position_encodings(server_env: dict[str, str], workspace: Path, offered: list[str] | None, chosen: str, column: int) -> None:
    uri = (workspace / "enc.txt").as_uri()
    text = "😀é漢 TODO\n"
    client = make_client()
    await client.start_io(sys.executable, "-m", "lsp_server", env=server_env)
    try:
        result = await client.initialize_session(
            types.InitializeParams(capabilities=capabilities(encodings=offered), root_uri=workspace.as_uri(), initialization_options=EXAMPLE_ONLY)
        )
        assert result.capabilities.position_encoding == chosen
        assert result.capabilities.text_document_sync is not None
        client.open(uri, text)
        (diag,) = (await client.wait_for_publish(uri, version=1)).diagnostics
        assert (diag.range.start.character, diag.range.end.character) == (column, column + 4)
        # An edit expressed in the same encoding lands where intended: a marker before the space.
        client.change(uri, 2, (rng(0, column - 1, 0, column - 1), "TODO"))
        starts = sorted(d.range.start.character for d in (await client.wait_for_publish(uri, version=2)).diagnostics)
        assert starts == [column - 1, column + 4]
    finally:
        await client.shutdown_session()
        await client.stop()


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_tcp_mode(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "tcp.txt").as_uri()
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY, tcp=("127.0.0.1", _free_port())) as client:
        client.open(uri, "over TCP: TODO\n")
        (diag,) = (await client.wait_for_publish(uri, version=1)).diagnostics
    assert diag.range.start.character == 10


async def test_pull_diagnostics_instead_of_push(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "pull.txt").as_uri()
    ident = types.TextDocumentIdentifier(uri=uri)
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY, caps=capabilities(pull=True)) as client:
        client.open(uri, "TODO one\n")
        report = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident))
        assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
        assert [d.code for d in report.items] == ["example.marker"]
        same = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident, previous_result_id=report.result_id))
        assert isinstance(same, types.RelatedUnchangedDocumentDiagnosticReport)
        client.change(uri, 2, (rng(0, 0, 0, 0), "TODO "))
        changed = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=ident, previous_result_id=report.result_id))
        assert isinstance(changed, types.RelatedFullDocumentDiagnosticReport)
        assert sorted(d.range.start.character for d in changed.items) == [0, 5]
        published = client.history(uri)
    assert published == []  # a pull client is not also pushed to


async def test_first_check_of_a_large_document_reports_progress(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "large.txt").as_uri()
    text = "\n\n".join(f"Paragraph {i} with some words in it." for i in range(4000))
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, text + "\n\nTODO\n")
        (diag,) = (await client.wait_for_publish(uri, version=1)).diagnostics
        reports = [r for values in client.progress_reports.values() for r in values]
    assert diag.range.start.line == 8000
    assert [type(r) for r in reports] == [types.WorkDoneProgressBegin, types.WorkDoneProgressEnd]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and "large.txt" in (reports[0].message or "")


async def test_invalid_settings_give_one_warning_and_defaults(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "s.txt").as_uri()
    settings = only_plugins("example", diagnostics={"debounce_ms": "soon"}, example={"word": 42}, colour="blue")
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(uri, "TODO\n")
        (diag,) = (await client.wait_for_publish(uri, version=1)).diagnostics  # the default word still works
        warnings = [m for m in client.messages if "settings" in m.message]
    assert diag.code == "example.marker"
    assert len(warnings) == 1 and warnings[0].type == types.MessageType.Warning
    for fragment in ("marginalia.diagnostics.debounce_ms", "marginalia.example.word", "marginalia.colour"):
        assert fragment in warnings[0].message


async def test_did_change_configuration_applies_new_settings(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "cfg.txt").as_uri()
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "TODO and XXX\n")
        (diag,) = (await client.wait_for_publish(uri, version=1)).diagnostics
        assert diag.range.start.character == 0
        count = len(client.history(uri))
        client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"marginalia": only_plugins("example", example={"word": "XXX"})})
        )
        (moved,) = (await client.wait_for_publish(uri, after=count)).diagnostics
    assert moved.range.start.character == 9


async def test_settings_are_pulled_with_workspace_configuration(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "pulled.txt").as_uri()
    client = make_client()
    client.set_configuration(only_plugins("example", example={"word": "XXX"}), section="marginalia")
    await client.start_io(sys.executable, "-m", "lsp_server", env=server_env)
    try:
        await client.initialize_session(
            types.InitializeParams(capabilities=capabilities(configuration=True), root_uri=workspace.as_uri(), initialization_options=EXAMPLE_ONLY)
        )
        client.open(uri, "TODO and XXX\n")

        def pulled_result() -> list[types.Diagnostic] | None:
            last = client.history(uri)[-1:] if client.history(uri) else []
            return last[0].diagnostics if last and [d.range.start.character for d in last[0].diagnostics] == [9] else None

        await client.wait_for(pulled_result, what="diagnostics with the pulled word")
    finally:
        await client.shutdown_session()
        await client.stop()


async def test_workspace_file_change_reloads_settings(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "w.txt").as_uri()
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "TODO\n")
        assert len((await client.wait_for_publish(uri, version=1)).diagnostics) == 1
        (workspace / ".marginalia.toml").write_text('disabled_rules = ["example.marker"]\n', encoding="utf-8")
        count = len(client.history(uri))
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=(workspace / ".marginalia.toml").as_uri(), type=types.FileChangeType.Created)]
            )
        )
        assert (await client.wait_for_publish(uri, after=count)).diagnostics == []


async def test_one_engine_per_workspace_folder(server_env: dict[str, str], tmp_path: Path) -> None:
    quiet, loud = tmp_path / "quiet", tmp_path / "loud"
    quiet.mkdir()
    loud.mkdir()
    (quiet / ".marginalia.toml").write_text('disabled_rules = ["example.marker"]\n', encoding="utf-8")
    client = make_client()
    await client.start_io(sys.executable, "-m", "lsp_server", env=server_env)
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities(),
                workspace_folders=[types.WorkspaceFolder(uri=p.as_uri(), name=p.name) for p in (quiet, loud)],
                initialization_options=EXAMPLE_ONLY,
            )
        )
        client.open((quiet / "a.txt").as_uri(), "TODO\n")
        client.open((loud / "a.txt").as_uri(), "TODO\n")
        assert (await client.wait_for_publish((quiet / "a.txt").as_uri(), version=1)).diagnostics == []
        assert len((await client.wait_for_publish((loud / "a.txt").as_uri(), version=1)).diagnostics) == 1
    finally:
        await client.shutdown_session()
        await client.stop()


async def test_hover_explains_the_finding(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "h.txt").as_uri()
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "😀 a TODO\n\nplain words\n")
        await client.wait_for_publish(uri, version=1)
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=6))
        )
        nothing = await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=2, character=3))
        )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    text = hover.contents.value
    for fragment in ("'TODO' left in the text", "`example.marker`", "Marker words are notes to self", "'DONE'", "example: this paragraph mentions TODO"):
        assert fragment in text
    assert hover.range == rng(0, 5, 0, 9)
    assert nothing is None  # no finding there, and the plugin has nothing to say about that paragraph


async def test_completion_and_inline_completion(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "c.txt").as_uri()
    ident = types.TextDocumentIdentifier(uri=uri)
    async with running_server(server_env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "漢 DO\n")
        await client.wait_for_publish(uri, version=1)
        completion = await client.text_document_completion_async(types.CompletionParams(text_document=ident, position=types.Position(line=0, character=4)))
        inline = await client.text_document_inline_completion_async(
            types.InlineCompletionParams(
                text_document=ident,
                position=types.Position(line=0, character=4),
                context=types.InlineCompletionContext(trigger_kind=types.InlineCompletionTriggerKind.Invoked),
            )
        )
    assert isinstance(completion, types.CompletionList)
    (item,) = completion.items
    assert item.label == "DONE"
    assert isinstance(item.text_edit, types.TextEdit) and item.text_edit.range == rng(0, 2, 0, 4)
    assert isinstance(inline, types.InlineCompletionList)
    assert [i.insert_text for i in inline.items] == [" and so on."]


async def test_plugins_come_from_installed_packages_only(server_env: dict[str, str], workspace: Path) -> None:
    """Without the example package on the path the same document has no example findings."""
    uri = (workspace / "n.txt").as_uri()
    env = dict(server_env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in env["PYTHONPATH"].split(os.pathsep) if "example-plugin" not in p)
    async with running_server(env, workspace, init_options=EXAMPLE_ONLY) as client:
        client.open(uri, "TODO\n")
        assert (await client.wait_for_publish(uri, version=1)).diagnostics == []


async def test_status_notification_reports_languagetool_and_model(server_env: dict[str, str], workspace: Path) -> None:
    """VS Code's status bar reads marginalia/status: LanguageTool is off without an install, the model off by default."""
    uri = (workspace / "s.txt").as_uri()
    settings = only_plugins("example", "grammar", diagnostics={"debounce_ms": 0}, grammar={"mode": "off"})
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(uri, "A TODO here.\n")
        await client.wait_for_publish(uri, version=1)
        status = await client.wait_for(lambda: client.statuses[-1] if client.statuses else None, what="marginalia/status")
    assert status.languagetool.state == "off"
    assert status.model.state == "off"
    assert status.model.detail == "not enabled"
