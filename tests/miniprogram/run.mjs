// The mini-program channel: the loader folder (bindings/miniprogram/dist/banshi/) copied into a
// code package, run in ./runtime.mjs (WeChat's runtime, as strict as it is), decides the whole
// conformance corpus; every answer is compared byte for byte with the native one
// (../conformance/compare.mjs, the comparison the Node and Chromium channels use).
//
// Usage: node tests/miniprogram/run.mjs FOLDER CORPUS.json BUNDLE.json WORKDIR
//   FOLDER   the folder a mini-program copies in (built by bindings/miniprogram/scripts/build.mjs)
//   CORPUS   the corpus with the native answers (tests/conformance, written by tests/wasm.sh)
//   BUNDLE   the rules bundle the folder was built with (`banshi bundle rules`)
//   WORKDIR  where the code package is assembled and miniprogram.json (the result) is written

import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'acorn';
import { createRuntime, MISSING } from './runtime.mjs';
import { report, runCorpus } from '../conformance/compare.mjs';
import { readCatalogue } from '../conformance/catalogue.mjs';

const [folder, corpusPath, bundlePath, workdir] = process.argv.slice(2);
if (workdir === undefined) {
  console.error('usage: node tests/miniprogram/run.mjs FOLDER CORPUS.json BUNDLE.json WORKDIR');
  process.exit(2);
}
const started = performance.now();

// The code package: the folder at banshi/ (where the loader looks by default), and the bundle
// also as a plain file for the readFileSync route.
const root = resolve(workdir, 'package');
rmSync(root, { recursive: true, force: true });
mkdirSync(join(root, 'data'), { recursive: true });
cpSync(folder, join(root, 'banshi'), { recursive: true });
cpSync(bundlePath, join(root, 'data', 'rules.bundle.json'));
const bundle = readFileSync(bundlePath, 'utf8');

let passed = 0;
let failed = 0;
async function check(what, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`miniprogram: ok: ${what}`);
  } catch (e) {
    failed += 1;
    console.log(`miniprogram: FAILED: ${what}: ${e && e.stack ? e.stack : e}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
async function rejects(promise, pattern) {
  try {
    await promise;
  } catch (e) {
    assert(pattern.test(String(e && e.message)), `rejected, but with \`${e && e.message}\`, not ${pattern}`);
    return e;
  }
  throw new Error('was accepted');
}

await check('every .js file of the folder parses as an ES2017 script (what old engines and WeChat\'s compiler accept)', () => {
  const files = readdirSync(join(root, 'banshi')).filter((f) => f.endsWith('.js'));
  assert(files.length >= 5, `only ${files.join(', ')}`);
  for (const f of files) {
    try {
      parse(readFileSync(join(root, 'banshi', f), 'utf8'), { ecmaVersion: 2017, sourceType: 'script' });
    } catch (e) {
      throw new Error(`${f}: ${e.message}`);
    }
  }
});

const runtime = createRuntime(root);
const { WXWebAssembly, wx } = runtime;
console.log(`miniprogram: runtime without ${MISSING.join(', ')} (in Node's globals and in the package's context), with WXWebAssembly and wx`);

await check('WXWebAssembly.instantiate refuses bytes, URLs, absolute paths, `..`, missing and non-wasm files', async () => {
  const wasm = readFileSync(join(root, 'banshi', 'banshi_wasm_bg.wasm.br'));
  await rejects(WXWebAssembly.instantiate(new Uint8Array(wasm), {}), /not \[object Uint8Array\]/);
  await rejects(WXWebAssembly.instantiate(wasm.buffer, {}), /not \[object ArrayBuffer\]/);
  await rejects(WXWebAssembly.instantiate('https://example.invalid/banshi_wasm_bg.wasm', {}), /is a URL/);
  await rejects(WXWebAssembly.instantiate('wxfile://usr/banshi_wasm_bg.wasm', {}), /is a URL/);
  await rejects(WXWebAssembly.instantiate('/banshi/banshi_wasm_bg.wasm.br', {}), /is absolute/);
  await rejects(WXWebAssembly.instantiate(join(root, 'banshi', 'banshi_wasm_bg.wasm.br'), {}), /is absolute/);
  await rejects(WXWebAssembly.instantiate('banshi/../banshi/banshi_wasm_bg.wasm.br', {}), /not a plain path/);
  await rejects(WXWebAssembly.instantiate('../package/banshi/banshi_wasm_bg.wasm.br', {}), /not a plain path/);
  await rejects(WXWebAssembly.instantiate('banshi/missing.wasm.br', {}), /no file/);
  await rejects(WXWebAssembly.instantiate('banshi/text.js', {}), /neither \.wasm nor \.wasm\.br/);
  assert(runtime.calls.length === 0, 'a refused call instantiated something');
});

await check('wx.getFileSystemManager().readFileSync reads package files only', () => {
  const fs = wx.getFileSystemManager();
  assert(fs.readFileSync('data/rules.bundle.json', 'utf8') === bundle, 'the bundle read back differs');
  for (const path of ['../package/data/rules.bundle.json', '/data/rules.bundle.json', 'http://usr/rules.bundle.json', 'data/none.json']) {
    let threw = false;
    try {
      fs.readFileSync(path, 'utf8');
    } catch {
      threw = true;
    }
    assert(threw, `read \`${path}\``);
  }
});

const { Engine, BanshiError, todayInChina } = runtime.require('banshi/index.js');
// The corpus's load options: the test signing key trusted, the test receipt key (tests/keys).
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'));
const options = JSON.parse(corpus.options);

await check('a `wasm` option that is not a package path is refused by the loader (WXWebAssembly takes no bytes)', async () => {
  const e = await rejects(Engine.load(bundle, { wasm: new Uint8Array(8) }), /path inside the code package/);
  assert(e instanceof BanshiError && e.code === 'wasm_unavailable' && e.path === 'wasm', `${e.name} ${e.code} ${e.path}`);
  assert(runtime.calls.length === 0, 'it reached WXWebAssembly');
});

await check('a wrong path fails, and the next load instantiates again (a failed start is not cached)', async () => {
  await rejects(Engine.load(bundle, { wasm: 'banshi/none.wasm.br' }), /no file `banshi\/none\.wasm\.br`/);
});

let engine;
await check('Engine.load with the bundle from rules.bundle.js: the .wasm.br at the default path, decompressed, instantiated once', async () => {
  const fromModule = runtime.require('banshi/rules.bundle.js');
  assert(fromModule === bundle, 'rules.bundle.js does not hold the bundle byte for byte');
  engine = await Engine.load(fromModule, options);
  assert(engine.hash === JSON.parse(bundle.split('\n')[0]).hash, `hash ${engine.hash}`);
  assert(runtime.calls.length === 1, `${runtime.calls.length} instantiations`);
  const [call] = runtime.calls;
  assert(call.path === 'banshi/banshi_wasm_bg.wasm.br', call.path);
  assert(call.compiled > call.read, `compiled ${call.compiled} bytes from ${call.read}: not decompressed`);
  console.log(`miniprogram: instantiated ${call.path}: ${call.read} bytes brotli, ${call.compiled} bytes of module`);
});

await check('Engine.load with the bundle read by wx.getFileSystemManager().readFileSync; no second instantiation', async () => {
  const second = await Engine.load(wx.getFileSystemManager().readFileSync('data/rules.bundle.json', 'utf8'), options);
  assert(second.hash === engine.hash, 'another hash');
  assert(JSON.stringify(second.matters()) === JSON.stringify(engine.matters()), 'other matters');
  second.free();
  assert(runtime.calls.length === 1, `${runtime.calls.length} instantiations`);
});

await check('split delivery with wxMatterFetcher: a page of the index and the matter downloaded once with wx.request, kept in the user data folder, decided alike; a kept text the engine refuses is deleted and downloaded again', async () => {
  const { wxMatterFetcher } = runtime.require('banshi/index.js');
  const { header, files } = readCatalogue(bundle);
  const base = 'https://rules.example.gov.cn/matters/';
  for (const [hash, text] of Object.entries(files)) {
    runtime.served.set(`${base}${hash.slice('sha256:'.length)}.json`, text);
  }
  const on = { on: '2026-03-02' };
  const m = engine.matters().find((x) => x.effective <= on.on && x.last_day === undefined);
  const load = () => Engine.load(header, { ...options, fetchMatter: wxMatterFetcher(base) });
  const first = await load();
  await first.prepare(m.code, on);
  assert(first.decideJson(m.code, '{}', on) === engine.decideJson(m.code, '{}', on), 'the split engine decides otherwise');
  // Its page of the index, then the matter.
  assert(runtime.requests.length === 2, `${runtime.requests.length} downloads for one matter`);
  const kept = [...runtime.userData.keys()];
  assert(kept.length === 2 && kept.every((k) => k.startsWith('wxfile://usr/banshi-matters/')), `kept ${kept}`);
  const matterFile = `wxfile://usr/banshi-matters/${runtime.requests[1].slice(base.length)}`;
  // A later session: read from the folder, no download.
  const second = await load();
  await second.prepare(m.code, on);
  assert(runtime.requests.length === 2, 'downloaded again though kept');
  // The kept matter spoiled: refused against the signed index, deleted, then downloaded again.
  runtime.userData.set(matterFile, runtime.userData.get(matterFile).replace('"require":"', '"require":"true||'));
  const third = await load();
  const e = await rejects(third.prepare(m.code, on), /does not match the catalogue/);
  assert(e instanceof BanshiError && e.code === 'hash_mismatch', `${e.code}`);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert(!runtime.userData.has(matterFile), 'the refused text is still kept');
  await third.prepare(m.code, on);
  assert(runtime.requests.length === 3, `${runtime.requests.length} downloads`);
  assert(third.decideJson(m.code, '{}', on) === engine.decideJson(m.code, '{}', on), 'decided otherwise after the download');
  // A file the server does not have: unavailable, naming the file.
  runtime.served.clear();
  runtime.userData.clear();
  const fourth = await load();
  const missing = await rejects(fourth.prepare(m.code, on), /could not be fetched: HTTP 404/);
  assert(missing.code === 'unavailable' && missing.path.endsWith('.json'), `${missing.code} ${missing.path}`);
  for (const x of [first, second, third, fourth]) x.free();
});

await check('errors are BanshiError with every error; todayInChina is UTC+8', async () => {
  const [first] = engine.matters();
  let thrown;
  try {
    engine.decide(first.code, { 不存在的事实: true, 电子证照: [1] }, { on: '2026-03-02' });
  } catch (e) {
    thrown = e;
  }
  // The package's realm has its own Error: the thrown error is an Error there.
  assert(thrown instanceof BanshiError && thrown instanceof runtime.global('Error') && thrown.name === 'BanshiError', String(thrown));
  assert(thrown.errors.length >= 2 && thrown.code === thrown.errors[0].code, JSON.stringify(thrown.errors));
  assert(todayInChina(new Date('2026-01-01T16:00:00Z')) === '2026-01-02', 'todayInChina');
  await rejects(Engine.load('{"not":"a bundle"}'), /./);
});

await check('signed rules: unsigned and re-signed bundles are refused outside development mode', async () => {
  const unsigned = bundle.replace(/"signatures":\[[^\]]*\]/, '"signatures":[]');
  assert(unsigned !== bundle, 'the bundle is not signed');
  const e = await rejects(Engine.load(unsigned, options), /not signed/);
  assert(e instanceof BanshiError && e.code === 'unsigned', `${e.code}`);
  const other = await rejects(Engine.load(bundle, { trustedKeys: ['00'.repeat(32)], receiptKey: options.receiptKey }), /no trusted key/);
  assert(other.code === 'untrusted_key', other.code);
  const noKey = await rejects(Engine.load(bundle, { trustedKeys: options.trustedKeys }), /receipt key/);
  assert(noKey.code === 'no_receipt_key', noKey.code);
  const dev = await Engine.load(unsigned, { development: true });
  const [first] = dev.matters();
  const { receipt } = dev.decide(first.code, {}, { on: '2026-03-02' });
  assert(receipt.key === 'development', `receipt key ${receipt.key}`);
  const keyed = engine.decide(first.code, {}, { on: '2026-03-02' }).receipt;
  assert(/^[0-9a-f]{16}$/.test(keyed.key) && keyed.facts !== receipt.facts, JSON.stringify(keyed));
  assert(engine.verify(first.code, {}, receipt, { on: '2026-03-02' }).mismatches.join() === 'key', 'a development receipt verified');
  dev.free();
});

await check('verify: a receipt made here is valid here', () => {
  const [first] = engine.matters();
  const decision = engine.decide(first.code, {}, { on: '2026-03-02' });
  const verified = engine.verify(first.code, {}, decision.receipt, { on: '2026-03-02' });
  assert(verified.valid === true && verified.mismatches.length === 0, JSON.stringify(verified));
});

await check('a trap throws internal_error; calls wait for Engine.ready() (WXWebAssembly instantiates only asynchronously); then both engines answer as before', async () => {
  // The loader's glue (the same module instance: the package's `require` caches it) is made to
  // trap where the core never would: `decide` calls `trap_for_tests` first.
  const { WasmEngine } = runtime.require('banshi/banshi_wasm.js');
  const on = { on: '2026-03-02' };
  const second = await Engine.load(bundle, options);
  const answers = (target) => [target.hash, target.mattersJson()].concat(...target.matters().map((m) => [target.matterJson(m.code, on), target.decideJson(m.code, {}, on), target.questionsJson(m.code, {}, on)]));
  const expected = JSON.stringify(answers(engine));
  assert(JSON.stringify(answers(second)) === expected, 'the engines differ before any trap');
  const [first] = engine.matters();
  const codeOf = (e) => e && e.code;
  const thrown = (fn) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new Error('did not throw');
  };
  const instantiations = runtime.calls.length;
  for (let i = 0; i < 5; i += 1) {
    const { decide } = WasmEngine.prototype;
    WasmEngine.prototype.decide = function trapping() {
      this.trap_for_tests();
      return decide.apply(this, arguments);
    };
    let error;
    try {
      error = thrown(() => (i % 2 === 0 ? engine : second).decide(first.code, {}, on));
    } finally {
      WasmEngine.prototype.decide = decide;
    }
    assert(error instanceof BanshiError && codeOf(error) === 'internal_error' && /RuntimeError/.test(error.message), `${error && error.stack}`);
    const waiting = thrown(() => second.decide(first.code, {}, on));
    assert(codeOf(waiting) === 'internal_error' && /Engine\.ready\(\)/.test(waiting.message), `${waiting && waiting.message}`);
    await Engine.ready();
    assert(JSON.stringify(answers(engine)) === expected, `engine: other answers after trap ${i + 1}`);
    assert(JSON.stringify(answers(second)) === expected, `second engine: other answers after trap ${i + 1}`);
  }
  const again = runtime.calls.slice(instantiations);
  assert(again.length === 5 && again.every((c) => c.path === 'banshi/banshi_wasm_bg.wasm.br'), JSON.stringify(again));
  second.free();
});

const noise = runtime.consoleMessages.filter((m) => m.level === 'error' || m.level === 'warn');
await check('the loader wrote nothing to console.warn or console.error', () => {
  assert(noise.length === 0, noise.map((m) => m.text).join('\n'));
});

// The corpus. The comparison must be able to fail: a one-character change is caught.
await check('self-check: a one-character change to an expected answer is reported', async () => {
  const decided = corpus.cases.find((c) => c.op === 'decide' && c.expect.includes('"status":"'));
  assert(decided !== undefined, 'the corpus has no decision');
  const probe = { ...decided, expect: decided.expect.replace('"status":"', '"status":"x') };
  const result = await runCorpus({ options: corpus.options, bundles: corpus.bundles, cases: [probe] }, Engine, BanshiError);
  assert(result.failed === 1, 'the changed answer was not reported');
});
console.log(`miniprogram checks: ${passed} passed, ${failed} failed`);

const result = await runCorpus(corpus, Engine, BanshiError, () => performance.now());
for (const line of report('miniprogram', result)) console.log(line);
engine.free();
writeFileSync(join(workdir, 'miniprogram.json'), JSON.stringify({ channel: 'miniprogram', checks: { passed, failed }, ...result }));
console.log(`miniprogram: ${result.cases} cases decided through the mini-program loader in ${(result.ms / 1000).toFixed(1)}s (${((performance.now() - started) / 1000).toFixed(1)}s in all), ${result.failed} differences${failed > 0 ? `, ${failed} checks failed` : ''}`);
console.log(`miniprogram: ${result.passed} passed, ${result.failed + failed} failed`);
process.exit(result.failed === 0 && failed === 0 ? 0 : 1);
