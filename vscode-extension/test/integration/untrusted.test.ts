/**
 * Restricted mode against the real Python server, started with the options the extension
 * uses in an untrusted workspace (startPlan). The workspace's .marginalia.toml names its
 * own LanguageTool URL (a local stand-in that counts requests) and a model: a trusted
 * start sends text there; an untrusted one does not, runs no model, and still reports
 * misspellings.
 *
 * The Python comes from MARGINALIA_PYTHON, else the repository's .venv.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

import { candidates } from '../../src/serverCommand';
import { serverSettings } from '../../src/settings';
import { startPlan } from '../../src/trust';

const repo = join(__dirname, '..', '..', '..', '..');
const python = process.env.MARGINALIA_PYTHON ?? join(repo, '.venv', 'bin', 'python');
const text = 'A sentense where we could of known better.\n';
// The user's settings: only the plugins this test is about.
const userSettings = { disabled_plugins: ['grammar-rules', 'style', 'citations', 'rewrite'] };

let work: string;
let languageTool: Server;
let checks = 0;

interface Outcome {
  diagnostics: Diagnostic[];
  logs: string[];
  statuses: { model?: { state?: string; detail?: string } }[];
}

before(async () => {
  assert.ok(existsSync(python), `no Python at ${python}; set MARGINALIA_PYTHON`);
  // LanguageTool's /v2 API, just enough to count what is sent: no matches.
  languageTool = createServer((req, res) => {
    if (req.url?.startsWith('/v2/check')) {
      checks += 1;
    }
    const body = req.url?.startsWith('/v2/languages') ? [{ name: 'English (US)', code: 'en', longCode: 'en-US' }] : { matches: [] };
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => languageTool.listen(0, '127.0.0.1', resolve));
  const address = languageTool.address();
  assert.ok(address !== null && typeof address === 'object');
  work = mkdtempSync(join(tmpdir(), 'marginalia-untrusted-'));
  writeFileSync(
    join(work, '.marginalia.toml'),
    `enabled_plugins = ["completion"]\n[grammar]\nmode = "remote"\nurl = "http://127.0.0.1:${address.port}"\n` +
      '[completion.model]\npath = "./weights"\n',
  );
});

after(() => {
  languageTool.close();
  rmSync(work, { recursive: true, force: true });
});

/** Start the server as the extension would for this trust, open one document, collect what it says. */
async function run(trusted: boolean): Promise<Outcome> {
  // This checkout's server through the test's Python (in VS Code, untrusted, it would come from PATH or the user's setting).
  const [launcher] = candidates({ setting: [], pythonPath: python });
  const plan = startPlan({ trusted, folder: work, home: tmpdir(), settings: serverSettings(userSettings) });
  const proc = spawn(launcher.command, launcher.args, { cwd: plan.cwd });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const outcome: Outcome = { diagnostics: [], logs: [], statuses: [] };
  const uri = pathToFileURL(join(work, 'notes.md')).toString();
  let published: (diagnostics: Diagnostic[]) => void = () => undefined;
  const firstPublish = new Promise<Diagnostic[]>((resolve) => (published = resolve));
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri === uri) {
      published(p.diagnostics);
    }
  });
  connection.onNotification(LogMessageNotification.type, (m) => {
    outcome.logs.push(m.message);
  });
  connection.onNotification('marginalia/status', (s: Outcome['statuses'][number]) => {
    outcome.statuses.push(s);
  });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => userSettings));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(work).toString(),
      workspaceFolders: [{ uri: pathToFileURL(work).toString(), name: 'work' }],
      initializationOptions: plan.initializationOptions,
      capabilities: { workspace: { configuration: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'markdown', version: 1, text },
    });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no diagnostics: ${stderr}`)), 120000));
    outcome.diagnostics = await Promise.race([firstPublish, timeout]);
    if (!trusted) {
      // The note is logged once the settings are pulled, which may finish after the first check.
      for (let waited = 0; waited < 10000 && !outcome.logs.some((m) => m.includes('not trusted')); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } finally {
    connection.dispose();
    proc.kill();
  }
  return outcome;
}

test('trusted: the workspace chooses its LanguageTool', { timeout: 180000 }, async () => {
  const before_ = checks;
  const outcome = await run(true);
  assert.ok(checks > before_, 'the text went to the workspace-named LanguageTool');
  assert.ok(outcome.diagnostics.some((d) => d.code === 'spelling.misspelled'));
  assert.ok(!outcome.logs.some((m) => m.includes('not trusted')));
});

test('untrusted: nothing reaches the workspace-named URL, no model, spelling still works', { timeout: 180000 }, async () => {
  const before_ = checks;
  const outcome = await run(false);
  assert.equal(checks, before_, 'no request to the workspace-named LanguageTool');
  const spelling = outcome.diagnostics.filter((d) => d.code === 'spelling.misspelled');
  assert.deepEqual(spelling.map((d) => d.range), [{ start: { line: 0, character: 2 }, end: { line: 0, character: 10 } }]);
  const note = outcome.logs.find((m) => m.includes('not trusted'));
  assert.ok(note, JSON.stringify(outcome.logs));
  assert.ok(note.includes('marginalia.grammar.url') && note.includes('marginalia.completion.model.path'), note);
  const model = outcome.statuses.at(-1)?.model;
  assert.deepEqual(model, { state: 'off', detail: 'off in an untrusted workspace' });
});
