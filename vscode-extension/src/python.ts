/** The interpreter the Python extension selected, through its public API (if installed). */
import * as vscode from 'vscode';

interface ResolvedEnvironment {
  executable?: { uri?: vscode.Uri };
}

interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(path: { path: string } | string): Promise<ResolvedEnvironment | undefined>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] };
  };
}

export async function selectedInterpreter(resource: vscode.Uri | undefined, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>('ms-python.python');
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    if (api.environments) {
      const env = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
      const path = env?.executable?.uri?.fsPath;
      if (path) {
        return path;
      }
    }
    return api.settings?.getExecutionDetails?.(resource)?.execCommand?.[0];
  } catch (error) {
    log.warn(`the Python extension did not name an interpreter: ${String(error)}`);
    return undefined;
  }
}
