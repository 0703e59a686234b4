"""Hover, completion (and its lazy resolve) and inline completion, built on the engine's worker thread.

Each function takes a :class:`Snapshot` and returns LSP objects whose ranges
refer to that snapshot; the server drops them if the document moved on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from lsprotocol import types

from lsp_server.engine import Engine
from lsp_server.plugin import Finding, Suggestion
from lsp_server.session import Snapshot

log = logging.getLogger(__name__)

_COMPLETION_KIND = {
    "text": types.CompletionItemKind.Text,
    "reference": types.CompletionItemKind.Reference,
    "snippet": types.CompletionItemKind.Snippet,
}


def finding_markdown(finding: Finding, original: str) -> str:
    """What a finding means, for a hover: message, rule id, explanation, replacements."""
    parts = [f"**{finding.message}**", f"`{finding.rule}` ({finding.plugin or 'core'})"]
    if finding.explanation:
        parts.append(finding.explanation)
    if finding.replacements:
        shown = ", ".join(f"'{r}'" if r else "(remove)" for r in finding.replacements[:5])
        parts.append(f"Replace '{original}' with {shown}")
    return "\n\n".join(parts)


def hover(engine: Engine, snapshot: Snapshot, offset: int, findings: Sequence[Finding]) -> types.Hover | None:
    here = [f for f in findings if f.start <= offset <= f.end and (f.start < f.end or f.start == offset)]
    sections = [finding_markdown(f, snapshot.text[f.start : f.end]) for f in here]
    sections += engine.hover(snapshot.parse(engine), offset)
    if not sections:
        return None
    hover_range = None
    if here:
        hover_range = snapshot.index.range_at(min(f.start for f in here), max(f.end for f in here))
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)),
        range=hover_range,
    )


def _edit_range(snapshot: Snapshot, suggestion: Suggestion, offset: int) -> types.Range:
    """The suggestion's span, kept on the cursor's line and around the cursor as LSP requires."""
    index = snapshot.index
    line = index.position_at(offset).line
    line_start, line_end = index.starts[line], index.content_end(line)
    start = min(max(suggestion.start, line_start), offset)
    end = max(min(suggestion.end, line_end), offset)
    return index.range_at(start, end)


def _markdown(text: str) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)


def completion_items(engine: Engine, snapshot: Snapshot, offset: int) -> list[types.CompletionItem]:
    doc = snapshot.parse(engine)
    items = []
    for plugin, s in engine.complete_by_plugin(doc, offset):
        snippet = s.kind == "snippet"
        data = None if s.resolve_data is None else {"uri": snapshot.uri, "plugin": plugin, "item": dict(s.resolve_data)}
        items.append(
            types.CompletionItem(
                label=s.label,
                kind=_COMPLETION_KIND.get(s.kind, types.CompletionItemKind.Text),
                detail=s.detail or None,
                documentation=_markdown(s.documentation) if s.documentation else None,
                text_edit=types.TextEdit(range=_edit_range(snapshot, s, offset), new_text=s.text),
                filter_text=s.filter_text,
                sort_text=s.sort_text,
                insert_text_format=types.InsertTextFormat.Snippet if snippet else types.InsertTextFormat.PlainText,
                data=data,
            )
        )
    return items


def resolve_completion_item(engine: Engine, snapshot: Snapshot, item: types.CompletionItem) -> types.CompletionItem:
    """The item with its plugin's full documentation; unchanged when the plugin is gone, has none or fails.

    The current buffer is used even if the item came from an older version: the
    documentation does not depend on positions, and clients resolve items while
    the user goes on typing the prefix they filter by.
    """
    data = item.data if isinstance(item.data, Mapping) else {}
    name, payload = data.get("plugin"), data.get("item")
    if not isinstance(name, str) or not isinstance(payload, Mapping) or name not in engine.enabled_plugins():
        return item
    fields = {str(k): str(v) for k, v in payload.items()}
    # The host logs a failure once and gives up at the time limit: a resolve never takes the server down.
    text, problem = engine.resolve_suggestion(name, snapshot.parse(engine), fields)
    if problem is not None:
        log.info("completion item %r not resolved: %s", item.label, problem)
    if not text:
        return item
    item.documentation = _markdown(text)  # the request's own copy, decoded for this call
    return item


def inline_items(engine: Engine, snapshot: Snapshot, offset: int) -> list[types.InlineCompletionItem]:
    return [
        types.InlineCompletionItem(
            insert_text=s.text,
            filter_text=s.filter_text,
            range=snapshot.index.range_at(min(s.start, offset), max(s.end, offset)),
        )
        for s in engine.inline_complete(snapshot.parse(engine), offset)
    ]
