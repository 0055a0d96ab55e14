// Builds the rule loader's WebAssembly module for `npx banshi bundle` (bin/banshi.mjs):
// bindings/loader-wasm for wasm32-unknown-unknown, then wasm-bindgen's Node glue, into
// dist/loader/. A module apart from the engine's: Node alone runs it, so it may use std and any
// feature Node has, and the engine's size budget is not touched.
// Usage: node bindings/npm/scripts/build-loader.mjs   (needs the wasm32-unknown-unknown target
// and the wasm-bindgen CLI at the version Cargo.toml pins; tests/wasm.sh installs both)

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const root = join(pkg, '..', '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

run('cargo', ['build', '-q', '-p', 'banshi-loader-wasm', '--target', 'wasm32-unknown-unknown', '--profile', 'loader-wasm', '--locked']);
const metadata = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 }));
const wasm = join(metadata.target_directory, 'wasm32-unknown-unknown', 'loader-wasm', 'banshi_loader_wasm.wasm');
const out = join(pkg, 'dist', 'loader');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
run('wasm-bindgen', ['--target', 'nodejs', '--no-typescript', '--out-dir', out, wasm]);
// wasm-bindgen's Node glue is CommonJS, in a package whose files are ES modules.
writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
console.log(`loader: ${out}`);
