// Steady decisions, this package against an earlier build of it, in one process: each matter of
// the shipped rules (and, given a generated catalogue, its copies there) decided again and again
// once compiled, with the same facts and date on both sides, in alternating rounds so that the
// shared machine's load falls on both alike. Prints the median time of a decision per matter and
// side, the ratio this / earlier, and their geometric mean.
//
//   node tests/bench/node/steady.mjs OLD_PACKAGE OLD_BUNDLE NEW_BUNDLE [CATALOGUE]
//
// OLD_PACKAGE is the earlier npm package's folder (built with its own scripts/build.mjs), with
// OLD_BUNDLE the shipped rules as its `banshi bundle` wrote them; NEW_BUNDLE is this tree's. A
// CATALOGUE of generated matters (`banshi generate bundle --matters 1000`) is opened by this
// package too, and its copies of the shipped matters decided as a third column: a catalogue's
// size must not show in a decision once its matter is compiled.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [oldPackage, oldBundle, newBundle, catalogue] = process.argv.slice(2);
if (newBundle === undefined) {
  console.error('usage: node tests/bench/node/steady.mjs OLD_PACKAGE OLD_BUNDLE NEW_BUNDLE [CATALOGUE]');
  process.exit(2);
}
const load = async (dir) => (await import(pathToFileURL(join(dir, 'src', 'node.js')).href)).Engine;
const OldEngine = await load(oldPackage);
const NewEngine = await load(join(root, 'bindings', 'npm'));
const older = await OldEngine.load(readFileSync(oldBundle, 'utf8'), { development: true });
const newer = await NewEngine.load(readFileSync(newBundle), { development: true });
const large = catalogue === undefined ? undefined : await NewEngine.load(readFileSync(catalogue), { development: true });

const ON = '2026-03-02';
const inForce = (engine) => new Map(engine.matters().filter((m) => m.effective <= ON && (m.end === undefined || m.end === null || m.end > ON)).map((m) => [m.code, m]));
const oldCodes = inForce(older);
const shipped = [...inForce(newer).values()].filter((m) => oldCodes.has(m.code));
// A generated matter is a copy of a shipped one under another 实施编码, named after it with the
// district and a number in brackets: `失业保险金申领（新城区·0061）`.
const copies = new Map();
for (const m of large === undefined ? [] : inForce(large).values()) {
  const name = m.name.replace(/（[^（）]*·\d+）$/, '');
  if (!copies.has(name)) copies.set(name, m.code);
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const ROUNDS = 7;
const CALLS = 100;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Microseconds a decision, median over rounds, each side in its turn. */
function measure(sides) {
  for (const [engine, code] of sides) for (let i = 0; i < 20; i += 1) engine.decideJson(code, {}, { on: ON });
  const times = sides.map(() => []);
  for (let r = 0; r < ROUNDS; r += 1) {
    sides.forEach(([engine, code], s) => {
      const start = cpu();
      for (let i = 0; i < CALLS; i += 1) engine.decideJson(code, {}, { on: ON });
      times[s].push(((cpu() - start) * 1000) / CALLS);
    });
  }
  return times.map(median);
}

const ratios = [];
const rows = [];
for (const m of shipped) {
  const sides = [[older, m.code], [newer, m.code]];
  const copy = copies.get(m.name);
  if (copy !== undefined && copy !== m.code) sides.push([large, copy]);
  const [was, now, inLarge] = measure(sides);
  ratios.push(now / was);
  rows.push(`${m.code} ${m.name}: earlier ${was.toFixed(0)} µs, this ${now.toFixed(0)} µs (${(now / was).toFixed(2)}x)` +
    (inLarge === undefined ? '' : `, its copy in the catalogue ${inLarge.toFixed(0)} µs`));
}
for (const row of rows) console.log(row);
const mean = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / ratios.length);
console.log(`steady decisions, ${ratios.length} matters: this / earlier, geometric mean ${mean.toFixed(2)}x`);
