// Builds the package's WebAssembly module and its JS glue into dist/:
//   1. cargo builds `banshi-wasm` for wasm32v1-none (the MVP plus mutable globals) with the
//      size-optimised `wasm` profile;
//   2. the wasm-bindgen CLI, exactly the version Cargo.toml pins, writes the ESM glue;
//   3. exported globals are removed from the module (iOS mini-programs refuse them).
// No wasm-opt step: measured on this module, binaryen's -Oz made the gzip size larger, not
// smaller, and cost twenty seconds.
// Usage: node scripts/build.mjs   (needs cargo, rustup's wasm32v1-none target and wasm-bindgen)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withoutGlobalExports } from './wasm-module.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const dist = join(here, 'dist');

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
}

/** The wasm-bindgen version Cargo.toml pins (`wasm-bindgen = { version = "=x.y.z", … }`). */
export function pinnedWasmBindgen() {
  const manifest = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const found = /^wasm-bindgen = \{ version = "=([0-9.]+)"/m.exec(manifest);
  if (!found) throw new Error('Cargo.toml pins no `wasm-bindgen = { version = "=x.y.z" }`');
  return found[1];
}

const version = pinnedWasmBindgen();
let installed = '';
try {
  installed = run('wasm-bindgen', ['--version']).trim();
} catch {
  installed = 'none';
}
if (installed !== `wasm-bindgen ${version}`) {
  console.error(`wasm-bindgen ${version} is needed (found: ${installed}); install it with\n  cargo install wasm-bindgen-cli --version ${version}`);
  process.exit(1);
}

run('cargo', ['build', '-p', 'banshi-wasm', '--target', 'wasm32v1-none', '--profile', 'wasm', '--locked'], { stdio: 'inherit' });
const targetDir = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps'])).target_directory;
const input = join(targetDir, 'wasm32v1-none', 'wasm', 'banshi_wasm.wasm');

const out = mkdtempSync(join(tmpdir(), 'banshi-bindgen-'));
try {
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--remove-name-section', '--remove-producers-section', '--out-dir', out, input], { stdio: 'inherit' });
  const { bytes, removed } = withoutGlobalExports(readFileSync(join(out, 'banshi_wasm_bg.wasm')));
  const glue = readFileSync(join(out, 'banshi_wasm.js'), 'utf8');
  for (const name of removed) {
    // Removing an export the glue reads would break it at run time.
    if (glue.includes(name)) throw new Error(`the glue uses the exported global \`${name}\`; it cannot be removed`);
  }
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist);
  writeFileSync(join(dist, 'banshi_wasm_bg.wasm'), bytes);
  copyFileSync(join(out, 'banshi_wasm.js'), join(dist, 'banshi_wasm.js'));
  console.log(`built dist/banshi_wasm_bg.wasm (${bytes.length} bytes) and dist/banshi_wasm.js; removed exported globals: ${removed.join(', ') || 'none'}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

// The package's `./miniprogram` entry is built from the module and engine just written, so a
// rebuilt dist/ never lacks it.
run(process.execPath, [join(root, 'bindings/miniprogram/scripts/build.mjs'), '--npm-only'], { stdio: 'inherit' });
