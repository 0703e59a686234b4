/** "Marginalia: Format reference list": `marginalia cite format` on a .bib file, shown in a new editor. */
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import * as vscode from 'vscode';

import { citeFormatArgs, referenceFormat } from './references';
import { cliFor, type Launcher } from './serverCommand';
import { commandCwd } from './trust';

function run(command: string, args: string[], cwd: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: 60000, maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(stderr.trim() || error.message));
      } else {
        resolve(stdout);
      }
    });
  });
}

async function pickBibliography(): Promise<vscode.Uri | undefined> {
  const found = await vscode.workspace.findFiles('**/*.bib', '**/node_modules/**', 200);
  if (found.length <= 1) {
    return found[0];
  }
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: 'Which bibliography?' },
  );
  return picked?.uri;
}

export async function formatReferences(launcher: Launcher | undefined, log: vscode.LogOutputChannel, trusted: boolean): Promise<void> {
  const cli = launcher ? cliFor(launcher) : undefined;
  if (!cli) {
    void vscode.window.showWarningMessage(
      'Marginalia: formatting references needs the marginalia command line; start the server from "marginalia" or Python.',
    );
    return;
  }
  const bib = await pickBibliography();
  if (!bib) {
    void vscode.window.showInformationMessage('Marginalia: no .bib file in this workspace.');
    return;
  }
  const languageId = vscode.window.activeTextEditor?.document.languageId;
  const style = vscode.workspace.getConfiguration('marginalia', bib).get<string>('citations.style', 'apa');
  const folder = vscode.workspace.getWorkspaceFolder(bib)?.uri.fsPath;
  try {
    const cwd = commandCwd(trusted, folder, homedir());
    const text = await run(cli.command, [...cli.args, ...citeFormatArgs(bib.fsPath, style, languageId)], cwd);
    const format = referenceFormat(languageId);
    const doc = await vscode.workspace.openTextDocument({ content: text, language: format === 'text' ? 'plaintext' : format });
    await vscode.window.showTextDocument(doc, { preview: false });
  } catch (error) {
    log.error(`cite format: ${String(error)}`);
    void vscode.window.showErrorMessage(`Marginalia: the reference list could not be formatted: ${String(error)}`);
  }
}
