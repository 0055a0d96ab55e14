// Node entry: reads the module from beside this package, instantiates it once per process, and
// again after a trap (see defineEngine in ./engine.js).

import { readFile } from 'node:fs/promises';
import init, { initSync, __banshi_discard } from '../dist/banshi_wasm.js';
import { defineEngine } from './engine.js';

export { BanshiError, todayInChina } from './engine.js';

let ready = false;

/** @param {unknown} wasm bytes or a compiled module to use instead of the packaged file */
async function initialize(wasm) {
  // The glue instantiates once and shares a pending instantiation; this flag only saves
  // reading the file again for a second engine.
  if (ready) return;
  await init({ module_or_path: wasm ?? (await readFile(new URL('../dist/banshi_wasm_bg.wasm', import.meta.url))) });
  ready = true;
}

/** Discards the instance and instantiates the module it was compiled from: synchronously in Node. */
function restart() {
  initSync({ module: __banshi_discard() });
}

export const Engine = /* @__PURE__ */ defineEngine(initialize, restart);
