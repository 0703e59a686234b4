import assert from 'node:assert/strict';
import { test } from 'node:test';

import { serverSettings, stripConfigurationResult } from '../../src/settings';

test('the extension-only keys never reach the server', () => {
  const section = { server: { command: ['x'] }, trace: { server: 'verbose' }, language: 'en-GB', spelling: { max_suggestions: 3 } };
  assert.deepEqual(serverSettings(section), { language: 'en-GB', spelling: { max_suggestions: 3 } });
  assert.deepEqual(Object.keys(section).sort(), ['language', 'server', 'spelling', 'trace'], 'the input is not changed');
});

test('anything but an object becomes no settings', () => {
  for (const value of [null, undefined, 3, 'x', [1, 2]]) {
    assert.deepEqual(serverSettings(value), {});
  }
});

test('only our section is stripped in a workspace/configuration answer', () => {
  const result = stripConfigurationResult(['marginalia', 'editor', undefined], [
    { server: { command: [] }, language: 'de-DE' },
    { server: 1 },
    { server: 2 },
  ]);
  assert.deepEqual(result, [{ language: 'de-DE' }, { server: 1 }, { server: 2 }]);
});
