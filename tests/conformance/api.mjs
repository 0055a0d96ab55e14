// The package's API as documented, in Node, beyond what the corpus compares: the `wasm` load
// option and the `banshi/banshi_wasm_bg.wasm` export, the default date, the read-only hash, the
// guarded constructor, thrown errors, exact decimals from JS numbers, `free()`, and the load
// options: trusted keys, development mode and the receipt key. Also recovery from traps: the
// module is made to trap (`trap_for_tests`), the call throws `internal_error`, and every engine
// keeps answering as before, a thousand traps on.
// Usage: node api.mjs BUNDLE.json   (run in its own process: the first load instantiates; the
// bundle is signed with the test key of tests/keys, whose keys this script reads)

import assert from 'node:assert/strict';
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { BanshiError, Engine, todayInChina } from 'banshi';
import { readCatalogue } from './catalogue.mjs';

const require = createRequire(import.meta.url);
const bundle = readFileSync(process.argv[2], 'utf8');
// The test-only keys (tests/keys/README.md): the key line of each file, after its comments.
const keyLine = (name) => readFileSync(new URL(`../keys/${name}`, import.meta.url), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))[0].split(' ').pop();
const options = { trustedKeys: [keyLine('test-signing.pub')], receiptKey: keyLine('test-receipt.key') };
let checks = 0;
const check = (what, fn) => {
  fn();
  checks += 1;
  console.log(`api: ok: ${what}`);
};

// The first load instantiates the module, here from the package's exported .wasm, compiled.
const wasm = new WebAssembly.Module(readFileSync(require.resolve('banshi/banshi_wasm_bg.wasm')));
const engine = await Engine.load(bundle, { wasm, ...options });

check('hash is the bundle hash and read-only', () => {
  assert.equal(engine.hash, JSON.parse(bundle.split('\n')[0]).hash);
  assert.throws(() => { engine.hash = 'sha256:0'; }, TypeError);
});
check('engines come only from Engine.load', () => assert.throws(() => new Engine(), TypeError));
check('todayInChina is the date at UTC+8', () => {
  assert.equal(todayInChina(new Date('2026-01-01T15:59:59Z')), '2026-01-01');
  assert.equal(todayInChina(new Date('2026-01-01T16:00:00Z')), '2026-01-02');
  assert.equal(todayInChina(new Date('2025-12-31T23:00:00-08:00')), '2026-01-01');
});

const matter = engine.matters().map((m) => engine.matter(m.code, { on: '2026-06-01' })).find((m) => m.facts.some((f) => f.type === 'decimal'));
assert.ok(matter, 'the bundle has a matter with a decimal fact');
const code = matter.info.code;
const decimal = matter.facts.find((f) => f.type === 'decimal').name;

check('`on` defaults to today in China', () => {
  const before = todayInChina();
  const on = engine.decide(code, {}).on;
  assert.ok(on === before || on === todayInChina(), on);
});
check('a JS number reaches the core as its shortest text, read exactly', () => {
  const on = { on: '2026-06-01' };
  const receipt = (facts) => JSON.parse(engine.decideJson(code, facts, on)).decision.receipt.facts;
  assert.equal(receipt({ [decimal]: 0.1 }), receipt(`{"${decimal}":0.1}`));
  assert.equal(receipt({ [decimal]: 0.1 }), receipt({ [decimal]: '0.1' }));
  // The double nearest 0.1 is 0.1000000000000000055511151231257827…: had the number been read
  // through a float, it would be that value (here to 20 places), not 0.1.
  assert.notEqual(receipt({ [decimal]: 0.1 }), receipt(`{"${decimal}":0.10000000000000000555}`));
  assert.equal(receipt({ [decimal]: 0.1 + 0.2 }), receipt(`{"${decimal}":0.30000000000000004}`));
});
check('invalid facts throw one BanshiError carrying every error', () => {
  assert.throws(() => engine.decide(code, { [decimal]: 'abc', 电子证照: ['x', 1], 不存在: true }, { on: '2026-06-01' }), (e) => {
    assert.ok(e instanceof BanshiError && e instanceof Error);
    assert.equal(e.name, 'BanshiError');
    assert.deepEqual([e.code, e.path, e.message], [e.errors[0].code, e.errors[0].path, e.errors[0].message]);
    assert.ok(e.errors.length >= 3, JSON.stringify(e.errors));
    return true;
  });
});
check('the …Json methods return failures as envelopes instead of throwing', () => {
  const text = engine.decideJson('NO-SUCH-MATTER', {}, { on: '2026-06-01' });
  assert.equal(JSON.parse(text).errors[0].code, 'unknown_matter');
  assert.ok(text.startsWith('{"ok":false,"errors":['));
});
check('facts that have no JSON text are refused in JS', () => {
  assert.throws(() => engine.decide(code, { [decimal]: 1n }), (e) => e instanceof BanshiError && e.code === 'invalid_json');
});
check('facts objects of every awkward kind answer as their JSON text', () => {
  const on = { on: '2026-06-01' };
  const kinds = {};
  for (const f of matter.facts) if (!(f.type in kinds)) kinds[f.type] = f;
  const name = (type) => (kinds[type] === undefined ? '不存在' : kinds[type].name);
  const option = (type) => (kinds[type] === undefined ? 'x' : kinds[type].options[0]);
  let getterReads = 0;
  const withGetter = { get [decimal]() { getterReads += 1; return 3.25; } };
  const withToJson = { [decimal]: 1, toJSON: () => ({ [decimal]: 2 }) };
  const inherited = Object.create({ [decimal]: 5 });
  inherited[name('bool')] = true;
  const listWithExtra = [option('enum_list')];
  listWithExtra.extra = 'ignored by JSON';
  const cases = [
    {},
    { [decimal]: 0.1 + 0.2, [name('bool')]: false },
    { [decimal]: -0, [name('date')]: '2026-02-29' },
    { [decimal]: 1e21 },
    { [decimal]: 5e-7 },
    { [decimal]: NaN },
    { [decimal]: Infinity },
    { [decimal]: '12.50' },
    { [decimal]: undefined, [name('bool')]: () => true },
    { [decimal]: null },
    { [decimal]: new Date(0) },
    { [decimal]: new Number(3) },
    { [decimal]: [1] },
    { [name('enum')]: option('enum') },
    { [name('enum')]: `${option('enum')} ` },
    { [name('enum')]: 1 },
    { [name('enum_list')]: [option('enum_list'), option('enum_list')] },
    { [name('enum_list')]: listWithExtra },
    { [name('enum_list')]: [option('enum_list'), , ] },
    { [name('enum_list')]: option('enum_list') },
    { [name('text')]: '\ud800 lone surrogate' },
    { [name('text')]: 'quote " backslash \\ newline \n 中文' },
    { [name('date')]: '2026-13-01' },
    { [name('date')]: 20260101 },
    { 不存在: 1 },
    withGetter,
    withToJson,
    inherited,
    Object.assign(Object.create(null), { [decimal]: 7 }),
  ];
  for (const facts of cases) {
    let text;
    try {
      text = JSON.stringify(facts);
    } catch {
      continue;
    }
    for (const call of ['decideJson', 'questionsJson', 'eligibilityJson']) {
      assert.equal(engine[call](code, facts, on), engine[call](code, text, on), `${call} ${text}`);
    }
  }
  assert.ok(getterReads > 0);
});
check('a lone surrogate is refused alike in an object, in JSON text and escaped', () => {
  const on = { on: '2026-06-01' };
  // The rules have no text fact today. A lone surrogate is refused as JSON, before any fact is
  // looked at, so another fact's name serves as well.
  const textFact = matter.facts.find((f) => f.type === 'text');
  const text = textFact !== undefined ? textFact.name : decimal;
  for (const value of ['\ud800 lone', 'end \udc00', '\udfff\ud800', 'pair \ud83d\ude00 then \ud83d']) {
    const object = { [text]: value };
    const raw = `{"${text}":"${value}"}`;
    const escaped = JSON.stringify(object);
    for (const call of ['decideJson', 'questionsJson', 'eligibilityJson']) {
      const answer = engine[call](code, escaped, on);
      assert.equal(JSON.parse(answer).errors[0].code, 'invalid_json', `${call} ${escaped}`);
      // The raw text reaches the module as UTF-8, which has no lone surrogates: without the
      // escape it was decided with U+FFFD in their place.
      assert.equal(engine[call](code, raw, on), answer, `${call} raw`);
      assert.equal(engine[call](code, object, on), answer, `${call} object`);
    }
  }
  // A well-formed pair is text like any other (a decimal fact refuses it, but not as JSON).
  const answer = JSON.parse(engine.decideJson(code, { [text]: 'pair \ud83d\ude00' }, on));
  if (textFact !== undefined) assert.equal(answer.ok, true);
  else assert.deepEqual(answer.errors.map((e) => e.code), ['invalid_number']);
});
check('a getter that deletes a later member answers as JSON.stringify would', () => {
  const on = { on: '2026-06-01' };
  const [first, second, third] = matter.facts.filter((f) => f.type === 'bool').map((f) => f.name);
  assert.ok(third !== undefined, 'the matter has three truth facts');
  // JSON.stringify reads `second` after the getter deleted it, and leaves it out; `third`
  // must not take its place.
  const make = () => ({ get [first]() { delete this[second]; return true; }, [second]: false, [third]: true });
  for (const call of ['decideJson', 'questionsJson', 'eligibilityJson']) {
    assert.equal(engine[call](code, make(), on), engine[call](code, JSON.stringify(make()), on), call);
  }
});
check('verify confirms a receipt and names what differs', () => {
  const facts = { [decimal]: 12.5 };
  const { receipt } = engine.decide(code, facts, { on: '2026-06-01' });
  assert.deepEqual(engine.verify(code, facts, receipt, { on: '2026-06-01' }).mismatches, []);
  const other = engine.verify(code, { [decimal]: 12.25 }, receipt, { on: '2026-06-01' });
  assert.equal(other.valid, false);
  assert.ok(other.mismatches.includes('facts'), other.mismatches.join());
});
await (async () => {
  const failsWith = (wanted) => (e) => e instanceof BanshiError && e.code === wanted;
  const unsigned = bundle.replace(/"signatures":\[[^\]]*\]/, '"signatures":[]');
  assert.notEqual(unsigned, bundle, 'the bundle is signed');
  await assert.rejects(Engine.load(unsigned, options), failsWith('unsigned'));
  await assert.rejects(Engine.load(unsigned), failsWith('no_receipt_key'));
  await assert.rejects(Engine.load(bundle, { ...options, trustedKeys: [keyLine('other-signing.pub')] }), failsWith('untrusted_key'));
  await assert.rejects(Engine.load(bundle, { trustedKeys: options.trustedKeys }), failsWith('no_receipt_key'));
  await assert.rejects(Engine.load(bundle, { ...options, trustedKeys: 'abc' }), failsWith('invalid_options'));
  await assert.rejects(Engine.load(bundle, { ...options, trustedKeys: ['abc'] }), (e) => failsWith('invalid_options')(e) && e.path === 'trustedKeys[0]');
  await assert.rejects(Engine.load(bundle, { ...options, receiptKey: 'abc' }), (e) => failsWith('invalid_options')(e) && e.path === 'receiptKey');
  // A signature that does not verify is refused even in development mode.
  const forged = bundle.replace(/"signature":"([0-9a-f])/, (_, c) => `"signature":"${c === '0' ? '1' : '0'}`);
  await assert.rejects(Engine.load(forged, { development: true }), failsWith('bad_signature'));
  // Development mode loads the unsigned bundle; its receipts say they are not keyed.
  const dev = await Engine.load(unsigned, { development: true });
  const facts = { [decimal]: 12.5 };
  const devReceipt = dev.decide(code, facts, { on: '2026-06-01' }).receipt;
  assert.equal(devReceipt.key, 'development');
  const keyed = engine.decide(code, facts, { on: '2026-06-01' }).receipt;
  assert.match(keyed.key, /^[0-9a-f]{16}$/);
  assert.match(keyed.facts, /^hmac-sha256:[0-9a-f]{64}$/);
  assert.notEqual(keyed.facts, devReceipt.facts);
  // Like with like: a development receipt does not verify against a keyed engine, and says why.
  assert.deepEqual(engine.verify(code, facts, devReceipt, { on: '2026-06-01' }).mismatches, ['key']);
  dev.free();
  checks += 1;
  console.log('api: ok: load options: unsigned, untrusted, forged and unkeyed loads are refused; development mode loads unsigned, its receipts unkeyed');
})();
await (async () => {
  await assert.rejects(Engine.load('{}', options), (e) => e instanceof BanshiError && e.code === 'invalid_bundle');
  await assert.rejects(Engine.load(42), (e) => e instanceof BanshiError && e.code === 'invalid_bundle');
  checks += 1;
  console.log('api: ok: a bad bundle rejects with BanshiError');
})();
await (async () => {
  // Other engines grow the module's memory (detaching every view of its buffer) between two
  // calls of one engine, which must still read the facts it is given.
  const on = { on: '2026-06-01' };
  const before = { [decimal]: 12.5 };
  const after = { [decimal]: 13.5 };
  engine.decideJson(code, before, on);
  const others = [];
  const held = Engine.memory();
  for (let i = 0; i < 8; i += 1) others.push(await Engine.load(bundle, options));
  for (const other of others) other.decideJson(code, before, on);
  const grown = Engine.memory();
  assert.equal(engine.decideJson(code, after, on), engine.decideJson(code, JSON.stringify(after), on));
  others.forEach((other) => other.free());
  const freed = Engine.memory();
  // Eight more engines, each with the bundle's index and a compiled matter, hold more; freed,
  // the memory they held is in use no more, though the module's memory keeps its size.
  assert.ok(held.inUse > 0 && grown.inUse > held.inUse, JSON.stringify({ held, grown }));
  assert.ok(freed.inUse < grown.inUse && freed.size === grown.size, JSON.stringify({ grown, freed }));
  for (const m of [held, grown, freed]) {
    assert.ok(m.inUse <= m.peak && m.peak <= m.size && m.size % 65536 === 0, JSON.stringify(m));
  }
  checks += 1;
  console.log('api: ok: an engine answers for its facts after the module\'s memory has grown; Engine.memory() counts what engines hold');
})();
// Traps. The glue the package runs (the same module instance: the same file), to make a call
// trap where the core never would: its `decide` calls `trap_for_tests` first.
const { WasmEngine } = await import(pathToFileURL(join(dirname(realpathSync(require.resolve('banshi/package.json'))), 'dist', 'banshi_wasm.js')).href);
const on = { on: '2026-03-02' };
const trapped = (e) => {
  assert.ok(e instanceof BanshiError, String(e));
  assert.deepEqual([e.code, e.path], ['internal_error', '']);
  assert.match(e.message, /RuntimeError: unreachable/);
  return true;
};
function forceTrap(target, matterCode) {
  const { decide } = WasmEngine.prototype;
  WasmEngine.prototype.decide = function trapping(...args) {
    this.trap_for_tests();
    return decide.apply(this, args);
  };
  try {
    assert.throws(() => target.decide(matterCode, {}, on), trapped);
  } finally {
    WasmEngine.prototype.decide = decide;
  }
}
/** Every answer of an engine worth comparing: each matter's form, decision, questions, eligibility. */
function answers(target) {
  const out = [target.hash, target.mattersJson()];
  for (const m of target.matters()) {
    out.push(target.matterJson(m.code, on), target.decideJson(m.code, { 由代理人办理: false }, on), target.questionsJson(m.code, {}, on), target.eligibilityJson(m.code, {}, on));
  }
  return out;
}
const second = await Engine.load(bundle, options);
const expected = answers(engine);
assert.deepEqual(answers(second), expected);
const receipt = engine.decide(code, {}, on).receipt;
check('a trap throws internal_error; both engines answer as before, at once', () => {
  forceTrap(engine, code);
  assert.deepEqual(answers(engine), expected);
  assert.deepEqual(answers(second), expected);
  assert.equal(engine.verify(code, {}, receipt, on).valid, true);
});
await (async () => {
  forceTrap(second, code);
  await Engine.ready();
  const third = await Engine.load(bundle, options);
  assert.deepEqual(answers(third), expected);
  third.free();
  assert.deepEqual(answers(second), expected);
  checks += 1;
  console.log('api: ok: after a trap, Engine.ready() resolves and Engine.load loads into the fresh instance');
})();
check('an engine of a discarded instance frees without touching the fresh one', () => {
  const before = engine.decideJson(code, {}, on);
  forceTrap(second, code);
  second.free();
  assert.throws(() => second.matters(), TypeError);
  assert.equal(engine.decideJson(code, {}, on), before);
});
await (async () => {
  // Engines of a trapped instance, collected: their finalizers must not free the pointers of
  // the fresh instance, where the same loads in the same order put engines at the same places.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  let stale = [];
  for (let i = 0; i < 6; i += 1) stale.push(await Engine.load(bundle, options));
  forceTrap(stale[0], code);
  const fresh = [];
  for (let i = 0; i < 6; i += 1) fresh.push(await Engine.load(bundle, options));
  stale = null;
  for (let i = 0; i < 5; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (let i = 0; i < 6; i += 1) fresh.push(await Engine.load(bundle, options));
  for (const target of fresh) assert.deepEqual(answers(target), expected);
  fresh.forEach((target) => target.free());
  checks += 1;
  console.log('api: ok: engines of a discarded instance, collected, leave the fresh instance alone');
})();
check('1,000 traps in a row (once enough to exhaust the shadow stack): the engine answers as before', () => {
  const started = Date.now();
  for (let i = 0; i < 1000; i += 1) forceTrap(engine, code);
  assert.deepEqual(answers(engine), expected);
  console.log(`api: 1,000 traps and recoveries in ${Date.now() - started} ms`);
});
await (async () => {
  // A catalogue three ways: the one-file text, its bytes, and split (the header line alone,
  // each page of the index and each matter file fetched by its hash when first needed), all
  // deciding the same bytes; a matter file that is not the catalogue's is refused by its hash.
  const { header, pageList: pages, files } = readCatalogue(bundle);
  const on = { on: '2026-06-01' };
  const want = engine.decideJson(code, {}, on);
  const bytes = await Engine.load(new TextEncoder().encode(bundle), options);
  assert.equal(bytes.decideJson(code, {}, on), want);
  bytes.free();
  const fetched = [];
  const split = await Engine.load(header, { ...options, fetchMatter: async (hash, file) => { fetched.push(file); return files[hash]; } });
  assert.equal(split.hash, engine.hash);
  // The listing needs every page of the index: fetched with `prepare('#')`, no matter.
  assert.throws(() => split.matters(), (e) => e instanceof BanshiError && e.code === 'not_loaded');
  await split.prepare('#');
  assert.equal(fetched.length, pages.length);
  assert.deepEqual(split.matters(), engine.matters());
  assert.throws(() => split.decide(code, {}, on), (e) => e instanceof BanshiError && e.code === 'not_loaded');
  await split.prepare(code, on);
  assert.equal(fetched.length, pages.length + 1);
  assert.match(fetched[pages.length], /^[0-9a-f]{64}\.json$/);
  assert.equal(split.decideJson(code, {}, on), want);
  await split.prepare(code, on);
  assert.equal(fetched.length, pages.length + 1, 'a matter in the module is not fetched again');
  split.free();
  // Pages as they are, matters spoiled.
  const tampered = await Engine.load(header, { ...options, fetchMatter: (hash) => files[hash].replace('"visits":', '"visits": ') });
  await assert.rejects(tampered.prepare(code, on), (e) => e instanceof BanshiError && e.code === 'hash_mismatch' && e.message.includes(code));
  assert.throws(() => tampered.decide(code, {}, on), (e) => e instanceof BanshiError && e.code === 'hash_mismatch');
  tampered.free();
  checks += 1;
  console.log('api: ok: a catalogue as text, as bytes and split decides alike; a tampered matter file is refused');
})();
check('a freed engine refuses further calls', () => {
  engine.free();
  assert.throws(() => engine.matters(), TypeError);
});
console.log(`api: ${checks} passed, 0 failed`);
