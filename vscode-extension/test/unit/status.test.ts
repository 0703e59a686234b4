import assert from 'node:assert/strict';
import { test } from 'node:test';

import { languageToolText, modelText, parseComponent, serverText } from '../../src/status';

test('server states read differently and only failures are errors', () => {
  const states = ['starting', 'running', 'restricted', 'stopped', 'not-found'] as const;
  const texts = states.map((s) => serverText(s));
  assert.equal(new Set(texts.map((t) => t.tooltip)).size, states.length);
  assert.deepEqual(texts.map((t) => t.error), [false, false, false, true, true]);
});

test('restricted mode says what is limited and how to lift it', () => {
  const { text, tooltip } = serverText('restricted');
  assert.ok(text.includes('$(shield)'));
  for (const words of ['untrusted workspace', 'spelling', 'completion and rewrite are off', 'Trust the workspace']) {
    assert.ok(tooltip.includes(words), words);
  }
});

test('a loading model shows its percentage, clamped and rounded', () => {
  assert.equal(modelText({ state: 'loading', progress: 41.6 }).text, '$(sync~spin) Model 42%');
  assert.equal(modelText({ state: 'loading', progress: 180 }).text, '$(sync~spin) Model 100%');
  assert.equal(modelText({ state: 'loading' }).text, '$(sync~spin) Model');
});

test('a ready model says where it runs; off and failed are distinct', () => {
  assert.equal(modelText({ state: 'ready', device: 'cuda' }).text, '$(check) Model on CUDA');
  assert.equal(modelText({ state: 'ready', device: 'cpu' }).text, '$(check) Model on CPU');
  assert.equal(modelText({ state: 'off' }).text, 'Model: off');
  const failed = languageToolText({ state: 'failed', detail: 'java not found' });
  assert.equal(failed.error, true);
  assert.ok(failed.tooltip.includes('java not found'));
});

test('status from the wire is validated', () => {
  assert.equal(parseComponent(null), undefined);
  assert.equal(parseComponent({ state: 'exploded' }), undefined);
  assert.deepEqual(parseComponent({ state: 'loading', progress: Number.NaN, device: 7 }), {
    state: 'loading',
    progress: undefined,
    device: undefined,
    detail: undefined,
  });
});
