/**
 * How the extension finds the language server, without touching VS Code's API so
 * that the order can be unit-tested: the `marginalia.server.command` setting, else
 * the Python extension's interpreter running `python -m lsp_server`, else
 * `marginalia serve --stdio` from PATH.
 */
import { execFile } from 'node:child_process';

export type LauncherSource = 'setting' | 'python' | 'path';

export interface Launcher {
  command: string;
  args: string[];
  source: LauncherSource;
}

/** Runs `command args` and says whether it exited 0 in time. */
export type Probe = (command: string, args: string[]) => Promise<boolean>;

export const INSTALL_COMMAND = 'python -m pip install marginalia';
export const PATH_COMMAND = 'marginalia';

export interface CandidateInput {
  /** `marginalia.server.command`: the executable then its arguments; empty when unset. */
  setting: readonly string[];
  /** The interpreter the Python extension selected for this workspace, if any. */
  pythonPath?: string;
  /**
   * Whether the workspace is trusted (default true). An untrusted one never runs the selected
   * interpreter: it may be the workspace's own `.venv`, i.e. a program the workspace chose.
   */
  trusted?: boolean;
}

/** Every launcher worth trying, in the order they are tried. */
export function candidates(input: CandidateInput): Launcher[] {
  const out: Launcher[] = [];
  const setting = input.setting.map((part) => part.trim()).filter((part) => part.length > 0);
  if (setting.length > 0) {
    out.push({ command: setting[0], args: setting.slice(1), source: 'setting' });
  }
  if (input.pythonPath && input.trusted !== false) {
    out.push({ command: input.pythonPath, args: ['-m', 'lsp_server'], source: 'python' });
  }
  out.push({ command: PATH_COMMAND, args: ['serve', '--stdio'], source: 'path' });
  return out;
}

/**
 * A cheap command that succeeds exactly when the launcher can start the server; a
 * launcher the user wrote into the settings is trusted as it is (null: no probe).
 */
export function probeFor(launcher: Launcher): [string, string[]] | null {
  switch (launcher.source) {
    case 'setting':
      return null;
    case 'python':
      return [launcher.command, ['-c', 'import lsp_server.server']];
    case 'path':
      return [launcher.command, ['--version']];
  }
}

/** The first launcher whose probe passes, or undefined when none does. */
export async function resolveServer(list: readonly Launcher[], probe: Probe): Promise<Launcher | undefined> {
  for (const launcher of list) {
    const check = probeFor(launcher);
    if (check === null || (await probe(check[0], check[1]))) {
      return launcher;
    }
  }
  return undefined;
}

/**
 * The `marginalia` command line that belongs to a server launcher (for `cite format`):
 * the same executable with the `serve` arguments dropped, or the module's CLI.
 */
export function cliFor(launcher: Launcher): { command: string; args: string[] } | undefined {
  const { command, args } = launcher;
  if (args.length >= 2 && args[0] === '-m' && args[1] === 'lsp_server') {
    return { command, args: ['-m', 'lsp_server.cli'] };
  }
  const serve = args.indexOf('serve');
  if (serve >= 0) {
    return { command, args: args.slice(0, serve) };
  }
  return undefined;
}

/** The one message shown when nothing can start the server. */
export function notFoundMessage(tried: readonly Launcher[], trusted = true): string {
  const names = tried.map((l) => [l.command, ...l.args].join(' ')).join('; ');
  const untrusted = trusted
    ? ''
    : ' In an untrusted workspace the Python extension\'s interpreter is not used: trust the workspace, ' +
      'or set "marginalia.server.command" in your user settings.';
  return (
    'Marginalia: no language server found (tried: ' + names + '). ' +
    'Install it into your Python environment with `' + INSTALL_COMMAND + '`, ' +
    'or set "marginalia.server.command".' + untrusted
  );
}

/** A probe that runs the command with a time limit and no shell. */
export function processProbe(timeoutMs = 15000): Probe {
  return (command, args) =>
    new Promise((resolve) => {
      execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error) => resolve(error === null));
    });
}
