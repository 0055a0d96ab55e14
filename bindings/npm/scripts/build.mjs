// Builds the package's WebAssembly module and its JS glue into dist/:
//   1. cargo builds `banshi-wasm` for wasm32v1-none (the MVP plus mutable globals) with the
//      size-optimised `wasm` profile;
//   2. the wasm-bindgen CLI, exactly the version Cargo.toml pins, writes the ESM glue;
//   3. exported globals are removed from the module (iOS mini-programs refuse them);
//   4. the glue learns to forget a module that trapped (`withDiscard`), so that the package can
//      instantiate a fresh one (src/engine.js).
// No wasm-opt step: measured on this module, binaryen's -Oz made the gzip size larger, not
// smaller, and cost twenty seconds.
// Usage: node scripts/build.mjs   (needs cargo, rustup's wasm32v1-none target and wasm-bindgen)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * The glue with `__banshi_discard()`, which forgets the instance so that the entry points can
 * instantiate the module again after a trap (src/engine.js). The glue keeps its instance in
 * module-level variables and `init` returns at once when one is set; rather than load a second
 * copy of the glue (a new module URL each time, which bundlers and WeChat's `require` cannot do),
 * the same copy is told to start over. A trap leaves the instance unusable: the shadow stack
 * pointer is never restored and the engine it was running stays borrowed.
 *
 * Objects made by a discarded instance must never reach the next one: each is registered for
 * finalization with the instance it came from, and a finalizer only frees objects of the
 * current instance (a stale pointer freed in a fresh instance would corrupt its memory; calling
 * into the trapped one could trap again, inside a finalizer). The text is checked, so a
 * wasm-bindgen that writes the glue differently fails the build rather than the recovery.
 */
export function withDiscard(glue) {
  const register = /(\w+Finalization)\.register\(obj, obj\.__wbg_ptr, obj\);/g;
  const registry = /new FinalizationRegistry\(ptr => (wasm\.__wbg_\w+_free)\(ptr, 1\)\)/g;
  const registers = (glue.match(register) || []).length;
  const registries = (glue.match(registry) || []).length;
  if (registers === 0 || registers !== registries) {
    throw new Error(`the glue registers ${registers} and defines ${registries} finalizers of the expected shape: wasm-bindgen changed; update withDiscard`);
  }
  const loader = '\nasync function __wbg_load(';
  const exportLine = /^export \{ initSync, __wbg_init as default \};$/m;
  if (!glue.includes(loader) || !exportLine.test(glue)) {
    throw new Error('the glue has no `async function __wbg_load(` or no `export { initSync, __wbg_init as default };`: wasm-bindgen changed; update withDiscard');
  }
  for (const name of ['wasm', 'wasmInstance', 'wasmModule', 'cachedDataViewMemory0', 'cachedUint8ArrayMemory0', 'heap', 'heap_next']) {
    if (!new RegExp(`^let (?:[\\w$]+, )*${name}\\b`, 'm').test(glue)) throw new Error(`the glue no longer declares \`${name}\` with let; update withDiscard`);
  }
  // Returns the compiled module, to instantiate again. `__wbg_init_promise` is declared by the
  // loader at the end of the glue, which the mini-program's glue does not keep.
  const discard = `
// bindings/npm/scripts/build.mjs (withDiscard)
let __banshi_instance = 0;
function __banshi_discard() {
    __banshi_instance += 1;
    wasm = wasmInstance = undefined;
    cachedDataViewMemory0 = cachedUint8ArrayMemory0 = null;
    heap = new Array(1024).fill(undefined);
    heap.push(undefined, null, true, false);
    heap_next = heap.length;
    if (typeof __wbg_init_promise !== 'undefined') __wbg_init_promise = undefined;
    return wasmModule;
}
`;
  return glue
    .replace(register, '$1.register(obj, { ptr: obj.__wbg_ptr, instance: __banshi_instance }, obj);')
    .replace(registry, 'new FinalizationRegistry(held => { if (held.instance === __banshi_instance) $1(held.ptr, 1); })')
    .replace(loader, `${discard}${loader}`)
    .replace(exportLine, (line) => `${line}\nexport { __banshi_discard };`);
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
  writeFileSync(join(dist, 'banshi_wasm.js'), withDiscard(glue));
  console.log(`built dist/banshi_wasm_bg.wasm (${bytes.length} bytes) and dist/banshi_wasm.js; removed exported globals: ${removed.join(', ') || 'none'}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

// The package's `./miniprogram` entry is built from the module and engine just written, so a
// rebuilt dist/ never lacks it.
run(process.execPath, [join(root, 'bindings/miniprogram/scripts/build.mjs'), '--npm-only'], { stdio: 'inherit' });
