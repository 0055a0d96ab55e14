// The engine both entry points export. Everything is decided in the WebAssembly module, which
// takes facts as JSON text and returns JSON text: this file only turns objects into that text
// and envelopes back into objects or a thrown `BanshiError`. See ../index.d.ts for the
// documented API.
//
// The syntax stays within ES2017 (no `??`, `?.` or `#private`), like wasm-bindgen's glue: the
// point of the MVP module is that old kiosk browsers run it, and they must parse this file too.

import { WasmEngine } from '../dist/banshi_wasm.js';

/** Guards the constructor: engines come from `Engine.load`, after the module is instantiated. */
const LOADED = Symbol('banshi.loaded');

/** Each engine's module-side object, out of reach of callers (a private field, in ES2017). */
const CORES = new WeakMap();

function core(engine) {
  const found = CORES.get(engine);
  if (found === undefined) throw new TypeError('not an engine made by `Engine.load`');
  return found;
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

/** The envelope's body, or its errors thrown. */
function open(text) {
  const envelope = JSON.parse(text);
  if (envelope.ok === true) return envelope;
  throw new BanshiError(envelope.errors);
}

/** The envelope of `call` (`'eligibility'`, `'questions'` or `'decide'`) for facts as JSON text. */
function answer(engine, call, code, facts, options) {
  return core(engine)[call](String(code), factsJson(facts), dateOf(options));
}

/**
 * The Engine class, given how this entry point instantiates the module.
 * @param {(wasm: unknown) => Promise<void>} initialize
 */
export function defineEngine(initialize) {
  return class Engine {
    /** Use `Engine.load`. */
    constructor(token, wasmEngine) {
      if (token !== LOADED) throw new TypeError('use `await Engine.load(bundle)` to create an engine');
      CORES.set(this, wasmEngine);
      Object.defineProperty(this, 'hash', { value: wasmEngine.hash, enumerable: true });
    }

    /**
     * Instantiates the module (once per page or process) and compiles the bundle, which must be
     * signed by one of `options.trustedKeys` unless `options.development`; receipts are keyed
     * with `options.receiptKey` (required outside development mode).
     */
    static async load(bundle, options) {
      const given = options === undefined || options === null ? {} : options;
      await initialize(given.wasm);
      if (typeof bundle !== 'string') {
        throw jsError('invalid_bundle', 'the bundle must be the text `banshi bundle` wrote', '');
      }
      const keys = given.trustedKeys === undefined ? [] : given.trustedKeys;
      if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string' || k.indexOf(',') >= 0)) {
        throw jsError('invalid_options', 'trustedKeys must be a list of public keys, each 64 hex digits', 'trustedKeys');
      }
      const receiptKey = given.receiptKey === undefined || given.receiptKey === null ? '' : given.receiptKey;
      if (typeof receiptKey !== 'string') {
        throw jsError('invalid_options', 'receiptKey must be the receipt key, 64 hex digits', 'receiptKey');
      }
      let loaded;
      try {
        loaded = WasmEngine.load(bundle, keys.join(','), given.development === true, receiptKey);
      } catch (e) {
        // The module reports load errors as the failure envelope's text, not as an exception.
        if (typeof e === 'string') open(e);
        throw e;
      }
      return new Engine(LOADED, loaded);
    }

    matters() {
      return open(this.mattersJson()).matters;
    }

    mattersJson() {
      return core(this).matters();
    }

    matter(code, options) {
      return open(this.matterJson(code, options)).matter;
    }

    matterJson(code, options) {
      return core(this).matter(String(code), dateOf(options));
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
      return core(this).verify(String(code), factsJson(facts), dateOf(options), toJson(receipt, 'receipt'));
    }

    /** Frees the engine's memory in the module now rather than when it is garbage-collected. */
    free() {
      core(this).free();
      CORES.delete(this);
    }
  };
}
