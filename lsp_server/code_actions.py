"""Code actions for findings and selections, built against one document version.

Runs on the engine's worker thread.  Every edit names the exact version it was
computed for (a versioned text document edit), so a client applying it to a
newer buffer refuses instead of corrupting text.  What a user can do beyond an
edit (add a word, disable a rule) is a *server-side* command that writes a
workspace file, so it works in every editor and ``marginalia lint`` sees it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from lsp_server.documents.model import ProseDocument
from lsp_server.engine import Engine
from lsp_server.magic import comment_for, insertion_offset
from lsp_server.plugin import Action, Finding
from lsp_server.session import Snapshot

ADD_TO_DICTIONARY = "marginalia.addToDictionary"
DISABLE_RULE = "marginalia.disableRule"
CORE_COMMANDS = (ADD_TO_DICTIONARY, DISABLE_RULE)
MAX_REPLACEMENTS = 5
QUICKFIX = types.CodeActionKind.QuickFix.value


@dataclass(frozen=True)
class ActionRequest:
    snapshot: Snapshot
    start: int
    end: int
    findings: tuple[Finding, ...]
    # context.only from the client: kinds it asked for (None = all)
    only: tuple[str, ...] | None = None
    # whether the client understands versioned documentChanges
    document_changes: bool = True
    has_root: bool = True


def workspace_edit(snapshot: Snapshot, edits: Iterable[tuple[int, int, str]], document_changes: bool = True) -> types.WorkspaceEdit:
    """Edits in code points on ``snapshot`` -> a WorkspaceEdit pinned to its version."""
    text_edits = [types.TextEdit(range=snapshot.index.range_at(s, e), new_text=t) for s, e, t in edits]
    if not document_changes:
        return types.WorkspaceEdit(changes={snapshot.uri: text_edits})
    ident = types.OptionalVersionedTextDocumentIdentifier(uri=snapshot.uri, version=snapshot.version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=ident, edits=list(text_edits))])


def _kind_wanted(kind: str, only: tuple[str, ...] | None) -> bool:
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def _word_of(snapshot: Snapshot, finding: Finding) -> str:
    data = finding.data or {}
    word = data.get("word")
    return word if isinstance(word, str) and word else snapshot.text[finding.start : finding.end]


def _is_lazy(action: Action) -> bool:
    return action.data is not None and action.edit is None and action.command is None


def plugin_action(req: ActionRequest, plugin: str, action: Action, diagnostics: list[types.Diagnostic] | None = None) -> types.CodeAction:
    """A plugin's :class:`Action` as an LSP code action (lazy ones resolve later)."""
    out = types.CodeAction(title=action.title, kind=action.kind, diagnostics=diagnostics, is_preferred=action.preferred or None)
    if action.edit is not None:
        out.edit = workspace_edit(req.snapshot, [action.edit], req.document_changes)
    if action.command is not None:
        out.command = types.Command(title=action.title, command=action.command, arguments=list(action.arguments))
    if _is_lazy(action):
        out.data = {"uri": req.snapshot.uri, "version": req.snapshot.version, "plugin": plugin, "title": action.title, "kind": action.kind, "data": action.data}
    return out


def _finding_actions(engine: Engine, doc: ProseDocument, req: ActionRequest, finding: Finding, seen_core: set[tuple[str, str]]) -> list[types.CodeAction]:
    snap = req.snapshot
    original = snap.text[finding.start : finding.end]
    out: list[types.CodeAction] = []
    if _kind_wanted(QUICKFIX, req.only):
        # One plugin call: lazy replacements (spelling's cost ~0.1 s a word) are the plugin's
        # edit actions on exactly the finding's span, as in Engine.replacements_for.
        plugin_actions = engine.actions(doc, finding)
        lazy = [a.edit[2] for a in plugin_actions if a.edit is not None and a.edit[:2] == (finding.start, finding.end)]
        candidates = list(finding.replacements) or lazy
        replacements = [r for r in dict.fromkeys(candidates) if r != original][:MAX_REPLACEMENTS]
        for i, text in enumerate(replacements):
            title = f"Replace with '{text}'" if text else f"Remove '{original}'"
            out.append(
                types.CodeAction(
                    title=title,
                    kind=QUICKFIX,
                    is_preferred=(i == 0) or None,
                    edit=workspace_edit(snap, [(finding.start, finding.end, text)], req.document_changes),
                )
            )
        shown = {(finding.start, finding.end, r) for r in candidates}
        for action in plugin_actions:
            if action.edit is not None and action.edit in shown:
                continue  # already offered as "Replace with"
            if action.command in CORE_COMMANDS:
                continue  # offered below by the core, with the document's URI so the right workspace gets it
            if _kind_wanted(action.kind, req.only):
                out.append(plugin_action(req, finding.plugin, action))
    if not _kind_wanted(QUICKFIX, req.only):
        return out
    rule = finding.rule
    if rule.startswith("spelling.") and ("word", _word_of(snap, finding)) not in seen_core:
        word = _word_of(snap, finding)
        seen_core.add(("word", word))
        out.append(
            types.CodeAction(
                title=f"Add '{word}' to the workspace dictionary",
                kind=QUICKFIX,
                command=types.Command(title="Add to dictionary", command=ADD_TO_DICTIONARY, arguments=[{"uri": snap.uri, "word": word}]),
            )
        )
    if ("rule", rule) not in seen_core:
        seen_core.add(("rule", rule))
        comment = comment_for(snap.language_id, f"disable={rule}")
        at = insertion_offset(snap.text, snap.language_id)
        out.append(
            types.CodeAction(
                title=f"Ignore {rule} in this file",
                kind=QUICKFIX,
                edit=workspace_edit(snap, [(at, at, comment)], req.document_changes),
            )
        )
        if req.has_root:
            out.append(
                types.CodeAction(
                    title=f"Disable {rule} in this workspace",
                    kind=QUICKFIX,
                    command=types.Command(title="Disable rule", command=DISABLE_RULE, arguments=[{"uri": snap.uri, "rule": rule}]),
                )
            )
    return out


def code_actions(engine: Engine, req: ActionRequest) -> list[types.CodeAction]:
    """Quick fixes for every finding in the range, then the plugins' selection actions."""
    doc = req.snapshot.parse(engine)
    out: list[types.CodeAction] = []
    seen_core: set[tuple[str, str]] = set()
    for finding in req.findings:
        out.extend(_finding_actions(engine, doc, req, finding, seen_core))
    for plugin, action in engine.range_actions(doc, req.start, req.end):
        if _kind_wanted(action.kind, req.only):
            out.append(plugin_action(req, plugin, action))
    return out


class StaleAction(Exception):
    """The document changed since the action was offered."""


def resolve_code_action(engine: Engine, snapshot: Snapshot, action: types.CodeAction, document_changes: bool = True) -> types.CodeAction:
    """Complete a lazy action by asking its plugin; raise ValueError if it declines."""
    data: Any = action.data
    if not isinstance(data, dict) or "plugin" not in data:
        return action  # nothing to resolve
    if data.get("version") != snapshot.version:
        raise StaleAction(f"{snapshot.uri} changed since this action was offered")
    lazy = Action(title=str(data.get("title", action.title)), kind=str(data.get("kind", action.kind or QUICKFIX)), data=data.get("data"))
    resolved, problem = engine.resolve_action(str(data["plugin"]), snapshot.parse(engine), lazy)
    if resolved is None:
        raise ValueError(problem or f"{action.title}: the plugin had nothing to offer")
    req = ActionRequest(snapshot, 0, 0, (), document_changes=document_changes)
    done = plugin_action(req, str(data["plugin"]), resolved)
    if _is_lazy(resolved):
        raise ValueError(f"{action.title}: the plugin returned no edit or command")
    action.edit, action.command, action.title = done.edit, done.command, resolved.title
    return action
