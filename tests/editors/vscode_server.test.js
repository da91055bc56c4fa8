// The VS Code extension's server look-up and corpus arguments (the parts
// that need no VS Code), on the compiled out/server.js.
// Usage: DOSSIER_EXT_OUT=<build>/out node --test tests/editors/vscode_server.test.js
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');

const out = process.env.DOSSIER_EXT_OUT || path.join(__dirname, '..', '..', 'editors', 'vscode', 'out');
const { findServer, corpusArgs, summaryMarkdown, INSTALL_HINT } = require(path.join(out, 'server.js'));

function fakeBinary(dir, name = 'dossier') {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
  return file;
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-ext-'));
const onPath = fakeBinary(path.join(root, 'bin'));
const ext = path.join(root, 'ext');
const bundled = fakeBinary(path.join(ext, 'server'));
const custom = fakeBinary(path.join(root, 'my tools'), 'dossier-dev');

test('the setting wins over PATH and the bundled binary', () => {
  const r = findServer(custom, ext, { PATH: path.dirname(onPath) });
  assert.deepStrictEqual(r.found, { path: custom, origin: 'setting' });
});

test('a setting that points nowhere is reported, not skipped', () => {
  const r = findServer('/nowhere/dossier', ext, { PATH: path.dirname(onPath) });
  assert.match(r.problem, /dossier\.server\.path/);
  assert.match(r.problem, /\/nowhere\/dossier/);
});

test('PATH comes before the bundled binary', () => {
  const r = findServer('', ext, { PATH: ['/does/not/exist', path.dirname(onPath)].join(path.delimiter) });
  assert.deepStrictEqual(r.found, { path: onPath, origin: 'PATH' });
});

test('the binary inside the extension is the last resort', () => {
  const r = findServer('  ', ext, { PATH: '/does/not/exist' });
  assert.deepStrictEqual(r.found, { path: bundled, origin: 'bundled' });
});

test('nothing found: the message names the program and the fix', () => {
  const r = findServer('', path.join(root, 'empty-ext'), { PATH: '' });
  assert.match(r.problem, /not found/);
  assert.match(INSTALL_HINT, /cargo build --release/);
  assert.match(INSTALL_HINT, /dossier\.server\.path/);
});

test('a file without the execute bit is not a server', () => {
  const plain = path.join(root, 'plain', 'dossier');
  fs.mkdirSync(path.dirname(plain), { recursive: true });
  fs.writeFileSync(plain, '');
  fs.chmodSync(plain, 0o644);
  const r = findServer('', path.join(root, 'empty-ext'), { PATH: path.dirname(plain) });
  assert.ok(r.problem);
});

test('corpus folders resolve against the workspace like the server does', () => {
  assert.deepStrictEqual(
    corpusArgs({ corpus: ['sources', '/archive/Zoë’s notes'], includeDefaultCorpus: false }, '/news/desk'),
    ['corpus', '--json', '--corpus', '/news/desk/sources', '--corpus', '/archive/Zoë’s notes', '--no-default-corpus'],
  );
  assert.deepStrictEqual(corpusArgs({ corpus: [], includeDefaultCorpus: true }, undefined), ['corpus', '--json']);
});

test('the summary counts documents, entities by kind, quotes and skipped files', () => {
  const md = summaryMarkdown({
    documents: [{ id: 'a1', title: 'Harbour report', outlet: 'Coast Gazette' }],
    entities: [
      { id: 'anna-kowalczyk', name: 'Anna Kowalczyk', kind: 'person', mention_count: 3 },
      { id: 'ministry-of-fisheries', name: 'Ministry of Fisheries', kind: 'agency', mention_count: 2 },
      { id: 'jose-nunez', name: 'José Núñez', kind: 'person', mention_count: 1 },
    ],
    quotes: [{}, {}],
    skipped: [{ path: 'big.html', reason: 'larger than the limit' }],
  });
  assert.match(md, /- 1 documents/);
  assert.match(md, /- 3 entities \(1 agency, 2 person\)/);
  assert.match(md, /- 2 quotes/);
  assert.match(md, /- 1 skipped files/);
  assert.match(md, /big\.html: larger than the limit/);
  assert.match(md, /José Núñez \(person, 1\)/);
});
