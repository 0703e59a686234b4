/** "Marginalia: Rewrite selection…": pick a style, see the diff, apply. */
import * as vscode from 'vscode';
import { CodeActionRequest, CodeActionResolveRequest, CodeActionTriggerKind, type LanguageClient } from 'vscode-languageclient/node';

import { applyEdits, editsFor, REWRITE_KIND, rewriteChoices } from './rewrite';

const PREVIEW_SCHEME = 'marginalia-rewrite';
const previews = new Map<string, string>();
let providerRegistered = false;

function ensurePreviewProvider(): void {
  if (providerRegistered) {
    return;
  }
  providerRegistered = true;
  vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
    provideTextDocumentContent: (uri) => previews.get(uri.toString()) ?? '',
  });
}

export async function rewriteSelection(client: LanguageClient | undefined, log: vscode.LogOutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !client.isRunning()) {
    void vscode.window.showWarningMessage('Marginalia: the language server is not running.');
    return;
  }
  if (!editor || editor.selection.isEmpty) {
    void vscode.window.showInformationMessage('Marginalia: select the text to rewrite first.');
    return;
  }
  const document = editor.document;
  const version = document.version;
  const actions = await client.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
    range: client.code2ProtocolConverter.asRange(editor.selection),
    context: { diagnostics: [], only: [REWRITE_KIND], triggerKind: CodeActionTriggerKind.Invoked },
  });
  const choices = rewriteChoices(actions);
  if (choices.length === 0) {
    void vscode.window.showInformationMessage(
      'Marginalia: no rewrites for this selection. Rewriting needs a model; "marginalia doctor" says whether one is ready.',
    );
    return;
  }
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.label, choice: c })),
    { placeHolder: 'Rewrite the selection in which style?' },
  );
  if (!picked) {
    return;
  }
  const resolved = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Marginalia: ${picked.label}…`, cancellable: true },
    (_progress, token) => client.sendRequest(CodeActionResolveRequest.type, picked.choice.action, token),
  );
  const uri = client.code2ProtocolConverter.asUri(document.uri);
  const { edits } = editsFor(uri, resolved.edit);
  if (edits.length === 0) {
    void vscode.window.showInformationMessage('Marginalia: the model suggested no change.');
    return;
  }
  ensurePreviewProvider();
  const preview = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: document.uri.path, query: String(Date.now()) });
  previews.set(preview.toString(), applyEdits(document.getText(), document.languageId, edits));
  await vscode.commands.executeCommand('vscode.diff', document.uri, preview, `Rewrite: ${picked.label}`);
  const answer = await vscode.window.showInformationMessage(`Apply the "${picked.label}" rewrite?`, 'Apply', 'Discard');
  previews.delete(preview.toString());
  if (answer !== 'Apply') {
    return;
  }
  if (document.version !== version) {
    void vscode.window.showWarningMessage('Marginalia: the document changed since the rewrite was made; ask again.');
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(resolved.edit);
  if (!edit || !(await vscode.workspace.applyEdit(edit))) {
    log.warn('the rewrite could not be applied');
    void vscode.window.showWarningMessage('Marginalia: the rewrite could not be applied.');
  }
}
