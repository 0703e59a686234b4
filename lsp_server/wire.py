"""JSON that is already encoded, and sending it without encoding it again.

pygls turns every outgoing message into JSON through cattrs and ``json.dumps``.
For a book's diagnostics (thousands per message, on every keystroke) that costs
more than the check itself, so the server keeps each diagnostic as JSON text and
hands pygls an :class:`EncodedJson` as the params of a notification or the result
of a request; :func:`encoded_message` then assembles the message around it.
"""

from __future__ import annotations

import json
from typing import Any


class EncodedJson:
    """A JSON value as text, sent exactly as it is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"EncodedJson({self.text[:60]!r}...)" if len(self.text) > 60 else f"EncodedJson({self.text!r})"


def encoded_message(message: Any, version: str = "2.0") -> str | None:
    """The JSON-RPC text of a notification or response that carries :class:`EncodedJson`; else None."""
    params = getattr(message, "params", None)
    if isinstance(params, EncodedJson):
        return f'{{"jsonrpc":{json.dumps(version)},"method":{json.dumps(message.method)},"params":{params.text}}}'
    result = getattr(message, "result", None)
    if isinstance(result, EncodedJson):
        return f'{{"jsonrpc":{json.dumps(version)},"id":{json.dumps(message.id)},"result":{result.text}}}'
    return None
