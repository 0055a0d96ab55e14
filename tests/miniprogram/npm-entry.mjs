// The npm package's `banshi/miniprogram` entry, as packed: `exports` points at it (types and
// code), the tarball holds it, its files are byte for byte the folder's (so the corpus run of
// the folder covers it), it loads as CommonJS inside the ESM package, and outside a mini-program
// (no WXWebAssembly) `Engine.load` says so with a BanshiError instead of failing obscurely.
//
// Usage: node tests/miniprogram/npm-entry.mjs PACKAGE_DIR FOLDER
//   PACKAGE_DIR  the packed package, unpacked into some node_modules/banshi
//   FOLDER       bindings/miniprogram/dist/banshi

import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [packageDir, folder] = process.argv.slice(2).map((p) => p && resolve(p));
let passed = 0;
let failed = 0;
async function check(what, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`miniprogram npm entry: ok: ${what}`);
  } catch (e) {
    failed += 1;
    console.log(`miniprogram npm entry: FAILED: ${what}: ${e && e.message}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const entry = manifest.exports && manifest.exports['./miniprogram'];

await check('package.json exports `./miniprogram` with types and code in the tarball', () => {
  assert(entry && entry.types && entry.default, `exports['./miniprogram'] is ${JSON.stringify(entry)}`);
  readFileSync(join(packageDir, entry.types));
  readFileSync(join(packageDir, entry.default));
});

const entryDir = join(packageDir, 'dist', 'miniprogram');
await check('its files are the folder\'s, byte for byte (the folder adds only the rules bundle)', () => {
  const files = readdirSync(entryDir).filter((f) => f !== 'package.json');
  for (const f of ['index.js', 'engine.js', 'banshi_wasm.js', 'text.js', 'banshi_wasm_bg.wasm.br', 'index.d.ts']) assert(files.includes(f), `no ${f}`);
  for (const f of files) assert(readFileSync(join(entryDir, f)).equals(readFileSync(join(folder, f))), `${f} differs from the folder's`);
});

await check('`require(\'banshi/miniprogram\')` resolves through exports and loads as CommonJS', async () => {
  // Resolve as a dependent would: from the directory whose node_modules/banshi is the package.
  const require = createRequire(join(packageDir, '..', '..', 'consumer.js'));
  const path = require.resolve('banshi/miniprogram');
  assert(path === join(entryDir, 'index.js'), `resolved to ${path}`);
  const api = require(path);
  assert(typeof api.Engine === 'function' && typeof api.Engine.load === 'function', 'no Engine.load');
  assert(typeof api.BanshiError === 'function' && typeof api.todayInChina === 'function', 'no BanshiError or todayInChina');
  let error;
  try {
    await api.Engine.load('{}');
  } catch (e) {
    error = e;
  }
  assert(error instanceof api.BanshiError && error.code === 'wasm_unavailable', `Engine.load outside a mini-program gave ${error && error.code}: ${error && error.message}`);
});

console.log(`miniprogram npm entry: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
