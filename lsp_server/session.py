"""Open documents, one Engine per workspace root, and immutable snapshots.

The mutable state (pygls' workspace, settings, the engines) is touched only on
the event loop.  Background work gets a :class:`Snapshot`: the exact text and
version it was asked about, with its line index, so results can be tagged with
that version and edits computed against it.

Each engine is used by one worker thread only (:class:`EngineSlot`): checks,
code actions and hovers on the same workspace queue behind each other instead
of racing inside the plugin host, which skips a plugin that is still busy.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from pygls.uris import to_fs_path
from pygls.workspace import Workspace

from lsp_server.config import deep_merge
from lsp_server.documents import normalize_language_id
from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine
from lsp_server.positions import LineIndex
from lsp_server.text_document import LspTextDocument

log = logging.getLogger(__name__)
T = TypeVar("T")

EngineFactory = Callable[[Path | None, Mapping[str, Any]], Engine]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One version of one open document, safe to hand to another thread."""

    uri: str
    version: int
    language_id: str
    index: LineIndex

    @property
    def text(self) -> str:
        return self.index.text

    @property
    def path(self) -> Path | None:
        fs = to_fs_path(self.uri)
        return Path(fs) if fs else None

    def parse(self, engine: Engine) -> ProseDocument:
        return engine.parse(self.text, self.language_id, self.uri, self.version)


def unsuitable_reason(text: str, max_file_kb: int) -> str | None:
    """Why a document is not checked (too big, binary), or None if it is fine."""
    if "\x00" in text:
        return "it contains NUL bytes, so it looks like a binary file"
    limit = max_file_kb * 1024
    if len(text) * 4 > limit:  # only then can the UTF-8 size exceed the limit
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > limit:
            return (
                f"it is {size / 1024:,.0f} KB, more than core.diagnostics.max_file_kb = {max_file_kb} KB"
            )
    return None


class EngineSlot:
    """A workspace root's Engine and the single worker thread that uses it."""

    def __init__(self, root: Path | None, engine: Engine) -> None:
        self.root = root
        self.engine = engine
        self._worker = cf.ThreadPoolExecutor(1, thread_name_prefix=f"engine-{root.name if root else 'none'}")
        # Completions may wait on a model for seconds: they get their own thread so
        # diagnostics never queue behind a generation.
        self._assist = cf.ThreadPoolExecutor(1, thread_name_prefix=f"assist-{root.name if root else 'none'}")
        # Settings problems already shown, so a reload with the same mistakes stays quiet.
        self.reported_messages: tuple[str, ...] = ()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on this engine's worker.  Cancelling the caller drops queued work;
        work already running is abandoned (its result ignored) and bounded by plugin time limits."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn, *args)

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Queue ``fn`` on this engine's worker without waiting: after the checks already queued."""
        with contextlib.suppress(RuntimeError):  # shut down: nothing is left to clean up
            self._worker.submit(fn, *args)

    async def run_assist(self, fn: Callable[..., T], *args: Any) -> T:
        """Like :meth:`run`, on the completion thread."""
        return await asyncio.get_running_loop().run_in_executor(self._assist, fn, *args)

    def shutdown(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
        self._assist.shutdown(wait=False, cancel_futures=True)
        try:
            self.engine.shutdown()
        except Exception as exc:  # noqa: BLE001 - shutting down must not fail
            log.warning("engine shutdown: %s", exc)


class Session:
    """Workspace roots, their engines and the editor's settings."""

    def __init__(self, engine_factory: EngineFactory | None = None) -> None:
        self._factory: EngineFactory = engine_factory or (lambda root, settings: Engine(root, settings))
        self.slots: dict[Path | None, EngineSlot] = {}
        self.roots: list[Path] = []
        # Settings pushed by the editor (initializationOptions, didChangeConfiguration) ...
        self.editor_settings: dict[str, Any] = {}
        # ... and pulled per workspace folder (workspace/configuration with a scope).
        self.folder_settings: dict[Path, dict[str, Any]] = {}

    # -- roots and engines -----------------------------------------------------
    def set_roots(self, roots: Iterable[Path]) -> None:
        self.roots = sorted({r.resolve() for r in roots}, key=lambda p: len(p.parts), reverse=True)

    @staticmethod
    def roots_of(workspace: Workspace) -> list[Path]:
        uris = [f.uri for f in workspace.folders.values()] or ([workspace.root_uri] if workspace.root_uri else [])
        paths = [to_fs_path(u) for u in uris]
        return [Path(p) for p in paths if p]

    def settings_for(self, root: Path | None) -> dict[str, Any]:
        return deep_merge(self.editor_settings, self.folder_settings.get(root, {})) if root else dict(self.editor_settings)

    def root_for(self, path: Path | None) -> Path | None:
        """The innermost workspace root containing ``path`` (None outside every root)."""
        if path is None:
            return self.roots[-1] if len(self.roots) == 1 else None
        resolved = path.resolve()
        for root in self.roots:  # deepest first
            if resolved.is_relative_to(root):
                return root
        return None

    def slot_for_root(self, root: Path | None) -> EngineSlot:
        slot = self.slots.get(root)
        if slot is None:
            slot = EngineSlot(root, self._factory(root, self.settings_for(root)))
            self.slots[root] = slot
        return slot

    def slot_for(self, snapshot_or_path: Snapshot | Path | None) -> EngineSlot:
        path = snapshot_or_path.path if isinstance(snapshot_or_path, Snapshot) else snapshot_or_path
        return self.slot_for_root(self.root_for(path))

    def drop_root(self, root: Path) -> None:
        slot = self.slots.pop(root, None)
        if slot is not None:
            slot.shutdown()

    def shutdown(self) -> None:
        for slot in self.slots.values():
            slot.shutdown()
        self.slots.clear()

    # -- documents -------------------------------------------------------------
    @staticmethod
    def document(workspace: Workspace, uri: str) -> LspTextDocument | None:
        """The open document at ``uri``; never pygls' fallback of reading the file from disk."""
        doc = workspace.text_documents.get(unquote(uri))
        return doc if isinstance(doc, LspTextDocument) else None

    @classmethod
    def snapshot(cls, workspace: Workspace, uri: str) -> Snapshot | None:
        doc = cls.document(workspace, uri)
        if doc is None:
            return None
        return Snapshot(doc.uri, doc.version or 0, normalize_language_id(doc.language_id, doc.path), doc.index)

    @staticmethod
    def open_uris(workspace: Workspace) -> list[str]:
        return [doc.uri for doc in workspace.text_documents.values()]
