"""pygls' workspace, with documents that follow LSP line rules and stay fast on a book.

Documents live in pygls' :class:`~pygls.workspace.Workspace` as usual; the
subclasses here change only what pygls gets wrong for prose:

* lines end at ``\\r\\n``/``\\n``/``\\r`` only (pygls splits at ``\\f``, ``\\u2028`` …);
* the line index is cached per text and updated by each incremental change, so
  positions convert without re-splitting the whole document;
* an incremental change is one splice at two offsets instead of a rebuild line
  by line, and out-of-range change positions are clamped.

The protocol subclass also picks the position encoding (UTF-32 when offered,
since it needs no conversion), installs this workspace at ``initialize``, and
sends messages that carry already encoded JSON (see :mod:`lsp_server.wire`)
without encoding them again.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Generator, Sequence
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.workspace import TextDocument, Workspace

from lsp_server.positions import LineIndex, choose_encoding, normalize_encoding
from lsp_server.wire import encoded_message

log = logging.getLogger(__name__)
_WRITES: set[asyncio.Future[Any]] = set()


class LspTextDocument(TextDocument):
    """A pygls text document with an LSP-correct, cached :class:`LineIndex`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._index: LineIndex | None = None

    @property
    def encoding(self) -> str:
        return normalize_encoding(self.position_codec.encoding)

    @property
    def index(self) -> LineIndex:
        """The line index of the current text (rebuilt only after the text changed)."""
        source = self.source
        if self._index is None or self._index.text is not source:
            self._index = LineIndex.build(source, self.encoding)
        return self._index

    @property
    def lines(self) -> Sequence[str]:
        return self.index.lines()

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        index = self.index
        start, end = index.offsets_of(change.range)
        self._index = index.edited(start, end, change.text)
        self._source = self._index.text

    def offset_at_position(self, client_position: types.Position) -> int:
        return self.index.offset_of(client_position)

    def client_position_at_offset(self, offset: int) -> types.Position:
        return self.index.position_at(offset)


class LspWorkspace(Workspace):
    """Creates :class:`LspTextDocument` instead of pygls' default document."""

    @classmethod
    def replacing(cls, ws: Workspace, sync_kind: types.TextDocumentSyncKind) -> LspWorkspace:
        return cls(ws.root_uri, sync_kind, list(ws.folders.values()), ws.position_encoding)

    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source=source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self.position_codec,
        )


class MarginaliaProtocol(LanguageServerProtocol):
    """pygls' protocol with our encoding choice and our workspace."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            # pygls takes the client's first choice; put the cheapest exact one first.
            chosen = choose_encoding(list(general.position_encodings))
            general.position_encodings = [types.PositionEncodingKind(chosen)]
        gen = super().lsp_initialize(params)
        try:
            request = next(gen)  # pygls has created its workspace; no document is open yet
            self._adopt_workspace()
            while True:
                result = yield request
                request = gen.send(result)
        except StopIteration as stop:
            self._adopt_workspace()
            return stop.value  # type: ignore[no-any-return]

    def _adopt_workspace(self) -> None:
        if not isinstance(self._workspace, LspWorkspace) and self._workspace is not None:
            self._workspace = LspWorkspace.replacing(self._workspace, self._server._text_document_sync_kind)

    def _send_data(self, data: Any) -> None:
        # pygls' own method, with one addition: a message around EncodedJson is written as it is.
        body = encoded_message(data, self.VERSION) if data else None
        if body is None or self.writer is None:
            super()._send_data(data)
            return
        raw = body.encode(self.CHARSET)
        if self._include_headers:
            header = f"Content-Length: {len(raw)}\r\nContent-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
            raw = header.encode("ascii") + raw
        try:
            res = self.writer.write(raw)
            if inspect.isawaitable(res):
                task = asyncio.ensure_future(res)
                _WRITES.add(task)  # the loop keeps only a weak reference
                task.add_done_callback(_WRITES.discard)
        except BrokenPipeError:
            log.exception("sending data: broken pipe")
            raise
        except Exception as error:  # reported to the client, as pygls does
            log.exception("sending data failed")
            self._server._report_server_error(error, JsonRpcInternalError)
