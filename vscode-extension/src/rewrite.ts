/**
 * Pure helpers for "Rewrite selection…": which of the server's code actions are
 * rewrites, and what the document would read like after one (for the diff).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Command, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

export const REWRITE_KIND = 'refactor.rewrite';
const TITLE_PREFIX = 'Rewrite: ';

export interface RewriteChoice {
  /** The style as the user picks it, e.g. "More concise". */
  label: string;
  action: CodeAction;
}

function isCodeAction(item: Command | CodeAction): item is CodeAction {
  return typeof (item as Command).command !== 'string';
}

/** The rewrite actions among a code action answer, in the server's order. */
export function rewriteChoices(items: readonly (Command | CodeAction)[] | null | undefined): RewriteChoice[] {
  return (items ?? [])
    .filter(isCodeAction)
    .filter((a) => a.kind === REWRITE_KIND || (a.kind ?? '').startsWith(REWRITE_KIND + '.'))
    .map((action) => ({
      label: action.title.startsWith(TITLE_PREFIX) ? action.title.slice(TITLE_PREFIX.length) : action.title,
      action,
    }));
}

/** The edits a workspace edit makes to `uri` (versioned or plain form), and the version it was made for. */
export function editsFor(uri: string, edit: WorkspaceEdit | undefined): { edits: TextEdit[]; version: number | null } {
  const edits: TextEdit[] = [];
  let version: number | null = null;
  for (const change of edit?.documentChanges ?? []) {
    if ('textDocument' in change && change.textDocument.uri === uri) {
      version = change.textDocument.version;
      for (const e of change.edits) {
        // Snippet edits (LSP 3.18) carry a snippet, not text: the server never sends them.
        if ('newText' in e) {
          edits.push({ range: e.range, newText: e.newText });
        }
      }
    }
  }
  edits.push(...(edit?.changes?.[uri] ?? []));
  return { edits, version };
}

/** `text` after `edits` (LSP positions, UTF-16 columns): the right side of the diff. */
export function applyEdits(text: string, languageId: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('marginalia:preview', languageId, 0, text), [...edits]);
}
