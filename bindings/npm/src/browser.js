// Browser entry (also web workers, bundlers and mini-program webviews): fetches the module from
// beside the glue, or from `wasm` when the page hosts it elsewhere; instantiates it once per page,
// and again after a trap (see defineEngine in ./engine.js).

import init, { initSync, __banshi_discard } from '../dist/banshi_wasm.js';
import { defineEngine } from './engine.js';

export { BanshiError, todayInChina } from './engine.js';

/** @param {unknown} wasm a URL, a Response, bytes or a compiled module; default: the packaged file */
async function initialize(wasm) {
  // The glue instantiates once per page (later calls return at once) and retries after a
  // failed fetch. `new URL(…, import.meta.url)` is the pattern bundlers (Vite, webpack, Rollup)
  // recognise, so the .wasm file is copied into the app's build.
  await init({ module_or_path: wasm !== undefined && wasm !== null ? wasm : new URL('../dist/banshi_wasm_bg.wasm', import.meta.url) });
}

/**
 * Discards the instance and instantiates the module it was compiled from, without fetching it
 * again: synchronously, so that the very next call works, unless the browser refuses (older
 * Chrome refuses `new WebAssembly.Instance` of a module over 4 KB on the main thread), then
 * asynchronously.
 */
function restart() {
  const module = __banshi_discard();
  try {
    initSync({ module });
    return undefined;
  } catch (e) {
    return init({ module_or_path: module }).then(() => undefined);
  }
}

export const Engine = /* @__PURE__ */ defineEngine(initialize, restart);
