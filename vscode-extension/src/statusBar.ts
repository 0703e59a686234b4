/** The three status bar items: server, LanguageTool, model. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

import {
  languageToolText,
  modelText,
  parseComponent,
  serverText,
  STATUS_NOTIFICATION,
  type ServerState,
  type StatusText,
} from './status';

export class StatusBar implements vscode.Disposable {
  private readonly server = vscode.window.createStatusBarItem('marginalia.server', vscode.StatusBarAlignment.Right, 100);
  private readonly languageTool = vscode.window.createStatusBarItem('marginalia.languagetool', vscode.StatusBarAlignment.Right, 99);
  private readonly model = vscode.window.createStatusBarItem('marginalia.model', vscode.StatusBarAlignment.Right, 98);
  private listener: vscode.Disposable | undefined;

  constructor(showOutputCommand: string) {
    this.server.name = 'Marginalia server';
    this.languageTool.name = 'Marginalia LanguageTool';
    this.model.name = 'Marginalia model';
    for (const item of [this.server, this.languageTool, this.model]) {
      item.command = showOutputCommand;
    }
    this.server.show();
  }

  setServer(state: ServerState): void {
    StatusBar.paint(this.server, serverText(state));
  }

  /** Follow the server's `marginalia/status` notifications (hidden until the first arrives). */
  listen(client: LanguageClient): void {
    this.listener?.dispose();
    this.listener = client.onNotification(STATUS_NOTIFICATION, (params: unknown) => {
      const p = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
      const lt = parseComponent(p.languagetool);
      const model = parseComponent(p.model);
      if (lt) {
        StatusBar.paint(this.languageTool, languageToolText(lt));
        this.languageTool.show();
      }
      if (model) {
        StatusBar.paint(this.model, modelText(model));
        this.model.show();
      }
    });
  }

  reset(): void {
    this.listener?.dispose();
    this.listener = undefined;
    this.languageTool.hide();
    this.model.hide();
    this.setServer('stopped');
  }

  private static paint(item: vscode.StatusBarItem, text: StatusText): void {
    item.text = text.text;
    item.tooltip = text.tooltip;
    item.backgroundColor = text.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.listener?.dispose();
    this.server.dispose();
    this.languageTool.dispose();
    this.model.dispose();
  }
}
