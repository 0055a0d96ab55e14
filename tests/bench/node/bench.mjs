// The Node benchmark of issue 7: decisions per second of the `banshi` npm package (the
// WebAssembly module) against json-logic-js and @gorules/zen-engine evaluating the same
// eligibility conditions, with the native figure as the reference point, in one run.
//
//   node tests/bench/node/bench.mjs            full run (about 3 minutes after the builds)
//   node tests/bench/node/bench.mjs --smoke    every part on a handful of applications, seconds
//
// Options: --seconds S (per measurement and round, default 2), --rounds R (default 5),
// --count N (generated applications, default 2000), --seed N (default 1), --json FILE (the
// figures as JSON). Exits non-zero when a part fails, when a peer's verdict differs from
// banshi's on an application whose facts are complete, or when the package's envelopes differ
// from the native ones. Figures and what they mean: tests/bench/README.md, "Node".
//
// What runs:
// 1. Builds what is missing: the npm package (bindings/npm/scripts/build.mjs) when dist/ is
//    missing or older than the Rust sources; `banshi` and the `decide_rate` example (release;
//    the dev profile with --smoke); installs the peers from package-lock.json when missing.
// 2. Writes the bundle of rules/ (`banshi bundle rules`) and the applications: every rule case
//    (rules/*/cases/*.json) and `banshi generate cases --count N --seed S`. The applications
//    measured are those whose facts answer every fact the matter's conditions read (directly or
//    through a situation): the peers evaluate two-valued logic and are only comparable there.
// 3. Translates each matter's [[conditions]] (translate.mjs) into one JsonLogic rule and one zen
//    decision graph, checks every verdict against banshi's, and checks that the package's
//    envelopes hash the same as the native ones.
// 4. Measures, round-robin over the rounds so that a noisy neighbour hits every part alike,
//    each part for a fixed time after a warm-up; reports the median and the ratios.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { between, eligibility, JSON_LOGIC_OPERATIONS } from './translate.mjs';
import { readCatalogue } from '../../conformance/catalogue.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
function option(name, fallback) {
  const i = argv.indexOf(name);
  if (i === -1) return fallback;
  const value = argv[i + 1];
  if (value === undefined) usage(`${name} needs a value`);
  return value;
}
function usage(message) {
  console.error(`${message}\nusage: node tests/bench/node/bench.mjs [--smoke] [--seconds S] [--rounds R] [--count N] [--seed N] [--json FILE]`);
  process.exit(2);
}
const known = new Set(['--smoke', '--seconds', '--rounds', '--count', '--seed', '--json']);
for (const a of argv) if (a.startsWith('--') && !known.has(a)) usage(`unknown option ${a}`);
const smoke = argv.includes('--smoke');
const seconds = Number(option('--seconds', smoke ? '0.05' : '2'));
const rounds = Number(option('--rounds', smoke ? '1' : '5'));
const warmupSeconds = smoke ? 0.02 : 1;
const count = Number(option('--count', smoke ? '30' : '2000'));
const seed = Number(option('--seed', '1'));
const jsonOut = option('--json', undefined);
if (!(seconds > 0 && rounds >= 1 && Number.isInteger(rounds) && count >= 0 && Number.isInteger(count))) usage('bad option value');

const problems = [];
function problem(message) {
  problems.push(message);
  console.error(`PROBLEM: ${message}`);
}
const log = (...a) => console.log(...a);

function run(command, args, options = {}) {
  return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28, ...options });
}

// ---------------------------------------------------------------------------------------------
// 1. Builds

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let m = 0;
  for (const entry of readdirSync(path)) m = Math.max(m, newest(join(path, entry)));
  return m;
}

const dist = join(root, 'bindings', 'npm', 'dist');
const wasmFile = join(dist, 'banshi_wasm_bg.wasm');
const glueFile = join(dist, 'banshi_wasm.js');
const sources = ['core/src', 'wasm/src', 'core/Cargo.toml', 'wasm/Cargo.toml', 'Cargo.toml', 'Cargo.lock'].map((p) => join(root, p)).filter((p) => existsSync(p));
if (!existsSync(wasmFile) || !existsSync(glueFile) || statSync(wasmFile).mtimeMs < Math.max(...sources.map(newest))) {
  log('==> the npm package is missing or older than the Rust sources: node bindings/npm/scripts/build.mjs');
  try {
    run('node', ['bindings/npm/scripts/build.mjs'], { stdio: 'inherit' });
  } catch {
    console.error('building the package failed; `bash tests/wasm.sh` installs the tools it needs and builds it');
    process.exit(1);
  }
}

if (!existsSync(join(here, 'node_modules', 'json-logic-js')) || !existsSync(join(here, 'node_modules', '@gorules', 'zen-engine'))) {
  log('==> the peers are not installed: npm ci (tests/bench/node)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}

const profile = smoke ? 'debug' : 'release';
log(`==> cargo build${smoke ? '' : ' --release'} -p banshi-cli --bin banshi --example decide_rate`);
run('cargo', ['build', '-q', ...(smoke ? [] : ['--release']), '-p', 'banshi-cli', '--bin', 'banshi', '--example', 'decide_rate', '--locked'], { stdio: 'inherit' });
const targetDir = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps'])).target_directory;
const banshiBin = join(targetDir, profile, 'banshi');
const rateBin = join(targetDir, profile, 'examples', 'decide_rate');

// ---------------------------------------------------------------------------------------------
// 2. Bundle and applications

const work = mkdtempSync(join(os.tmpdir(), 'banshi-node-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const bundlePath = join(work, 'bundle.json');
run(banshiBin, ['bundle', 'rules', '-o', bundlePath]);
const bundleText = readFileSync(bundlePath, 'utf8');
// A catalogue: its entries name each complete matter file, whose text is on a line of its own.
const { entries, matters: matterLines } = readCatalogue(bundleText);

const matters = new Map(); // code → { folder, rules: eligibility(), decision (zen) }
const codeOfFolder = new Map();
for (const [i, m] of entries.entries()) {
  const folder = m.file.split('/')[0];
  const rules = eligibility(JSON.parse(matterLines[i]));
  matters.set(rules.code, { folder, rules });
  codeOfFolder.set(folder, rules.code);
}

const applications = [];
for (const folder of [...codeOfFolder.keys()].sort()) {
  const casesDir = join(root, 'rules', folder, 'cases');
  if (!existsSync(casesDir)) continue;
  for (const file of readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(join(casesDir, file), 'utf8'));
    applications.push({ source: `rules/${folder}/cases/${file}`, matter: codeOfFolder.get(folder), on: c.on, facts: c.facts ?? {} });
  }
}
const ruleCases = applications.length;
if (count > 0) {
  const generated = run(banshiBin, ['generate', 'cases', '--count', String(count), '--seed', String(seed)]);
  for (const [i, line] of generated.trim().split('\n').entries()) {
    const a = JSON.parse(line);
    applications.push({ source: `generated #${i}`, matter: a.matter, on: a.on, facts: a.facts });
  }
}

const given = (v) => v !== undefined && v !== null;
const complete = applications.filter((a) => matters.has(a.matter) && matters.get(a.matter).rules.uses.every((f) => given(a.facts[f])));
log(`applications: ${applications.length} (${ruleCases} rule cases, ${applications.length - ruleCases} generated, seed ${seed}); ${complete.length} answer every fact their matter's conditions read: those are measured`);
if (complete.length === 0) {
  console.error('no application with complete facts');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// 3. Engines, translation and agreement

const require = createRequire(join(here, 'package.json'));
const jsonLogic = require('json-logic-js');
const { ZenEngine, evaluateExpressionSync } = require('@gorules/zen-engine');
for (const [name, fn] of Object.entries(JSON_LOGIC_OPERATIONS)) jsonLogic.add_operation(name, fn);

// Whole units between dates, on the edges the generated applications may miss: month ends, leap
// days, b before a. Expected values are core/src/expr's (see its months_and_years test).
const DATE_EDGES = [
  ['months', '2026-01-31', '2026-02-28', 0],
  ['months', '2026-02-28', '2026-01-31', 0],
  ['months', '2026-01-31', '2026-03-31', 2],
  ['months', '2026-03-15', '2026-01-20', -1],
  ['years', '2008-02-29', '2026-02-28', 17],
  ['years', '2008-02-29', '2026-03-01', 18],
  ['years', '2000-05-10', '2018-05-10', 18],
  ['years', '2026-03-15', '2025-03-16', 0],
  ['years', '2026-03-15', '2024-03-15', -2],
  ['days', '2026-02-28', '2026-03-01', 1],
  ['days', '2024-03-01', '2024-02-28', -2],
];
let dateEdgesPassed = 0;
for (const [unit, a, b, expected] of DATE_EDGES) {
  const formulas = between(unit, a, b);
  const jl = jsonLogic.apply(formulas.jsonLogic, {});
  let zenValue;
  try {
    zenValue = Number(evaluateExpressionSync(formulas.zen, {}));
  } catch (e) {
    zenValue = String(e).split('\n')[0];
  }
  if (jl === expected && zenValue === expected) dateEdgesPassed += 1;
  else problem(`${unit}_between(${a}, ${b}) is ${expected} in banshi; json-logic-js gives ${jl}, zen ${zenValue}`);
}
log(`date arithmetic on month ends, leap days and reversed dates: both peers match the core on ${dateEdgesPassed}/${DATE_EDGES.length}`);
const { Engine } = await import(pathToFileURL(join(root, 'bindings', 'npm', 'src', 'node.js')).href);
// Unsigned, in development mode (receipts with the development key: the same work as a keyed one).
const engine = await Engine.load(bundleText, { development: true });
const zenEngine = new ZenEngine();
for (const m of matters.values()) m.decision = zenEngine.createDecision(m.rules.zen);

function fnv1a(hash, text) {
  let h = hash;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const sameIds = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const agreement = { checked: 0, eligible: 0, ineligible: 0, jsonLogic: 0, jsonLogicIds: 0, zen: 0 };
let envelopes = 0x811c9dc5;
let eligibilityEnvelopes = 0x811c9dc5;
const shown = { jsonLogic: 0, zen: 0 };
// zen reports how long each evaluation took inside the engine (`performance`, e.g. "86.7µs").
const zenOwnTimes = [];
function microseconds(text) {
  const found = /^([0-9.]+)\s*(ns|µs|us|ms|s)$/.exec(String(text).trim());
  if (found === null) return NaN;
  return Number(found[1]) * { ns: 0.001, µs: 1, us: 1, ms: 1000, s: 1e6 }[found[2]];
}
const measured = [];
for (const a of complete) {
  const m = matters.get(a.matter);
  let decision;
  try {
    decision = engine.decide(a.matter, a.facts, { on: a.on });
  } catch (e) {
    // An application the core refuses (invalid facts) is not a decision: left out.
    log(`left out ${a.source}: ${e.code ?? ''} ${e.message}`);
    continue;
  }
  measured.push(a);
  envelopes = fnv1a(envelopes, engine.decideJson(a.matter, a.facts, { on: a.on }));
  eligibilityEnvelopes = fnv1a(eligibilityEnvelopes, engine.eligibilityJson(a.matter, a.facts, { on: a.on }));
  const quick = engine.eligibility(a.matter, a.facts, { on: a.on });
  if (!sameIds(quick.failed.map((f) => f.id).sort(), decision.failed.map((f) => f.id).sort())) problem(`eligibility fails [${quick.failed.map((f) => f.id)}] where decide fails [${decision.failed.map((f) => f.id)}]: ${a.source}`);
  const data = { facts: a.facts, on: a.on };
  const failed = decision.failed.map((f) => f.id).sort();
  const eligible = failed.length === 0;
  agreement.checked += 1;
  agreement[eligible ? 'eligible' : 'ineligible'] += 1;
  const jl = jsonLogic.apply(m.rules.jsonLogic, data);
  const jlFailed = m.rules.conditions.filter((c) => jsonLogic.truthy(jsonLogic.apply(c.jsonLogicFails, data))).map((c) => c.id).sort();
  if (jl === eligible) agreement.jsonLogic += 1;
  if (sameIds(jlFailed, failed)) agreement.jsonLogicIds += 1;
  else if (shown.jsonLogic++ < 5) problem(`json-logic-js fails [${jlFailed}] where banshi fails [${failed}]: ${a.source} (${m.folder})`);
  let zenFailed;
  try {
    const response = await m.decision.evaluate(data);
    zenFailed = (Array.isArray(response.result) ? response.result : [response.result]).filter((r) => r && r.failed !== undefined).map((r) => r.failed).sort();
  } catch (e) {
    zenFailed = [`error: ${String(e).split('\n')[0]}`];
  }
  if (sameIds(zenFailed, failed)) agreement.zen += 1;
  else if (shown.zen++ < 5) problem(`zen fails [${zenFailed}] where banshi fails [${failed}]: ${a.source} (${m.folder})`);
}
if (measured.length === 0) {
  console.error('banshi refused every application');
  process.exit(1);
}
if (agreement.jsonLogic !== agreement.checked) problem(`json-logic-js's verdict differs from banshi's on ${agreement.checked - agreement.jsonLogic} of ${agreement.checked} applications`);
if (agreement.jsonLogicIds !== agreement.checked) problem(`json-logic-js's failed conditions differ from banshi's on ${agreement.checked - agreement.jsonLogicIds} of ${agreement.checked} applications`);
if (agreement.zen !== agreement.checked) problem(`zen's failed conditions differ from banshi's on ${agreement.checked - agreement.zen} of ${agreement.checked} applications`);
log(
  `agreement on ${agreement.checked} applications with complete facts (${agreement.eligible} eligible, ${agreement.ineligible} ineligible): ` +
    `json-logic-js verdict ${agreement.jsonLogic}/${agreement.checked}, its failed conditions ${agreement.jsonLogicIds}/${agreement.checked}; ` +
    `zen failed conditions ${agreement.zen}/${agreement.checked}`,
);

const appsPath = join(work, 'applications.jsonl');
writeFileSync(appsPath, measured.map((a) => JSON.stringify({ matter: a.matter, on: a.on, facts: a.facts })).join('\n') + '\n');
function native(time, warmup) {
  return JSON.parse(run(rateBin, [bundlePath, appsPath, String(time), String(warmup)]));
}
const nativeCheck = native(0.001, 0);
if (nativeCheck.applications !== measured.length) problem(`the native run read ${nativeCheck.applications} applications, not ${measured.length}`);
if (nativeCheck.envelopes_fnv1a !== envelopes) problem('the package\'s decideJson envelopes differ from the native ffi::Engine::decide ones on these applications');
else log(`the package's decideJson envelopes hash like the native ones (FNV-1a ${envelopes.toString(16)}): the same ${measured.length} decisions, byte for byte`);
if (nativeCheck.eligibility_fnv1a !== eligibilityEnvelopes) problem('the package\'s eligibilityJson envelopes differ from the native ffi::Engine::eligibility ones on these applications');
else log(`the package's eligibilityJson envelopes hash like the native ones (FNV-1a ${eligibilityEnvelopes.toString(16)})`);

// ---------------------------------------------------------------------------------------------
// 4. Measurements

const apps = measured.map((a) => ({ code: a.matter, facts: a.facts, options: { on: a.on }, m: matters.get(a.matter) }));
const n = apps.length;
let sink = 0;

/** Runs `step(i)` round-robin over the applications for `time` seconds: decisions a second. */
function rateSync(time, step) {
  const start = performance.now();
  const stop = start + time * 1000;
  let done = 0;
  let now;
  do {
    for (let k = 0; k < 64; k += 1) {
      step(apps[done % n]);
      done += 1;
    }
    now = performance.now();
  } while (now < stop);
  return (done * 1000) / (now - start);
}

async function rateAsync(time, step) {
  const start = performance.now();
  const stop = start + time * 1000;
  let done = 0;
  let now;
  do {
    for (let k = 0; k < 16; k += 1) {
      await step(apps[done % n]);
      done += 1;
    }
    now = performance.now();
  } while (now < stop);
  return (done * 1000) / (now - start);
}

const BATCH = 256;
async function rateBatched(time) {
  const start = performance.now();
  const stop = start + time * 1000;
  let done = 0;
  let now;
  do {
    const batch = [];
    for (let k = 0; k < BATCH; k += 1) {
      const a = apps[(done + k) % n];
      batch.push(a.m.decision.evaluate({ facts: a.facts, on: a.options.on }));
    }
    const results = await Promise.all(batch);
    sink += results.length;
    done += BATCH;
    now = performance.now();
  } while (now < stop);
  return (done * 1000) / (now - start);
}

const parts = [
  {
    key: 'wasm_decide',
    label: 'banshi wasm `decide` (object in, Decision object out)',
    run: (t) => rateSync(t, (a) => { sink += engine.decide(a.code, a.facts, a.options).status.length; }),
  },
  {
    key: 'wasm_decideJson',
    label: 'banshi wasm `decideJson` (object in, envelope text out)',
    run: (t) => rateSync(t, (a) => { sink += engine.decideJson(a.code, a.facts, a.options).length; }),
  },
  {
    key: 'wasm_questions',
    label: 'banshi wasm `questions` (object in, {status, questions} out)',
    run: (t) => rateSync(t, (a) => { sink += engine.questions(a.code, a.facts, a.options).status.length; }),
  },
  {
    key: 'wasm_eligibility',
    label: 'banshi wasm `eligibility` (object in, {status, failed, questions} out)',
    run: (t) => rateSync(t, (a) => { sink += engine.eligibility(a.code, a.facts, a.options).status.length; }),
  },
  {
    key: 'json_logic',
    label: 'json-logic-js `apply` (eligibility only, true/false)',
    run: (t) => rateSync(t, (a) => { sink += jsonLogic.apply(a.m.rules.jsonLogic, { facts: a.facts, on: a.options.on }) ? 1 : 0; }),
  },
  {
    key: 'zen_await',
    label: 'zen-engine `evaluate`, each awaited (eligibility only, failed ids)',
    run: (t) => rateAsync(t, async (a) => { sink += (await a.m.decision.evaluate({ facts: a.facts, on: a.options.on })).result.length; }),
  },
  {
    key: 'zen_batched',
    label: `zen-engine \`evaluate\`, ${BATCH} in flight (Promise.all; libuv threads)`,
    run: (t) => rateBatched(t),
  },
  { key: 'native', label: 'native', native: true },
];

const samples = Object.fromEntries(parts.filter((p) => !p.native).map((p) => [p.key, []]));
Object.assign(samples, { native_ffi_decide: [], native_ffi_questions: [], native_ffi_eligibility: [], native_rule_set_decide: [], native_evaluate: [] });

log(`\n==> warm-up (${warmupSeconds} s each), then ${rounds} round(s) of ${seconds} s per part, round-robin`);
for (const p of parts) {
  if (p.native) continue;
  try {
    await p.run(warmupSeconds);
  } catch (e) {
    problem(`${p.key} failed: ${e && e.stack ? e.stack : e}`);
    p.failed = true;
  }
}
for (let r = 0; r < rounds; r += 1) {
  for (const p of parts) {
    if (p.failed) continue;
    try {
      if (p.native) {
        const out = native(seconds, smoke ? 0.01 : 0.5);
        samples.native_ffi_decide.push(out.ffi_decide);
        samples.native_ffi_questions.push(out.ffi_questions);
        samples.native_ffi_eligibility.push(out.ffi_eligibility);
        samples.native_rule_set_decide.push(out.rule_set_decide);
        samples.native_evaluate.push(out.evaluate);
      } else {
        samples[p.key].push(await p.run(seconds));
      }
    } catch (e) {
      problem(`${p.key} failed: ${e && e.stack ? e.stack : e}`);
      p.failed = true;
    }
  }
  log(`round ${r + 1}/${rounds} done`);
}

// zen's own figure, warmed: one more pass, awaiting each evaluation.
for (const a of apps) zenOwnTimes.push(microseconds((await a.m.decision.evaluate({ facts: a.facts, on: a.options.on })).performance));
const zenOwn = [...zenOwnTimes].filter((t) => t >= 0).sort((a, b) => a - b)[Math.floor(zenOwnTimes.length / 2)];

const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const figures = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), rounds: xs }]));
for (const [k, f] of Object.entries(figures)) if (!(f.median > 0)) problem(`${k} measured nothing`);

const labels = {
  native_ffi_decide: 'native `ffi::Engine::decide` (JSON text in, envelope out: what the wasm runs)',
  native_ffi_questions: 'native `ffi::Engine::questions`',
  native_ffi_eligibility: 'native `ffi::Engine::eligibility`',
  native_rule_set_decide: 'native `RuleSet::decide` (facts already parsed)',
  native_evaluate: 'native `RuleSet::evaluate` (no receipt, nothing written out; facts JSON parsed)',
  ...Object.fromEntries(parts.filter((p) => !p.native).map((p) => [p.key, p.label])),
};
const order = ['native_rule_set_decide', 'native_ffi_decide', 'native_ffi_questions', 'native_ffi_eligibility', 'native_evaluate', 'wasm_decide', 'wasm_decideJson', 'wasm_questions', 'wasm_eligibility', 'json_logic', 'zen_await', 'zen_batched'];
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));
log(`\n| part | decisions/s (median of ${rounds}) | µs each | spread over rounds |`);
log('| --- | --: | --: | --: |');
for (const k of order) {
  const f = figures[k];
  log(`| ${labels[k]} | ${fmt(f.median)} | ${(1e6 / f.median).toFixed(1)} | ${fmt(f.min)}–${fmt(f.max)} |`);
}

const rate = (k) => figures[k].median;
const ratios = {
  wasm_decide_vs_native: rate('native_ffi_decide') / rate('wasm_decide'),
  wasm_decideJson_vs_native: rate('native_ffi_decide') / rate('wasm_decideJson'),
  wasm_questions_vs_native: rate('native_ffi_questions') / rate('wasm_questions'),
  wasm_eligibility_vs_native: rate('native_ffi_eligibility') / rate('wasm_eligibility'),
  wasm_eligibility_vs_json_logic: rate('wasm_eligibility') / rate('json_logic'),
  wasm_decide_vs_json_logic: rate('wasm_decide') / rate('json_logic'),
  wasm_decideJson_vs_json_logic: rate('wasm_decideJson') / rate('json_logic'),
  wasm_decide_vs_zen_await: rate('wasm_decide') / rate('zen_await'),
  wasm_decide_vs_zen_batched: rate('wasm_decide') / rate('zen_batched'),
};
const x = (r) => `${r.toFixed(2)}x`;
log(`\nzen's own \`performance\` figure per evaluation (time inside its engine, without the Node binding's async hop): median ${zenOwn} µs`);
log('\nratios (from the medians):');
if (smoke) log('(smoke run: the native side is a dev-profile build and each part ran a fraction of a second; these figures and verdicts mean nothing)');
log(`- wasm vs native, the same ffi function: \`decide\` takes ${x(ratios.wasm_decide_vs_native)} the native time, \`decideJson\` ${x(ratios.wasm_decideJson_vs_native)}, \`questions\` ${x(ratios.wasm_questions_vs_native)} (target: within 2x) — ${ratios.wasm_decide_vs_native <= 2 ? 'met' : 'NOT met'}`);
log(`- wasm \`decide\` (whole decision) vs json-logic-js (eligibility only): ${x(ratios.wasm_decide_vs_json_logic)} as many decisions a second; \`decideJson\` ${x(ratios.wasm_decideJson_vs_json_logic)} (target: faster) — ${ratios.wasm_decide_vs_json_logic > 1 ? 'met' : 'NOT met'}`);
log(`- wasm \`eligibility\` (the conditions alone, as the peers) vs native \`eligibility\`: ${x(ratios.wasm_eligibility_vs_native)} the native time (target: within 2x) — ${ratios.wasm_eligibility_vs_native <= 2 ? 'met' : 'NOT met'}; vs json-logic-js: ${x(ratios.wasm_eligibility_vs_json_logic)} as many a second (target: faster) — ${ratios.wasm_eligibility_vs_json_logic > 1 ? 'met' : 'NOT met'}`);
log(`- wasm \`decide\` vs zen-engine (eligibility only): ${x(ratios.wasm_decide_vs_zen_await)} its rate awaiting each evaluation, ${x(ratios.wasm_decide_vs_zen_batched)} its rate with ${BATCH} in flight`);

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memory_gib: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  node: process.version,
  rustc: run('rustc', ['--version']).trim(),
  json_logic_js: require('json-logic-js/package.json').version,
  zen_engine: require('@gorules/zen-engine/package.json').version,
  wasm_bytes: statSync(wasmFile).size,
};
log(`\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gib} GiB, ${machine.os}; Node ${machine.node}; ${machine.rustc}; json-logic-js ${machine.json_logic_js}, @gorules/zen-engine ${machine.zen_engine}`);
if (jsonOut !== undefined) {
  writeFileSync(jsonOut, `${JSON.stringify({ smoke, seconds, rounds, seed, applications: { all: applications.length, rule_cases: ruleCases, measured: measured.length }, agreement, zen_own_us_median: zenOwn, figures, ratios, machine }, null, 1)}\n`);
}
if (sink === -1) log('');

// The closing line counts checks: each part measured, each agreement held.
const checks = [
  ...parts.filter((p) => !p.native).map((p) => !p.failed && figures[p.key].median > 0),
  ...['native_ffi_decide', 'native_ffi_questions', 'native_ffi_eligibility', 'native_rule_set_decide', 'native_evaluate'].map((k) => figures[k].median > 0),
  dateEdgesPassed === DATE_EDGES.length,
  agreement.jsonLogic === agreement.checked,
  agreement.jsonLogicIds === agreement.checked,
  agreement.zen === agreement.checked,
  nativeCheck.envelopes_fnv1a === envelopes && nativeCheck.applications === measured.length,
  nativeCheck.eligibility_fnv1a === eligibilityEnvelopes,
];
const failedChecks = checks.filter((ok) => !ok).length;
if (problems.length > 0) console.error(`\n${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
log(`node bench${smoke ? ' smoke' : ''}: ${checks.length - failedChecks} passed, ${failedChecks} failed`);
process.exit(problems.length === 0 && failedChecks === 0 ? 0 : 1);
