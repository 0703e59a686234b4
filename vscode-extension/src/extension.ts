/**
 * Marginalia for VS Code: starts the language server and adds what an LSP client
 * cannot do alone (status bar, rewrite with a diff, reference list).
 */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  State,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { COMMANDS, LANGUAGES } from './commands';
import { selectedInterpreter } from './python';
import { formatReferences } from './referencesCommand';
import { rewriteSelection } from './rewriteCommand';
import { candidates, INSTALL_COMMAND, notFoundMessage, processProbe, resolveServer, type Launcher } from './serverCommand';
import { serverSettings, stripConfigurationResult } from './settings';
import { StatusBar } from './statusBar';
import { startPlan } from './trust';

const SECTION = 'marginalia';

export class Extension implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Marginalia', { log: true });
  readonly status = new StatusBar(COMMANDS.showOutput);
  client: LanguageClient | undefined;
  launcher: Launcher | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  async start(): Promise<void> {
    // Read once per start: granting trust restarts the server (see register()).
    const trusted = vscode.workspace.isTrusted;
    if (!trusted) {
      this.log.info('workspace not trusted: the server starts in restricted mode (see the README, "Workspace trust")');
    }
    this.status.setServer('starting');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    // Machine-scoped: only the user's own settings can name the server.
    const setting = vscode.workspace.getConfiguration(SECTION).get<string[]>('server.command', []);
    const pythonPath = trusted ? await selectedInterpreter(folder, this.log) : undefined;
    const list = candidates({ setting, pythonPath, trusted });
    const launcher = await resolveServer(list, processProbe());
    if (!launcher) {
      this.status.setServer('not-found');
      const message = notFoundMessage(list, trusted);
      this.log.error(message);
      void vscode.window.showErrorMessage(message, 'Copy install command', 'Open settings').then((choice) => {
        if (choice === 'Copy install command') {
          void vscode.env.clipboard.writeText(INSTALL_COMMAND);
        } else if (choice === 'Open settings') {
          void vscode.commands.executeCommand('workbench.action.openSettings', 'marginalia.server.command');
        }
      });
      return;
    }
    this.launcher = launcher;
    const plan = startPlan({
      trusted,
      folder: folder?.fsPath,
      home: homedir(),
      settings: serverSettings(vscode.workspace.getConfiguration(SECTION)),
    });
    this.log.info(`starting ${[launcher.command, ...launcher.args].join(' ')} (from ${launcher.source}${trusted ? '' : ', restricted mode'})`);
    const server: ServerOptions = { command: launcher.command, args: launcher.args, options: { cwd: plan.cwd } };
    const client = new LanguageClient('marginalia', 'Marginalia', server, this.clientOptions(plan.initializationOptions));
    const running = trusted ? 'running' : 'restricted';
    client.onDidChangeState((e) => {
      this.status.setServer(e.newState === State.Running ? running : e.newState === State.Starting ? 'starting' : 'stopped');
    });
    this.client = client;
    try {
      await client.start();
      this.status.listen(client);
    } catch (error) {
      this.status.setServer('stopped');
      const message = `Marginalia: the server (${launcher.command}) did not start: ${String(error)}`;
      this.log.error(message);
      void vscode.window.showErrorMessage(message, 'Show output').then((c) => c && this.log.show());
    }
  }

  clientOptions(initializationOptions: Record<string, unknown>): LanguageClientOptions {
    return {
      documentSelector: LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      outputChannel: this.log,
      initializationOptions,
      middleware: {
        workspace: {
          // The server checks its settings against its schema: keep the extension's keys out.
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) {
              return result;
            }
            return stripConfigurationResult(params.items.map((i) => i.section), result);
          },
        },
      },
    };
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.status.reset();
    if (client) {
      try {
        await client.stop(5000);
      } catch (error) {
        this.log.warn(`stopping the server: ${String(error)}`);
      }
    }
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (event.affectsConfiguration('marginalia.server')) {
      void this.restart();
    } else if (event.affectsConfiguration(SECTION) && this.client?.isRunning()) {
      // Pull model: the server asks for the new values with workspace/configuration.
      void this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }
  }

  register(context: vscode.ExtensionContext): void {
    const run = (id: string, fn: () => unknown): void => {
      this.disposables.push(vscode.commands.registerCommand(id, fn));
    };
    run(COMMANDS.restartServer, () => this.restart());
    run(COMMANDS.showOutput, () => this.log.show());
    run(COMMANDS.rewriteSelection, () => rewriteSelection(this.client, this.log));
    run(COMMANDS.formatReferences, () => formatReferences(this.launcher, this.log, vscode.workspace.isTrusted));
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()),
    );
    context.subscriptions.push(this);
  }

  dispose(): void {
    void this.stop();
    this.disposables.forEach((d) => d.dispose());
    this.status.dispose();
    this.log.dispose();
  }
}

let current: Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  current = new Extension();
  current.register(context);
  await current.start();
}

export async function deactivate(): Promise<void> {
  await current?.stop();
  current = undefined;
}
