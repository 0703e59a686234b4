/** How the server starts in trusted and untrusted workspaces (pure logic; VS Code itself cannot run here). */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { candidates, notFoundMessage } from '../../src/serverCommand';
import { commandCwd, startPlan, UNTRUSTED_OPTION } from '../../src/trust';

const settings = { language: 'en-GB', spelling: { max_suggestions: 3 } };

test('a trusted workspace: the folder is the working folder and the options carry only the settings', () => {
  const plan = startPlan({ trusted: true, folder: '/work/thesis', home: '/home/ada', settings });
  assert.equal(plan.cwd, '/work/thesis');
  assert.deepEqual(plan.initializationOptions, { marginalia: settings });
});

test('an untrusted workspace: restricted mode is asked for, and the workspace is not the working folder', () => {
  const plan = startPlan({ trusted: false, folder: '/downloads/repo', home: '/home/ada', settings });
  assert.equal(plan.cwd, '/home/ada');
  assert.deepEqual(plan.initializationOptions, { marginalia: settings, [UNTRUSTED_OPTION]: true });
  assert.equal(UNTRUSTED_OPTION, 'untrustedWorkspace'); // what lsp_server/trust.py reads
});

test('no folder open: trusted starts where VS Code is, untrusted in the home folder', () => {
  assert.equal(startPlan({ trusted: true, home: '/home/ada', settings: {} }).cwd, undefined);
  assert.equal(startPlan({ trusted: false, home: '/home/ada', settings: {} }).cwd, '/home/ada');
});

test('other commands follow the same working-folder rule', () => {
  assert.equal(commandCwd(true, '/work/thesis', '/home/ada'), '/work/thesis');
  assert.equal(commandCwd(false, '/downloads/repo', '/home/ada'), '/home/ada');
});

test("an untrusted workspace never runs the Python extension's interpreter (it may be the workspace's .venv)", () => {
  const input = { setting: ['/opt/m/bin/marginalia', 'serve'], pythonPath: '/downloads/repo/.venv/bin/python' };
  assert.deepEqual(candidates({ ...input, trusted: false }).map((l) => l.source), ['setting', 'path']);
  assert.deepEqual(candidates({ ...input, trusted: true }).map((l) => l.source), ['setting', 'python', 'path']);
  assert.deepEqual(candidates(input).map((l) => l.source), ['setting', 'python', 'path']);
});

test('the not-found message says why the interpreter was skipped only when untrusted', () => {
  const list = candidates({ setting: [], pythonPath: '/v/python', trusted: false });
  assert.ok(notFoundMessage(list, false).includes('untrusted workspace'));
  assert.ok(!notFoundMessage(list, true).includes('untrusted workspace'));
});
