// Catalogue scale in WebAssembly: the npm package opening one bundle file (a catalogue, or the
// format before catalogues) and deciding with it. One file per process, so that the module's
// memory (which never shrinks: its size is the high-water mark) is that file's alone.
//
//   node tests/bench/node/catalogue.mjs FILE [SHIPPED] [PACKAGE]
//
// PACKAGE is the npm package's folder to use (default: bindings/npm): a build from before
// catalogues, for bundles of that format, which this package refuses.
// The module is instantiated first with SHIPPED (or an empty catalogue's failure), so that the
// open time is the rules' alone. A catalogue is given as bytes, as a server or a page reads it
// (`fetch(…).arrayBuffer()`), a bundle of the format before catalogues as text, as then.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [file, shipped, packageDir] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node tests/bench/node/catalogue.mjs FILE [SHIPPED]');
  process.exit(2);
}
const npm = packageDir === undefined ? join(root, 'bindings', 'npm') : packageDir;
const { Engine } = await import(pathToFileURL(join(npm, 'src', 'node.js')).href);
const glue = await import(pathToFileURL(join(npm, 'dist', 'banshi_wasm.js')).href);
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
// The machine is shared: wall time includes waiting for a core, so CPU time is given beside it.
const span = () => {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - wall, cpu: (used.user + used.system) / 1000 };
  };
};
const both = (t) => `${t.cpu.toFixed(1)} ms CPU (${t.wall.toFixed(1)} wall)`;

if (shipped !== undefined) (await Engine.load(readFileSync(shipped, 'utf8'), { development: true })).free();
// The glue's init answers the instance's exports once it is instantiated: its memory among them.
const exports = await glue.default();
const moduleMemory = () => exports.memory.buffer.byteLength;
// What the engines hold, beside the memory's size (`Engine.memory()`; a package from before it
// has only the size).
const held = () => {
  if (typeof Engine.memory !== 'function') return 'in use: not counted by this package';
  const { inUse, peak } = Engine.memory();
  return `in use ${mib(inUse)}, peak ${mib(peak)}`;
};
const before = moduleMemory();
const bytes = readFileSync(file);
const legacy = bytes.subarray(0, 40).toString('utf8').includes('banshi-bundle/1');
const input = legacy ? bytes.toString('utf8') : bytes;
let done = span();
const engine = await Engine.load(input, { development: true }); // generated bundles are unsigned
const open = done();
const afterOpen = held();
const matters = engine.matters();
const step = Math.max(1, Math.floor(matters.length / 20));
const picked = [...matters].reverse().filter((_, i) => i % step === 0).slice(0, 20);
// The first compile in a process also compiles the module's compiling code (V8 compiles
// WebAssembly lazily): measured apart from a second matter's, which a session's later matters see.
done = span();
engine.decide(picked[0].code, {}, { on: picked[0].effective });
const first = done();
done = span();
engine.decide(picked[1].code, {}, { on: picked[1].effective });
const second = done();
done = span();
for (let i = 0; i < 100; i += 1) engine.decide(picked[0].code, {}, { on: picked[0].effective });
const again = done().cpu / 100;
for (const m of picked) engine.decide(m.code, {}, { on: m.effective });
const memory = moduleMemory();
console.log(
  `${file.split('/').pop()}: ${(bytes.length / 1e6).toFixed(1)} MB, ${matters.length} versions; ` +
    `open ${both(open)}; first decision ${both(first)}, of a second matter ${both(second)}, again ${(again * 1000).toFixed(0)} µs; ` +
    `module memory after the open ${afterOpen}; after 20 decisions ${held()}, size ${mib(memory)} (high-water; ${mib(before)} before the open); ` +
    `process RSS ${mib(process.memoryUsage().rss)}`,
);
engine.free();
