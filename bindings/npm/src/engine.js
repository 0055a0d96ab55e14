// The engine both entry points export. Everything is decided in the WebAssembly module, which
// takes facts as JSON text and returns JSON text: this file only turns objects into that text
// and envelopes back into objects or a thrown `BanshiError`. See ../index.d.ts for the
// documented API.
//
// The syntax stays within ES2017 (no `??`, `?.` or `#private`), like wasm-bindgen's glue: the
// point of the MVP module is that old kiosk browsers run it, and they must parse this file too.

import { WasmEngine, module_memory } from '../dist/banshi_wasm.js';

/** Guards the constructor: engines come from `Engine.load`, after the module is instantiated. */
const LOADED = Symbol('banshi.loaded');

/**
 * Each engine's state, out of reach of callers (a private field, in ES2017): its module-side
 * object, the instance that made it, and the bundle text, to load it again into a fresh instance.
 */
const CORES = new WeakMap();

function core(engine) {
  const found = CORES.get(engine);
  if (found === undefined) throw new TypeError('not an engine made by `Engine.load`');
  return found;
}

/**
 * Whether `e`, thrown by a call into the module, means the instance can no longer be trusted: a
 * trap (`RuntimeError`), or the engine's own stack exhausted inside the module (V8 and JavaScriptCore
 * throw a `RangeError`, Firefox an `InternalError`). Either way the call was cut short inside the
 * module, leaving its shadow stack pointer lowered and the engine borrowed. WeChat's
 * `WXWebAssembly` has no `RuntimeError` to compare with, so the name is checked too (which also
 * covers a module running in another realm).
 */
function isTrap(e) {
  if (e === null || typeof e !== 'object') return false;
  /* global WXWebAssembly */
  const api = typeof WebAssembly !== 'undefined' ? WebAssembly : typeof WXWebAssembly !== 'undefined' ? WXWebAssembly : undefined;
  if (api !== undefined && typeof api.RuntimeError === 'function' && e instanceof api.RuntimeError) return true;
  return e.name === 'RuntimeError' || e.name === 'InternalError' || (e.name === 'RangeError' && /call stack/i.test(String(e.message)));
}

/** `facts`, with "not given" meaning no facts answered yet. */
function factsJson(facts) {
  return toJson(facts === undefined || facts === null ? {} : facts, 'facts');
}

/** Any UTF-16 surrogate: most texts have none, and the scan below runs only for those that do. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * `text` with every lone UTF-16 surrogate written as its `\uXXXX` escape. Passing a JS string to
 * the module encodes it as UTF-8, which cannot hold a lone surrogate and would silently put
 * U+FFFD in its place; written as an escape, it reaches the core as the same JSON text that
 * `JSON.stringify` makes of an object holding it and a server receives, and is refused alike
 * (`invalid_json`) on every path.
 */
function wellFormed(text) {
  if (!SURROGATE.test(text)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i += 1;
      continue;
    }
    out += `${text.slice(from, i)}\\u${unit.toString(16)}`;
    from = i + 1;
  }
  return out + text.slice(from);
}

/** Every error the package throws: the core's `{code, message, path}`, all of them in `errors`. */
export class BanshiError extends Error {
  /** @param {ReadonlyArray<{code: string, message: string, path: string}>} errors */
  constructor(errors) {
    const list = errors.length > 0 ? [...errors] : [{ code: 'unknown', message: 'unknown error', path: '' }];
    const [first] = list;
    super(first.message);
    this.name = 'BanshiError';
    this.code = first.code;
    this.path = first.path;
    this.errors = list;
  }
}

/**
 * Today's date in China (UTC+8, no daylight saving), `YYYY-MM-DD`: the default `on`. The core
 * has no clock, so the date is always computed here, from the device's clock.
 * @param {Date} [now]
 */
export function todayInChina(now = new Date()) {
  return new Date(now.getTime() + 8 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

/** A JS-side problem (not the core's), in the same shape. */
function jsError(code, message, path) {
  return new BanshiError([{ code, message, path }]);
}

/**
 * JSON text for the core. Objects go through `JSON.stringify`, whose number output is the
 * shortest text that reads back as the same double: a decimal written `0.1` in JS reaches the
 * core as the text `0.1` and is read there exactly, never through a float. Text is passed as is.
 */
function toJson(value, path) {
  if (typeof value === 'string') return wellFormed(value);
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw jsError('invalid_json', `cannot be written as JSON: ${e instanceof Error ? e.message : String(e)}`, path);
  }
  // `undefined`, functions and symbols have no JSON text.
  if (typeof text !== 'string') throw jsError('invalid_json', 'cannot be written as JSON', path);
  return text;
}

/** The `on` option; anything that is not text is passed on as text for the core to refuse. */
function dateOf(options) {
  const on = options === undefined || options === null ? undefined : options.on;
  return on === undefined ? todayInChina() : String(on);
}

/** `options.region` as the module takes it: the empty text for none. */
function regionOf(options) {
  const region = options === undefined || options === null ? undefined : options.region;
  return region === undefined || region === null ? '' : String(region);
}

/** The envelope's body, or its errors thrown. */
function open(text) {
  const envelope = JSON.parse(text);
  if (envelope.ok === true) return envelope;
  throw new BanshiError(envelope.errors);
}

/** The envelope of a matter whose rules are not in the module yet (a catalogue's matter). */
const NOT_LOADED = '{"ok":false,"errors":[{"code":"not_loaded"';

/** How a catalogue's header line starts. */
const CATALOGUE_START = '{"format":"banshi-catalogue/2",';

/** Text of a matter file given as text or bytes (UTF-8). */
function textOf(matter) {
  if (typeof matter === 'string') return matter;
  const bytes = matter instanceof ArrayBuffer ? new Uint8Array(matter) : matter;
  if (!(bytes instanceof Uint8Array)) throw jsError('invalid_bundle', 'a matter file must be text, a Uint8Array or an ArrayBuffer', '');
  if (typeof TextDecoder === 'undefined') throw jsError('invalid_bundle', 'this runtime has no TextDecoder: give matter files and bundles as text', '');
  return new TextDecoder().decode(bytes);
}

/**
 * A bundle split into its header line, which the module opens, and the matters after it, which
 * stay here (as text or bytes) and enter the module one at a time, when first decided: so the
 * module holds the index and the matters in use, never the whole catalogue. Text that is no
 * catalogue goes to the module whole, for the error it is.
 */
function splitBundle(bundle) {
  if (typeof bundle === 'string') {
    // Only a catalogue's canonical header starts so; anything else goes to the module whole (for
    // the error it is: another format, or no bundle), as the core's `bundle::load` decides.
    const nl = bundle.slice(0, CATALOGUE_START.length) === CATALOGUE_START ? bundle.indexOf('\n') : -1;
    const rest = nl < 0 ? '' : bundle.slice(nl + 1);
    return { header: nl < 0 ? bundle : bundle.slice(0, nl), rest: rest === '' ? null : rest, starts: [0] };
  }
  const bytes = bundle instanceof ArrayBuffer ? new Uint8Array(bundle) : bundle;
  if (!(bytes instanceof Uint8Array)) {
    throw jsError('invalid_bundle', 'the bundle must be the text (or the bytes) `banshi bundle` wrote', '');
  }
  const catalogue = textOf(bytes.subarray(0, CATALOGUE_START.length)) === CATALOGUE_START;
  const nl = catalogue ? bytes.indexOf(10) : -1;
  const rest = nl < 0 ? null : bytes.subarray(nl + 1);
  return { header: textOf(nl < 0 ? bytes : bytes.subarray(0, nl)), rest: rest !== null && rest.length > 0 ? rest : null, starts: null };
}

/**
 * The text of the pending matter from the one-file bundle it came in, if it did: by byte offset
 * in bytes; in text, by line, the lines before it found once.
 */
function fromBundle(source, pending) {
  const { rest, starts } = source;
  if (rest === null) return undefined;
  if (starts === null) return textOf(rest.subarray(pending.start, pending.start + pending.bytes));
  while (starts.length <= pending.position + 1) {
    const nl = rest.indexOf('\n', starts[starts.length - 1]);
    if (nl < 0) break;
    starts.push(nl + 1);
  }
  const from = starts[pending.position];
  if (from === undefined) return undefined;
  const next = starts[pending.position + 1];
  return rest.slice(from, next === undefined ? rest.length : next - 1);
}

/**
 * The Engine class, given how this entry point instantiates the module.
 *
 * Recovery from a trap lives here, for every entry point. The core never panics by design, but
 * if the module ever traps, the instance is unusable (the engine that trapped stays borrowed, the
 * shadow stack pointer is never restored: a few hundred traps and every engine fails). So the
 * call that trapped throws `internal_error` (it is not retried: see the README), the instance is
 * discarded at once, `restart` makes a fresh one, and each engine loads its bundle into it again
 * on its next call: the `Engine` objects a page holds stay valid. Engines are reloaded lazily,
 * because only then can they be found (a list of every live engine would keep each one, and its
 * memory in the module, alive forever: ES2017 has no WeakRef).
 *
 * @param {(wasm: unknown) => Promise<void>} initialize instantiates the module unless it is
 * @param {() => Promise<void> | undefined} restart discards the instance and makes a fresh one:
 *   synchronously (returns undefined) where the runtime allows it, else a promise of it
 */
export function defineEngine(initialize, restart) {
  /** How many instances were discarded: an engine made in an earlier one is loaded again. */
  let instance = 0;
  /** Whether the instance was discarded and no fresh one is in place yet. */
  let discarded = false;
  /** The fresh instance on its way, when it cannot be made synchronously; it never rejects. */
  let restarting = null;
  /** Why the last attempt to make a fresh instance failed. */
  let failure = null;
  /** Whether the module was instantiated: `Engine.memory()` has nothing to count before. */
  let instantiated = false;

  /** Asks the entry point for a fresh instance; true once it is in place. */
  function replace() {
    let made;
    try {
      made = restart();
    } catch (e) {
      made = Promise.reject(e);
    }
    if (made === undefined) {
      discarded = false;
      return true;
    }
    restarting = made.then(
      () => {
        discarded = false;
        restarting = null;
      },
      (e) => {
        failure = e;
        restarting = null;
      },
    );
    return false;
  }

  function unavailable() {
    const why = failure === null ? '' : `; the last attempt failed: ${failure instanceof Error ? failure.message : String(failure)}`;
    return jsError('internal_error', `the WebAssembly module is being instantiated again after an internal error; try again once \`Engine.ready()\` resolves${why}`, '');
  }

  /** `run()`, a call into the module; a trap discards the instance and throws `internal_error`. */
  function guarded(run) {
    try {
      return run();
    } catch (e) {
      if (!isTrap(e)) throw e;
      instance += 1;
      discarded = true;
      failure = null;
      if (restarting === null) replace();
      throw jsError('internal_error', `the WebAssembly module failed (${e.name}: ${e.message}); it was discarded and every engine continues in a fresh instance, but this call was not completed`, '');
    }
  }

  /** The engine's module-side object in the current instance, loaded again after a restart. */
  function current(engine) {
    const state = core(engine);
    if (discarded && (restarting !== null || !replace())) throw unavailable();
    if (state.instance !== instance) {
      // The bundle loaded before, so it loads again: the same text into the same module.
      const { trust } = state;
      state.wasm = guarded(() => WasmEngine.load(state.source.header, trust.keys, trust.development, trust.receiptKey));
      state.instance = instance;
    }
    return state.wasm;
  }

  /**
   * The method `name` of the engine's module-side object, with `args` (the date at `dateAt`;
   * `code` the matter or theme the call needs, the first argument unless given, `*` for every
   * matter, `#` for every page of the index). Each page or matter it needs that is not in the
   * module yet is handed in when its text is at hand (in the one-file bundle, fetched before, or
   * from a `fetchMatter` that answers at once), and the call made again.
   */
  function call(engine, name, args, dateAt, code) {
    const wasm = current(engine);
    let answer = guarded(() => wasm[name].apply(wasm, args));
    const supplied = new Set();
    const needs = code !== undefined ? code : dateAt !== undefined ? args[0] : undefined;
    const on = dateAt === undefined ? '' : args[dateAt];
    while (needs !== undefined && answer.slice(0, NOT_LOADED.length) === NOT_LOADED) {
      const state = core(engine);
      const pending = open(guarded(() => wasm.pending(needs, on))).pending;
      // A matter handed in already and asked for again would be a loop: the answer says why.
      if (pending === null || supplied.has(pending.index)) return answer;
      supplied.add(pending.index);
      let text = state.fetched[pending.position];
      if (text === undefined) text = fromBundle(state.source, pending);
      if (text === undefined && typeof state.fetchMatter === 'function' && state.fetching[pending.position] === undefined) {
        const got = state.fetchMatter(pending.hash, pending.file);
        if (got === undefined || got === null) return answer;
        if (typeof got.then === 'function') {
          // A promise cannot be waited for here: `prepare` waits for this one, not a second fetch.
          state.fetching[pending.position] = got;
          got.then(undefined, () => { delete state.fetching[pending.position]; });
          return answer;
        }
        text = textOf(got);
      }
      if (text === undefined) return answer;
      const handed = guarded(() => wasm.supply(pending.index, text));
      if (handed.slice(0, 10) !== '{"ok":true') {
        forget(state, pending);
        return handed;
      }
      answer = guarded(() => wasm[name].apply(wasm, args));
    }
    return answer;
  }

  /**
   * A fetched text the module refused (not the signed index's): a `fetchMatter` that keeps what
   * it fetched (the mini-program's cache) is told, so that the next call fetches it again.
   */
  function forget(state, pending) {
    const fetchMatter = state.fetchMatter;
    if (typeof fetchMatter === 'function' && typeof fetchMatter.forget === 'function') {
      fetchMatter.forget(pending.hash, pending.file);
    }
  }

  /** Fetches (with `fetchMatter`) and hands in the rules of a matter not in the module yet. */
  async function prepare(engine, code, on) {
    const state = core(engine);
    const supplied = new Set();
    for (;;) {
      const pending = open(call(engine, 'pending', [code, on])).pending;
      // A theme needs several matters: each in turn, each once.
      if (pending === null || supplied.has(pending.index)) return;
      supplied.add(pending.index);
      let text = state.fetched[pending.position];
      if (text === undefined) text = fromBundle(state.source, pending);
      if (text === undefined) {
        if (typeof state.fetchMatter !== 'function') {
          throw jsError('not_loaded', `the rules of \`${code}\` are not in the bundle given: pass \`fetchMatter\` to \`Engine.load\``, pending.hash);
        }
        const fetching = state.fetching[pending.position];
        try {
          text = textOf(await (fetching !== undefined ? fetching : state.fetchMatter(pending.hash, pending.file)));
        } finally {
          delete state.fetching[pending.position];
        }
      }
      // After the await the module may be a fresh instance: `call` loads the engine into it.
      try {
        open(call(engine, 'supply', [pending.index, text]));
      } catch (e) {
        forget(state, pending);
        throw e;
      }
      // Kept only once checked: a fresh instance after a trap gets it again without a fetch.
      if (state.source.rest === null) state.fetched[pending.position] = text;
    }
  }

  /** The envelope of `name` (`'eligibility'`, `'questions'` or `'decide'`) for facts as JSON text. */
  function answer(engine, name, code, facts, options) {
    return call(engine, name, [String(code), factsJson(facts), dateOf(options)], 2);
  }

  /** Resolves once no fresh instance is on its way; rejects if one cannot be made. */
  async function ready() {
    if (discarded && restarting === null) replace();
    if (restarting !== null) await restarting;
    if (discarded) throw unavailable();
  }

  return class Engine {
    /** Use `Engine.load`. */
    constructor(token, state) {
      if (token !== LOADED) throw new TypeError('use `await Engine.load(bundle)` to create an engine');
      CORES.set(this, state);
      Object.defineProperty(this, 'hash', { value: guarded(() => state.wasm.hash), enumerable: true });
    }

    /**
     * Instantiates the module (once per page or process) and compiles the bundle, which must be
     * signed by one of `options.trustedKeys` unless `options.development`; receipts are keyed
     * with `options.receiptKey` (required outside development mode).
     */
    static async load(bundle, options) {
      // After a trap, the fresh instance: not a second instantiation from the `wasm` option. The
      // loop covers a trap elsewhere while this waited; the rest of `load` is synchronous.
      const given = options === undefined || options === null ? {} : options;
      do {
        await ready();
        await initialize(given.wasm);
      } while (discarded);
      instantiated = true;
      const source = splitBundle(bundle);
      const fetchMatter = given.fetchMatter;
      if (fetchMatter !== undefined && typeof fetchMatter !== 'function') {
        throw jsError('invalid_options', 'fetchMatter must be a function of a matter\'s hash and file name', 'fetchMatter');
      }
      const keys = given.trustedKeys === undefined ? [] : given.trustedKeys;
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k.indexOf(',') >= 0)) {
        throw jsError('invalid_options', 'trustedKeys must be a list of public keys, each 64 hex digits', 'trustedKeys');
      }
      const receiptKey = given.receiptKey === undefined || given.receiptKey === null ? '' : given.receiptKey;
      if (typeof receiptKey !== 'string') {
        throw jsError('invalid_options', 'receiptKey must be the receipt key, 64 hex digits', 'receiptKey');
      }
      // Kept with the engine: after a trap its bundle loads again under the same trust.
      const trust = { keys: keys.join(','), development: given.development === true, receiptKey };
      let loaded;
      try {
        loaded = guarded(() => WasmEngine.load(source.header, trust.keys, trust.development, trust.receiptKey));
      } catch (e) {
        // The module reports load errors as the failure envelope's text, not as an exception.
        if (typeof e === 'string') open(e);
        throw e;
      }
      return new Engine(LOADED, { wasm: loaded, instance, source, trust, fetchMatter, fetched: {}, fetching: {} });
    }

    /**
     * Resolves once the module can be called: at once, or, after a trap where the runtime can only
     * instantiate asynchronously (mini-programs, old browsers' main thread), when the fresh
     * instance is in place.
     */
    static ready() {
      return ready();
    }

    /**
     * The module's memory in bytes: `inUse`, what every engine's index, compiled matters and
     * calls hold now; `peak`, the most they held at once; `size`, the module's memory, which
     * WebAssembly never shrinks (so it is the high-water mark, and the free part of it is reused
     * by later calls). All 0 before the first `Engine.load` and while a fresh instance is made.
     */
    static memory() {
      if (!instantiated || discarded) return { inUse: 0, peak: 0, size: 0 };
      const figures = guarded(() => module_memory());
      return { inUse: figures[0], peak: figures[1], size: figures[2] };
    }

    matters(options) {
      return open(this.mattersJson(options)).matters;
    }

    /** With `options.region`, the core lists that region's implementations and those of the
     *  regions within it (by 行政区划代码 where known), as `banshi matters --region` does. */
    mattersJson(options) {
      return call(this, 'matters', [regionOf(options)], undefined, '#');
    }

    matter(code, options) {
      return open(this.matterJson(code, options)).matter;
    }

    guide(code, options) {
      return this.matter(code, options).guide;
    }

    matterJson(code, options) {
      return call(this, 'matter', [String(code), dateOf(options)], 1);
    }

    /**
     * Makes sure the rules of the matter in force on `options.on` are in the module: from the
     * one-file bundle, or fetched with the `fetchMatter` given to `Engine.load` (split delivery),
     * then checked against the catalogue's hash and compiled. Resolves at once when they are.
     */
    prepare(code, options) {
      return prepare(this, String(code), dateOf(options));
    }

    decide(code, facts, options) {
      return open(this.decideJson(code, facts, options)).decision;
    }

    decideJson(code, facts, options) {
      return answer(this, 'decide', code, facts, options);
    }

    questions(code, facts, options) {
      const { status, questions } = open(this.questionsJson(code, facts, options));
      return { status, questions };
    }

    questionsJson(code, facts, options) {
      return answer(this, 'questions', code, facts, options);
    }

    eligibility(code, facts, options) {
      const { status, failed, questions } = open(this.eligibilityJson(code, facts, options));
      return { status, failed, questions };
    }

    eligibilityJson(code, facts, options) {
      return answer(this, 'eligibility', code, facts, options);
    }

    verify(code, facts, receipt, options) {
      const { valid, mismatches, receipt: ours } = open(this.verifyJson(code, facts, receipt, options));
      return { valid, mismatches, receipt: ours };
    }

    verifyJson(code, facts, receipt, options) {
      return call(this, 'verify', [String(code), factsJson(facts), dateOf(options), toJson(receipt, 'receipt')], 2);
    }

    /** Themes (一件事一次办): code, name, basis, their matters' codes and the regions they are
     *  offered in; with `options.region`, only the themes offered there or in a region that
     *  encloses it (listed by the core, as `banshi themes --region` does). */
    themes(options) {
      return open(this.themesJson(options)).themes;
    }

    themesJson(options) {
      return call(this, 'theme', ['themes', '', regionOf(options), '{}', ''], 4, '');
    }

    /** A theme's decision: each matter's own, one interview, one materials list, one acceptance. */
    decideTheme(code, facts, options) {
      return open(this.decideThemeJson(code, facts, options)).decision;
    }

    decideThemeJson(code, facts, options) {
      return call(this, 'theme', ['decide', String(code), regionOf(options), factsJson(facts), dateOf(options)], 4, String(code));
    }

    /** What a theme's one interview asks next. */
    themeQuestions(code, facts, options) {
      const { status, questions } = open(this.themeQuestionsJson(code, facts, options));
      return { status, questions };
    }

    themeQuestionsJson(code, facts, options) {
      return call(this, 'theme', ['questions', String(code), regionOf(options), factsJson(facts), dateOf(options)], 4, String(code));
    }

    indicators(options) {
      return open(this.indicatorsJson(options)).indicators;
    }

    indicatorsJson(options) {
      const given = options === undefined || options === null ? {} : options;
      const filter = {};
      if (given.region !== undefined && given.region !== null) filter.region = String(given.region);
      if (given.level !== undefined && given.level !== null) filter.level = String(given.level);
      return call(this, 'indicators', [dateOf(options), JSON.stringify(filter)], 0, '*');
    }

    /** Frees the engine's memory in the module now rather than when it is garbage-collected. */
    free() {
      const state = core(this);
      CORES.delete(this);
      // An engine of a discarded instance has nothing to free in the current one.
      if (state.instance === instance && !discarded) guarded(() => state.wasm.free());
    }
  };
}
