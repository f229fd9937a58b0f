#!/usr/bin/env node
// pagewire-proxies BASE OUT NAME...: downloads the generated proxies NAME.mjs and NAME.d.mts from
// the Pagewire server at BASE (its mount URL, such as http://localhost:8080/pagewire) into the
// folder OUT, importing the engine from the "pagewire" package instead of the server's engine.mjs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, out, ...names] = process.argv.slice(2);
if (!base || !out || names.length === 0) {
  console.error('usage: pagewire-proxies BASE OUT NAME...   e.g. pagewire-proxies http://localhost:8080/pagewire src/proxies Chat');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
for (const name of names) {
  for (const ext of ['mjs', 'd.mts']) {
    const url = `${base.replace(/\/+$/, '')}/interface/${encodeURIComponent(name)}.${ext}`;
    const response = await fetch(url);
    if (!response.ok) {
      console.error(`pagewire-proxies: ${url} answered ${response.status}`);
      process.exit(1);
    }
    const text = (await response.text()).replaceAll('"../engine.mjs"', '"pagewire"').replaceAll('"../engine.d.mts"', '"pagewire"');
    writeFileSync(join(out, `${name}.${ext}`), text);
    console.log(`pagewire-proxies: ${join(out, `${name}.${ext}`)}`);
  }
}
