import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, Command } from 'vscode-languageserver-protocol';

import { applyEdits, editsFor, rewriteChoices } from '../../src/rewrite';
import { citeFormatArgs, referenceFormat } from '../../src/references';

const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

test('only rewrite actions are offered, labelled by their style', () => {
  const items: (Command | CodeAction)[] = [
    { title: "Replace with 'suggest'", kind: 'quickfix' },
    { title: 'Rewrite: More concise', kind: 'refactor.rewrite' },
    { title: 'Rewrite: Formal', kind: 'refactor.rewrite.model' },
    { title: 'Add to dictionary', command: 'marginalia.addToDictionary' },
    { title: 'Extract', kind: 'refactor.extract' },
  ];
  assert.deepEqual(rewriteChoices(items).map((c) => c.label), ['More concise', 'Formal']);
  assert.deepEqual(rewriteChoices(null), []);
});

test('edits for the document come from versioned and plain forms', () => {
  const uri = 'file:///a.tex';
  const versioned = editsFor(uri, {
    documentChanges: [
      { textDocument: { uri, version: 7 }, edits: [{ range: range(0, 0, 0, 1), newText: 'X' }] },
      { textDocument: { uri: 'file:///other.tex', version: 1 }, edits: [{ range: range(0, 0, 0, 0), newText: 'no' }] },
    ],
  });
  assert.equal(versioned.version, 7);
  assert.deepEqual(versioned.edits.map((e) => e.newText), ['X']);
  const plain = editsFor(uri, { changes: { [uri]: [{ range: range(1, 0, 1, 0), newText: 'Y' }] } });
  assert.equal(plain.version, null);
  assert.deepEqual(plain.edits.map((e) => e.newText), ['Y']);
  assert.deepEqual(editsFor(uri, undefined).edits, []);
});

test('the preview applies edits at UTF-16 positions', () => {
  // "🙂" is two UTF-16 units: "bad" starts at character 3 on the second line.
  const text = 'line one\n🙂 bad words\n';
  const out = applyEdits(text, 'markdown', [{ range: range(1, 3, 1, 6), newText: 'good' }]);
  assert.equal(out, 'line one\n🙂 good words\n');
});

test('reference lists match the document they go into', () => {
  assert.equal(referenceFormat('latex'), 'latex');
  assert.equal(referenceFormat('quarto'), 'markdown');
  assert.equal(referenceFormat(undefined), 'text');
  assert.deepEqual(citeFormatArgs('/w/refs.bib', ' ieee ', 'markdown'), ['cite', 'format', '/w/refs.bib', '--to', 'markdown', '--style', 'ieee']);
  assert.deepEqual(citeFormatArgs('/w/refs.bib', '', 'latex'), ['cite', 'format', '/w/refs.bib', '--to', 'latex']);
});
