// The 1,000-matter bundle in WebAssembly (issue 7, item 4): how long the npm package takes to
// load a bundle (verify its hash, parse, compile every matter) and how much memory that takes,
// beside the same for the shipped bundle, and a decision on a generated matter of it.
//
//   node tests/bench/node/load.mjs BUNDLE.json [SHIPPED.json] [ROUNDS]
//
// tests/bench/scale.sh runs it on the bundle `banshi generate bundle --matters 1000` writes.
// Each round loads into a fresh engine and frees it, so the module's memory holds at most two
// engines' worth; the figures are the median of the rounds, with the module's linear memory
// (which never shrinks: it is the high-water mark) and the process's resident set.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [bundlePath, shippedPath, roundsText] = process.argv.slice(2);
if (bundlePath === undefined) {
  console.error('usage: node tests/bench/node/load.mjs BUNDLE.json [SHIPPED.json] [ROUNDS]');
  process.exit(2);
}
const rounds = Number(roundsText ?? '5');
const { Engine } = await import(pathToFileURL(join(root, 'bindings', 'npm', 'src', 'node.js')).href);
const glue = await import(pathToFileURL(join(root, 'bindings', 'npm', 'dist', 'banshi_wasm.js')).href);
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(label, path) {
  const text = readFileSync(path, 'utf8');
  const times = [];
  let engine = null;
  for (let r = 0; r < rounds; r += 1) {
    if (engine !== null) engine.free();
    const start = performance.now();
    engine = await Engine.load(text, { development: true }); // generated bundles are unsigned
    times.push(performance.now() - start);
  }
  const matters = engine.matters();
  const codes = [...new Set(matters.map((m) => m.code))];
  const code = codes[codes.length - 1];
  const on = matters.filter((m) => m.code === code).map((m) => m.effective).sort().pop();
  const decideTimes = [];
  for (let r = 0; r < 200; r += 1) {
    const start = performance.now();
    engine.decide(code, {}, { on });
    decideTimes.push(performance.now() - start);
  }
  const memory = glue.WasmEngine.memory().buffer.byteLength;
  console.log(
    `${label}: ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB, ${codes.length} matters (${matters.length} versions); ` +
      `load ${median(times).toFixed(0)} ms (median of ${rounds}; min ${Math.min(...times).toFixed(0)}); ` +
      `module memory ${mib(memory)} (high-water); process RSS ${mib(process.memoryUsage().rss)}; ` +
      `decide (no facts) on its last matter ${(median(decideTimes) * 1000).toFixed(0)} µs`,
  );
  engine.free();
  return { ms: median(times), memory };
}

if (shippedPath !== undefined) await measure('shipped bundle', shippedPath);
await measure('large bundle', bundlePath);
