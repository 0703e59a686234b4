/** package.json against the code and the server's schema (the Python test guards the same in CI). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { COMMANDS, LANGUAGES } from '../../src/commands';
import { EXTENSION_ONLY_KEYS } from '../../src/settings';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const schema = JSON.parse(readFileSync(join(root, '..', 'schema', 'settings.schema.json'), 'utf8'));

type Node = { type?: string; properties?: Record<string, Node>; default?: unknown; enum?: unknown[]; 'x-alias-of'?: string };

function leaves(node: Node, path: string[] = []): [string, Node][] {
  if (node.type === 'object' && node.properties) {
    // An alias section (another name for a plugin's) adds no settings of its own.
    return Object.entries(node.properties)
      .filter(([, v]) => !('x-alias-of' in v))
      .flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [[path.join('.'), node]];
}

test('activates for exactly the four prose languages', () => {
  assert.deepEqual(pkg.activationEvents, LANGUAGES.map((l) => `onLanguage:${l}`));
});

test('declares exactly the commands the extension registers', () => {
  const declared = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(declared, Object.values(COMMANDS).sort());
});

test('every server setting is contributed with its default and choices, and nothing else is', () => {
  const props: Record<string, Node> = pkg.contributes.configuration.properties;
  const expected = new Map(leaves(schema).map(([k, v]) => [`marginalia.${k}`, v]));
  for (const [key, node] of expected) {
    assert.ok(key in props, `${key} is missing from package.json`);
    assert.deepEqual(props[key].default, node.default, key);
    assert.deepEqual(props[key].enum, node.enum, key);
  }
  const extra = Object.keys(props).filter((k) => !expected.has(k));
  assert.ok(extra.length > 0);
  for (const key of extra) {
    assert.ok(EXTENSION_ONLY_KEYS.includes(key.split('.')[1]), `${key} is neither a server setting nor the extension's`);
  }
});

test('limited support in untrusted workspaces: restricted settings follow the schema, programs are machine-scoped', () => {
  const props: Record<string, Node & { scope?: string }> = pkg.contributes.configuration.properties;
  const trust = pkg.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.match(trust.description, /restricted mode/);
  // The server marks them (x-restricted in the schema); the extension adds its own server command.
  const fromSchema = leaves(schema)
    .filter(([, node]) => 'x-restricted' in node)
    .map(([key, node]) => [`marginalia.${key}`, (node as Record<string, unknown>)['x-restricted']] as const);
  const expected = new Map<string, unknown>([...fromSchema, ['marginalia.server.command', 'machine']]);
  assert.deepEqual([...trust.restrictedConfigurations].sort(), [...expected.keys()].sort());
  for (const [key, scope] of expected) {
    assert.equal(props[key].scope, scope, key);
  }
  for (const key of ['marginalia.server.command', 'marginalia.grammar.java_path', 'marginalia.grammar.install_path']) {
    assert.equal(props[key].scope, 'machine', key);
  }
  for (const key of ['marginalia.grammar.url', 'marginalia.completion.model.path', 'marginalia.rewrite.model.name', 'marginalia.spelling.dictionaries']) {
    assert.ok(trust.restrictedConfigurations.includes(key), key);
  }
  // Everything else keeps its ordinary scope.
  for (const [key, prop] of Object.entries(props)) {
    if (!expected.has(key)) {
      assert.ok(prop.scope === 'resource' || prop.scope === 'window', `${key}: ${prop.scope}`);
    }
  }
});

test('uses vscode-languageclient 10.0.1 or newer (inline completion)', () => {
  const [major, minor, patch] = String(pkg.dependencies['vscode-languageclient']).replace(/^[^\d]*/, '').split('.').map(Number);
  assert.ok(major > 10 || (major === 10 && (minor > 0 || patch >= 1)));
});
