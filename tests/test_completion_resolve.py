"""completionItem/resolve in the core: items carry their plugin and its opaque data, and
resolving goes back to that plugin through the isolating host; anything that goes wrong
returns the item as it came."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from lsprotocol import types

from lsp_server.assist import completion_items, resolve_completion_item
from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine
from lsp_server.plugin import CheckContext, LoadedPlugins, Plugin, Suggestion
from lsp_server.positions import LineIndex
from lsp_server.session import Snapshot

TEXT = "cite wi"


class Lazy(Plugin):
    """Two suggestions: one with resolve data (documented fully on resolve), one without."""

    name = "lazy"

    def __init__(self, behaviour: str = "ok") -> None:
        self.behaviour = behaviour
        self.release = threading.Event()
        self.seen: list[tuple[str, dict[str, str]]] = []

    def complete(self, doc: ProseDocument, offset: int, ctx: CheckContext) -> Iterable[Suggestion]:
        start = doc.source.rindex(" ", 0, offset) + 1
        return [
            Suggestion("wilson", "wilson", start, offset, documentation="quick", resolve_data={"key": "wilson"}),
            Suggestion("wide", "wide", start, offset, documentation="plain"),
        ]

    def resolve_suggestion(self, doc: ProseDocument, data: Mapping[str, str], ctx: CheckContext) -> str | None:
        self.seen.append((doc.source, dict(data)))
        if self.behaviour == "raise":
            raise RuntimeError("formatter broke")
        if self.behaviour == "slow":
            self.release.wait(5)
        if self.behaviour == "none":
            return None
        return f"**{data['key']}** in full ({ctx.settings.__class__.__name__})"


def engine(tmp_path: Path, plugin: Lazy, **settings: object) -> Engine:
    return Engine(tmp_path, {"plugin_time_limit": 0.3, **settings}, loaded=LoadedPlugins({"lazy": plugin}, {}))


def snapshot(tmp_path: Path, text: str = TEXT, version: int = 1) -> Snapshot:
    return Snapshot((tmp_path / "a.md").as_uri(), version, "markdown", LineIndex.build(text))


def items(eng: Engine, snap: Snapshot) -> dict[str, types.CompletionItem]:
    return {i.label: i for i in completion_items(eng, snap, len(snap.text))}


def doc_value(item: types.CompletionItem) -> str | None:
    return item.documentation.value if isinstance(item.documentation, types.MarkupContent) else None


def test_items_carry_their_plugin_and_data_only_when_resolvable(tmp_path: Path) -> None:
    snap = snapshot(tmp_path)
    got = items(engine(tmp_path, Lazy()), snap)
    assert got["wilson"].data == {"uri": snap.uri, "plugin": "lazy", "item": {"key": "wilson"}}
    assert doc_value(got["wilson"]) == "quick"
    assert got["wide"].data is None


def test_resolve_asks_the_plugin_on_the_current_buffer(tmp_path: Path) -> None:
    plugin = Lazy()
    eng = engine(tmp_path, plugin)
    item = items(eng, snapshot(tmp_path))["wilson"]
    # The user typed on before highlighting the item: the newer buffer is used.
    later = snapshot(tmp_path, TEXT + "l", version=2)
    resolved = resolve_completion_item(eng, later, item)
    assert doc_value(resolved) == "**wilson** in full (NoSettings)"
    assert plugin.seen == [(TEXT + "l", {"key": "wilson"})]
    assert resolved.label == "wilson" and resolved.text_edit == item.text_edit


@pytest.mark.parametrize("behaviour", ["raise", "slow", "none"])
def test_a_failing_slow_or_empty_resolve_keeps_the_quick_documentation(tmp_path: Path, behaviour: str) -> None:
    plugin = Lazy(behaviour)
    eng = engine(tmp_path, plugin)
    snap = snapshot(tmp_path)
    item = items(eng, snap)["wilson"]
    try:
        resolved = resolve_completion_item(eng, snap, item)
    finally:
        plugin.release.set()
    assert doc_value(resolved) == "quick"
    assert len(plugin.seen) == 1


@pytest.mark.parametrize(
    "data",
    [None, {}, {"uri": "x", "plugin": "gone", "item": {"key": "wilson"}}, {"plugin": "lazy", "item": "wilson"}, {"plugin": "lazy"}],
)
def test_items_without_usable_data_are_returned_unchanged(tmp_path: Path, data: object) -> None:
    plugin = Lazy()
    item = types.CompletionItem(label="x", data=data)
    assert resolve_completion_item(engine(tmp_path, plugin), snapshot(tmp_path), item) is item
    assert item.documentation is None and plugin.seen == []


def test_a_disabled_plugin_is_not_asked(tmp_path: Path) -> None:
    plugin = Lazy()
    item = types.CompletionItem(label="wilson", data={"uri": "x", "plugin": "lazy", "item": {"key": "wilson"}})
    resolved = resolve_completion_item(engine(tmp_path, plugin, disabled_plugins=["lazy"]), snapshot(tmp_path), item)
    assert resolved.documentation is None and plugin.seen == []
