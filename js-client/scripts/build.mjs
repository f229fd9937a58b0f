// Builds the npm package's module from the engine (`npm run build`, also run by `npm pack`):
//   dist/pagewire.mjs    the engine, plus `connect(base)` and a default `pagewire` that proxies use
//   dist/pagewire.d.mts  its declarations: the engine's own (types/engine.d.ts) plus those exports
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const engine = readFileSync(join(root, 'src/engine.js'), 'utf8');
const types = readFileSync(join(root, 'types/engine.d.ts'), 'utf8');
const module = readFileSync(join(root, 'scripts/module.mjs'), 'utf8');
const moduleTypes = readFileSync(join(root, 'scripts/module.d.mts'), 'utf8');

mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist/pagewire.mjs'),
  '// Pagewire engine as an ES module, built from src/engine.js by scripts/build.mjs.\n'
  + engine + '\n' + module);
writeFileSync(join(root, 'dist/pagewire.d.mts'),
  '// Declarations of the Pagewire npm module, built from the engine\'s JSDoc by scripts/build.mjs.\n'
  + types + '\n' + moduleTypes);
