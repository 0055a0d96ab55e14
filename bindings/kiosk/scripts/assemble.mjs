// Assembles the kiosk folder: the page (src/), the npm package's browser entry (the very files a
// web project installs: src/browser.js, src/engine.js, dist/banshi_wasm.js and the .wasm) in
// vendor/banshi/, and the rules bundle as rules.bundle.json. The result runs from any static
// server on the kiosk, with nothing from the network.
//
// Usage: node bindings/kiosk/scripts/assemble.mjs [--package DIR] [--bundle FILE] [--sign KEYFILE] [--out DIR]
//   --package  an installed or unpacked `banshi` npm package (default: bindings/npm, built)
//   --bundle   the signed rules bundle (default: `banshi bundle rules --sign KEYFILE`, written now)
//   --sign     the key that signs a bundle written now (default: tests/keys/test-signing.key, the
//              TEST key the shipped config.js trusts; a deployment signs with its agency's key)
//   --out      the folder to write (default: bindings/kiosk/dist)

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

function argument(name, fallback) {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : resolve(process.argv[at + 1]);
}

const packageDir = argument('--package', join(root, 'bindings', 'npm'));
const out = argument('--out', join(here, 'dist'));
/** What the browser entry loads, relative to the package. */
const PACKAGE_FILES = ['package.json', 'src/browser.js', 'src/engine.js', 'src/labels.js', 'dist/banshi_wasm.js', 'dist/banshi_wasm_bg.wasm'];

for (const file of PACKAGE_FILES) {
  if (!existsSync(join(packageDir, file))) {
    console.error(`kiosk: ${join(packageDir, file)} is missing: build the npm package first (node bindings/npm/scripts/build.mjs)`);
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of readdirSync(join(here, 'src'))) copyFileSync(join(here, 'src', file), join(out, file));
for (const file of PACKAGE_FILES) {
  const target = join(out, 'vendor', 'banshi', file);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(packageDir, file), target);
}
const bundle = argument('--bundle', undefined);
if (bundle !== undefined) {
  copyFileSync(bundle, join(out, 'rules.bundle.json'));
} else {
  const key = argument('--sign', join(root, 'tests', 'keys', 'test-signing.key'));
  execFileSync('cargo', ['run', '-q', '-p', 'banshi-cli', '--locked', '--', 'bundle', 'rules', '-o', join(out, 'rules.bundle.json'), '--sign', key], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Every file under `dir`, with its size. */
function files(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, `${prefix}${name}/`) : [[`${prefix}${name}`, statSync(path).size]];
  });
}
const list = files(out).sort((a, b) => a[0].localeCompare(b[0]));
const total = list.reduce((sum, [, size]) => sum + size, 0);
for (const [name, size] of list) console.log(`  ${name.padEnd(36)}${`${(size / 1024).toFixed(1)} KiB`.padStart(12)}`);
console.log(`kiosk: assembled ${out} (${list.length} files, ${(total / 1024).toFixed(1)} KiB)`);
