/**
 * What the three status bar items say. Pure functions of the states, so they are
 * unit-tested without VS Code.
 *
 * LanguageTool and model states come from a `marginalia/status` notification
 * (see {@link StatusParams}); until a server sends one those two items stay hidden.
 */

/** `restricted`: running in restricted mode because the workspace is not trusted. */
export type ServerState = 'starting' | 'running' | 'restricted' | 'stopped' | 'not-found';

export interface ComponentStatus {
  state: 'off' | 'starting' | 'loading' | 'ready' | 'failed';
  /** 0..100 while loading, when known. */
  progress?: number;
  /** Where a model runs once ready, e.g. "cuda" or "cpu". */
  device?: string;
  /** One line: why it failed, or what it is. */
  detail?: string;
}

/** The params of the `marginalia/status` notification. */
export interface StatusParams {
  languagetool?: ComponentStatus;
  model?: ComponentStatus;
}

export const STATUS_NOTIFICATION = 'marginalia/status';

export interface StatusText {
  text: string;
  tooltip: string;
  /** Whether to draw it as an error (statusBarItem.errorBackground). */
  error: boolean;
}

export function serverText(state: ServerState): StatusText {
  switch (state) {
    case 'starting':
      return { text: '$(sync~spin) Marginalia', tooltip: 'Marginalia: the language server is starting', error: false };
    case 'running':
      return { text: '$(check) Marginalia', tooltip: 'Marginalia: the language server is running. Click for its output.', error: false };
    case 'restricted':
      return {
        text: '$(shield) Marginalia',
        tooltip:
          'Marginalia runs in restricted mode in this untrusted workspace: spelling, grammar rules, style and citations work, ' +
          'but the workspace cannot choose programs, servers, models or dictionary files, and completion and rewrite are off. ' +
          'Trust the workspace for everything.',
        error: false,
      };
    case 'stopped':
      return { text: '$(error) Marginalia', tooltip: 'Marginalia: the language server stopped. Run "Marginalia: Restart server".', error: true };
    case 'not-found':
      return { text: '$(error) Marginalia: no server', tooltip: 'Marginalia: no language server found; see the message for how to install it.', error: true };
  }
}

function describe(name: string, status: ComponentStatus): StatusText {
  const detail = status.detail ? ` (${status.detail})` : '';
  switch (status.state) {
    case 'off':
      return { text: `${name}: off`, tooltip: `${name} is off${detail}`, error: false };
    case 'starting':
      return { text: `$(sync~spin) ${name}`, tooltip: `${name} is starting${detail}`, error: false };
    case 'loading': {
      const pct = typeof status.progress === 'number' ? ` ${Math.max(0, Math.min(100, Math.round(status.progress)))}%` : '';
      return { text: `$(sync~spin) ${name}${pct}`, tooltip: `${name} is loading${pct}${detail}`, error: false };
    }
    case 'ready': {
      const where = status.device ? ` on ${status.device.toUpperCase()}` : '';
      return { text: `$(check) ${name}${where}`, tooltip: `${name} is ready${where}${detail}`, error: false };
    }
    case 'failed':
      return { text: `$(warning) ${name}`, tooltip: `${name} failed${detail}`, error: true };
  }
}

export function languageToolText(status: ComponentStatus): StatusText {
  return describe('LanguageTool', status);
}

export function modelText(status: ComponentStatus): StatusText {
  return describe('Model', status);
}

const STATES = new Set(['off', 'starting', 'loading', 'ready', 'failed']);

/** A component status from untrusted JSON, or undefined if it is not one. */
export function parseComponent(value: unknown): ComponentStatus | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const v = value as Record<string, unknown>;
  if (typeof v.state !== 'string' || !STATES.has(v.state)) {
    return undefined;
  }
  return {
    state: v.state as ComponentStatus['state'],
    progress: typeof v.progress === 'number' && Number.isFinite(v.progress) ? v.progress : undefined,
    device: typeof v.device === 'string' ? v.device : undefined,
    detail: typeof v.detail === 'string' ? v.detail : undefined,
  };
}
