/**
 * Workspace trust as pure functions (unit-tested without VS Code): how the server is
 * started in an untrusted workspace, where VS Code runs the extension in restricted mode.
 *
 * The server then runs in its own restricted mode (see `initializationOptions` below):
 * the workspace's `.marginalia.toml` may not choose programs, servers, models, credentials
 * or dictionary files, and no model runs. VS Code itself already ignores the workspace's
 * values of the settings package.json lists under `restrictedConfigurations`.
 */
import type { JsonObject } from './settings';

/** The initializationOptions key that asks the server for restricted mode (lsp_server.trust.UNTRUSTED_OPTION). */
export const UNTRUSTED_OPTION = 'untrustedWorkspace';
export const SECTION = 'marginalia';

export interface StartInput {
  trusted: boolean;
  /** The first workspace folder, if any. */
  folder?: string;
  /** The user's home folder. */
  home: string;
  /** The server's settings: the `marginalia` section without the extension's own keys. */
  settings: JsonObject;
}

export interface StartPlan {
  /** Working folder of the server process. */
  cwd: string | undefined;
  initializationOptions: JsonObject;
}

/**
 * How to start the server. An untrusted workspace is never the working folder: `python -m`
 * imports modules from it before the installed ones, and Windows looks for programs there.
 */
export function startPlan(input: StartInput): StartPlan {
  const options: JsonObject = { [SECTION]: input.settings };
  if (input.trusted) {
    return { cwd: input.folder, initializationOptions: options };
  }
  return { cwd: input.home, initializationOptions: { ...options, [UNTRUSTED_OPTION]: true } };
}

/** Working folder for other commands the extension runs (`marginalia cite format`), by the same rule. */
export function commandCwd(trusted: boolean, folder: string | undefined, home: string): string | undefined {
  return trusted ? folder : home;
}
