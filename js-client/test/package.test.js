'use strict';
// The npm module (dist/pagewire.mjs, built by scripts/build.mjs): connect, and the default engine
// the generated proxies import. The bundled page in Chromium is NpmPackageBrowserTest (Java).
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = path.join(__dirname, '..');

async function built() {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')]);
  return import(pathToFileURL(path.join(root, 'dist/pagewire.mjs')).href);
}

test('the module exports connect, createPagewire and the engine proxies use', async () => {
  const m = await built();
  assert.equal(typeof m.connect, 'function');
  assert.equal(typeof m.createPagewire, 'function');
  assert.equal(m.default, m.pagewire);
});

test('before connect, a proxy can be made (imports run first) but using the engine says what to do', async () => {
  const m = await built();
  const Echo = m.pagewire.proxy('Echo', { echo: [1] });
  assert.throws(() => Echo.echo('a'), /call connect\(base\) before using the engine or a proxy/);
  assert.throws(() => m.pagewire.mode, /call connect\(base\)/);
});
