// Browser entry (also web workers, bundlers and mini-program webviews): fetches the module from
// beside the glue, or from `wasm` when the page hosts it elsewhere; instantiates it once per page.

import init from '../dist/banshi_wasm.js';
import { defineEngine } from './engine.js';

export { BanshiError, todayInChina } from './engine.js';

/** @param {unknown} wasm a URL, a Response, bytes or a compiled module; default: the packaged file */
async function initialize(wasm) {
  // The glue instantiates once per page (later calls return at once) and retries after a
  // failed fetch. `new URL(…, import.meta.url)` is the pattern bundlers (Vite, webpack, Rollup)
  // recognise, so the .wasm file is copied into the app's build.
  await init({ module_or_path: wasm !== undefined && wasm !== null ? wasm : new URL('../dist/banshi_wasm_bg.wasm', import.meta.url) });
}

export const Engine = /* @__PURE__ */ defineEngine(initialize);
