import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  candidates,
  cliFor,
  INSTALL_COMMAND,
  notFoundMessage,
  processProbe,
  resolveServer,
  type Launcher,
} from '../../src/serverCommand';

test('the setting comes first, then the Python interpreter, then marginalia on PATH', () => {
  const list = candidates({ setting: ['/opt/m/bin/marginalia', 'serve', '--stdio'], pythonPath: '/venv/bin/python' });
  assert.deepEqual(
    list.map((l) => [l.source, l.command, ...l.args]),
    [
      ['setting', '/opt/m/bin/marginalia', 'serve', '--stdio'],
      ['python', '/venv/bin/python', '-m', 'lsp_server'],
      ['path', 'marginalia', 'serve', '--stdio'],
    ],
  );
});

test('an empty or blank setting and a missing interpreter are left out', () => {
  assert.deepEqual(candidates({ setting: ['  ', ''] }).map((l) => l.source), ['path']);
});

test('the first launcher whose probe passes wins; the setting is not probed', async () => {
  const probed: string[] = [];
  const list = candidates({ setting: ['my-server'], pythonPath: '/venv/bin/python' });
  const chosen = await resolveServer(list, async (command) => {
    probed.push(command);
    return true;
  });
  assert.equal(chosen?.source, 'setting');
  assert.deepEqual(probed, []);
});

test('a Python without the server falls through to PATH', async () => {
  const list = candidates({ setting: [], pythonPath: '/usr/bin/python3' });
  const probes: string[][] = [];
  const chosen = await resolveServer(list, async (command, args) => {
    probes.push([command, ...args]);
    return command === 'marginalia';
  });
  assert.equal(chosen?.source, 'path');
  assert.deepEqual(probes, [
    ['/usr/bin/python3', '-c', 'import lsp_server.server'],
    ['marginalia', '--version'],
  ]);
});

test('nothing works: undefined, and the message names the install command', async () => {
  const list = candidates({ setting: [], pythonPath: '/usr/bin/python3' });
  assert.equal(await resolveServer(list, async () => false), undefined);
  const message = notFoundMessage(list);
  assert.ok(message.includes(INSTALL_COMMAND));
  assert.ok(message.includes('/usr/bin/python3 -m lsp_server'));
  assert.ok(message.includes('marginalia.server.command'));
});

test('the CLI belonging to each kind of launcher', () => {
  const python: Launcher = { command: '/v/python', args: ['-m', 'lsp_server'], source: 'python' };
  const path: Launcher = { command: 'marginalia', args: ['serve', '--stdio'], source: 'path' };
  const wrapped: Launcher = { command: 'uv', args: ['run', 'marginalia', 'serve'], source: 'setting' };
  const opaque: Launcher = { command: '/usr/local/bin/my-lsp', args: [], source: 'setting' };
  assert.deepEqual(cliFor(python), { command: '/v/python', args: ['-m', 'lsp_server.cli'] });
  assert.deepEqual(cliFor(path), { command: 'marginalia', args: [] });
  assert.deepEqual(cliFor(wrapped), { command: 'uv', args: ['run', 'marginalia'] });
  assert.equal(cliFor(opaque), undefined);
});

test('the process probe reads exit status and survives a missing program', async () => {
  const probe = processProbe(10000);
  assert.equal(await probe(process.execPath, ['-e', 'process.exit(0)']), true);
  assert.equal(await probe(process.execPath, ['-e', 'process.exit(3)']), false);
  assert.equal(await probe('/nonexistent/marginalia-server', ['--version']), false);
});

test('the process probe gives up on a program that hangs', async () => {
  const started = Date.now();
  assert.equal(await processProbe(300)(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']), false);
  assert.ok(Date.now() - started < 10000);
});
