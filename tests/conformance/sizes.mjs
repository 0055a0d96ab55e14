// Sizes of what a front end downloads, raw, gzip (level 9) and brotli (quality 11): the module,
// the JS (wasm-bindgen's glue and the package's own), and the rules bundle. Fails when the
// module plus the glue exceed the budget of 275 KB gzip (200 KB until signed rules: the
// Ed25519 verifier every channel runs costs 8.5 KB, the trust and receipt-key options 3.5 KB;
// 210 KB until the 办事指南 and the implementations' marks reached every channel, 9.8 KB; 220 KB
// until themes, 一件事一次办: their check, decision and bundle format, about 30 KB;
// 250 KB until the plans' indicators, `engine.indicators()`, about 9 KB; 260 KB until the
// verification marks, route limits, 通办 and version ends reached decisions, about 9 KB
// measured together: 269.2 KB with all of them; 270 KB until catalogues: reading the index,
// checking each matter against its hash and canonical form when it is first compiled, themes
// compiled when first asked for, and the split-delivery calls, about 9 KB: 278.2 KB; 276.1 KB
// once four sorts of the core shared one copy of the sorting code, with the indicators' regions
// and 高频 added; 280 KB until themes by region and the index in pages, its pages read and
// checked when first needed, about 5 KB: 282.2 KB; 285 KB until the core read JSON through one
// reader that takes structs from objects only, which dropped every rule type's reader for arrays,
// 279.2 -> 264.0 KB for the module; 271.3 KB with the memory count, nested regions and the
// entries' line positions after it). The target is 150 KB: what it takes is in
// tests/bench/README.md.
// Usage: node sizes.mjs PACKAGE_DIR BUNDLE.json

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const BUDGET = 275 * 1000;
const [packageDir, bundle] = process.argv.slice(2);

function measure(files) {
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const rows = [
  ['wasm module (dist/banshi_wasm_bg.wasm)', measure([join(packageDir, 'dist/banshi_wasm_bg.wasm')])],
  ['JS glue (dist/banshi_wasm.js)', measure([join(packageDir, 'dist/banshi_wasm.js')])],
  ['package JS (src/engine.js + src/browser.js)', measure([join(packageDir, 'src/engine.js'), join(packageDir, 'src/browser.js')])],
  ['rules bundle (banshi bundle rules)', measure([bundle])],
];
console.log(`${'size'.padEnd(46)}${'raw'.padStart(11)}${'gzip'.padStart(11)}${'brotli'.padStart(11)}`);
for (const [name, s] of rows) console.log(`${name.padEnd(46)}${kb(s.raw).padStart(11)}${kb(s.gzip).padStart(11)}${kb(s.brotli).padStart(11)}`);
const [wasm, glue] = [rows[0][1], rows[1][1]];
const total = wasm.gzip + glue.gzip;
console.log(`sizes: wasm + glue ${kb(total)} gzip (${kb(wasm.brotli + glue.brotli)} brotli); budget ${kb(BUDGET)} gzip`);
if (total > BUDGET) {
  console.error(`sizes: over budget by ${kb(total - BUDGET)}`);
  process.exit(1);
}
