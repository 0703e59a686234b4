"""A plugin that raises or hangs costs only its own findings, and says so once."""

from __future__ import annotations

from pathlib import Path

from lsp_harness import only_plugins, rng, running_server
from lsprotocol import types


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def test_raising_plugin_does_not_stop_a_healthy_one(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "a.txt").as_uri()
    settings = only_plugins("example", "example-twin", diagnostics={"debounce_ms": 0})
    text = "EXPLODE with a TODO and a FIXME\n\nA calm TODO paragraph.\n"
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(uri, text)
        first = await client.wait_for_publish(uri, version=1)
        for v in range(2, 6):  # keep typing in the failing paragraph
            client.change(uri, v, (rng(0, 7, 0, 7), "!"))
        last = await client.wait_for_publish(uri, version=5)
        failure_logs = [m for m in client.log_messages if "EXPLODE" in m.message]
    # The twin's FIXME and the example's finding in the healthy paragraph survive.
    assert codes(first.diagnostics) == ["example-twin.marker", "example.marker"]
    assert codes(last.diagnostics) == ["example-twin.marker", "example.marker"]
    # Only the paragraph that made the plugin raise lost its findings.
    assert [d.range.start.line for d in last.diagnostics if d.code == "example.marker"] == [2]
    assert len(failure_logs) == 1, [m.message for m in client.log_messages]
    assert failure_logs[0].type == types.MessageType.Warning


async def test_hanging_plugin_does_not_stop_a_healthy_one(server_env: dict[str, str], workspace: Path) -> None:
    uri = (workspace / "b.txt").as_uri()
    settings = only_plugins("example", "example-twin", plugin_time_limit=1.0, example={"sleep_seconds": 60})
    async with running_server(server_env, workspace, init_options=settings) as client:
        client.open(uri, "SNOOZE and a FIXME here\n")
        published = await client.wait_for_publish(uri, version=1, timeout=10)
        client.change(uri, 2, (rng(0, 0, 0, 0), "FIXME "))
        again = await client.wait_for_publish(uri, version=2, timeout=10)
        took = again.at - published.at
        hang_logs = [m for m in client.log_messages if "example" in m.message and ("longer" in m.message or "busy" in m.message)]
    assert codes(published.diagnostics) == ["example-twin.marker"]
    assert codes(again.diagnostics) == ["example-twin.marker", "example-twin.marker"]
    assert took < 2.0  # the stuck plugin is skipped, not waited for again
    assert len(hang_logs) == 1, [m.message for m in client.log_messages]
