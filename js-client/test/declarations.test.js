'use strict';
// types/engine.d.ts, which the server serves as the engine's TypeScript declarations, is what
// tsc makes of engine.js's JSDoc: regenerate it with `npm run declarations` after changing them.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

test('types/engine.d.ts is up to date with engine.js', { skip: !fs.existsSync(tsc) && 'TypeScript not installed (npm ci)' }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pagewire-dts-'));
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.declarations.json', '--outDir', out], { cwd: root });
    const fresh = fs.readFileSync(path.join(out, 'engine.d.ts'), 'utf8');
    const committed = fs.readFileSync(path.join(root, 'types', 'engine.d.ts'), 'utf8');
    assert.equal(committed, fresh, 'types/engine.d.ts is stale: run `npm run declarations` in js-client');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
