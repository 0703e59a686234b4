/**
 * The real Python server over stdio, started the way the extension starts it
 * (launcher resolution, initialization options, configuration middleware) and
 * spoken to through vscode-languageserver-protocol with VS Code's relevant
 * client capabilities (pull diagnostics, resolvable code actions, inline completion).
 *
 * The Python comes from MARGINALIA_PYTHON, else the repository's .venv.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  ConfigurationRequest,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  InlineCompletionRequest,
  InlineCompletionTriggerKind,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  WorkDoneProgressCreateRequest,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

import { candidates, processProbe, resolveServer } from '../../src/serverCommand';
import { serverSettings, stripConfigurationResult } from '../../src/settings';

const repo = join(__dirname, '..', '..', '..', '..');
const python = process.env.MARGINALIA_PYTHON ?? join(repo, '.venv', 'bin', 'python');
// What a user's VS Code settings hold: the extension's own keys beside the server's.
const userSettings = { server: { command: [] }, trace: { server: 'off' }, language: 'en-US', spelling: { max_suggestions: 3 } };

let work: string;
let proc: ChildProcessWithoutNullStreams;
let connection: ProtocolConnection;
let uri: string;
let text: string;
const shown: string[] = [];
let stderr = '';

function positionOf(word: string): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => new RegExp(`\\b${word}\\b`).test(l));
  assert.ok(line >= 0, `${word} is in the example`);
  return { line, character: lines[line].search(new RegExp(`\\b${word}\\b`)) };
}

async function pullDiagnostics(): Promise<Diagnostic[]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      if (report.kind === 'full') {
        return report.items;
      }
    } catch (error) {
      // ServerCancelled asks the client to retrigger, as VS Code does.
      if ((error as { code?: number }).code !== -32802) {
        throw error;
      }
    }
  }
  throw new Error('the server never answered textDocument/diagnostic');
}

before(async () => {
  assert.ok(existsSync(python), `no Python at ${python}; set MARGINALIA_PYTHON`);
  work = mkdtempSync(join(tmpdir(), 'marginalia-vscode-'));
  for (const name of ['paper.tex', 'references.bib']) {
    copyFileSync(join(repo, 'examples', name), join(work, name));
  }
  writeFileSync(join(work, '.marginalia.toml'), '');
  text = readFileSync(join(work, 'paper.tex'), 'utf8');
  uri = pathToFileURL(join(work, 'paper.tex')).toString();

  const launcher = await resolveServer(candidates({ setting: [], pythonPath: python }), processProbe(60000));
  assert.equal(launcher?.source, 'python', 'the venv Python can run the server');
  proc = spawn(launcher!.command, launcher!.args, { cwd: work });
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  connection.onRequest(ConfigurationRequest.type, (params) =>
    stripConfigurationResult(params.items.map((i) => i.section), params.items.map(() => userSettings)),
  );
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  connection.onNotification(ShowMessageNotification.type, (m) => {
    shown.push(m.message);
  });
  connection.listen();

  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(work).toString(),
    workspaceFolders: [{ uri: pathToFileURL(work).toString(), name: 'work' }],
    initializationOptions: { marginalia: serverSettings(userSettings) },
    capabilities: {
      workspace: {
        configuration: true,
        workspaceEdit: { documentChanges: true },
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
      },
      window: { workDoneProgress: true },
      textDocument: {
        synchronization: { dynamicRegistration: true },
        diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
        codeAction: {
          codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite'] } },
          resolveSupport: { properties: ['edit'] },
          dataSupport: true,
          isPreferredSupport: true,
        },
        inlineCompletion: { dynamicRegistration: true },
      },
    },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'latex', version: 1, text },
  });
});

after(async () => {
  try {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } finally {
    connection.dispose();
    proc.kill();
    rmSync(work, { recursive: true, force: true });
  }
});

test('diagnostics arrive at the misspellings, computed from the text', { timeout: 180000 }, async () => {
  const items = await pullDiagnostics();
  const spelling = items.filter((d) => d.code === 'spelling.misspelled');
  const expected = ['sugest', 'aproach', 'recieved'].map((w) => {
    const start = positionOf(w);
    return { start, end: { line: start.line, character: start.character + w.length } };
  });
  assert.deepEqual(spelling.map((d) => d.range), expected, stderr);
});

test('the extension-only settings do not make the server complain', () => {
  assert.deepEqual(shown.filter((m) => m.includes('invalid')), []);
});

test('a quick fix replaces the misspelling in this exact version', { timeout: 120000 }, async () => {
  const start = positionOf('sugest');
  const range = { start, end: { line: start.line, character: start.character + 6 } };
  const actions = (await connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri },
    range,
    context: { diagnostics: [], only: ['quickfix'] },
  })) as CodeAction[];
  const fix = actions.find((a) => a.title === "Replace with 'suggest'");
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.equal(fix.isPreferred, true);
  assert.deepEqual(fix.edit?.documentChanges, [
    { textDocument: { uri, version: 1 }, edits: [{ range, newText: 'suggest' }] },
  ]);
});

test('inline completion answers with no items while the model is off (the default)', { timeout: 120000 }, async () => {
  // The completion plugin needs model weights, which CI does not have; off is its default.
  const line = positionOf('Modern').line;
  const result = await connection.sendRequest(InlineCompletionRequest.type, {
    textDocument: { uri },
    position: { line, character: 0 },
    context: { triggerKind: InlineCompletionTriggerKind.Invoked },
  });
  assert.ok(result !== null && !Array.isArray(result), JSON.stringify(result));
  assert.deepEqual(result.items, []);
});
