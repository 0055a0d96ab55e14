// The engine both entry points export. Everything is decided in the WebAssembly module, which
// returns JSON text and takes facts as JSON text or, from this file, in a binary encoding
// written straight into its memory: this file only turns objects into that input and envelopes
// back into objects or a thrown `BanshiError`. See ../index.d.ts for the documented API.
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

/**
 * The binary lane's text encoder, where the runtime has `TextEncoder.encodeInto` (every
 * browser and Node; not WeChat's iOS engine, which sends JSON text).
 */
const ENCODER = typeof TextEncoder === 'function' && typeof TextEncoder.prototype.encodeInto === 'function' ? new TextEncoder() : null;

/** The module's memory (one instance per page or process), once the lane first needs it. */
let memory = null;

/** The eligibility answer the fast lane does not send as text: every condition holds. */
const PLAIN_ELIGIBLE = '{"ok":true,"status":"eligible","failed":[],"questions":[]}';

/**
 * The binary lane (banshi_core::facts::encoded): a facts object written straight into the
 * module's memory against the matter's facts schema, with no JSON text to make, encode and
 * scan. Anything it cannot say exactly (a name not in the schema, a value of another type, an
 * option not offered, a `toJSON`) goes as JSON text instead, and the module checks every value
 * as JSON would, so the answer is the same byte for byte.
 */
const ROOM = 1 << 16;

/** The bytes of the decision date at the start of the lane's input (`YYYY-MM-DD`). */
const DATE = 10;

/**
 * Per engine and matter code: the lane (the module's number for a matter version) last used,
 * and every lane seen, with what the lane encodes facts by and builds eligibility answers
 * from. The version in force can change with the date, so the module checks the lane each
 * call and the package asks for the right one when it differs.
 */
const SCHEMAS = new WeakMap();

/** The lane of `code` in force on `on` and its schema, or null (send JSON text). */
function schemaFor(engine, wasmEngine, code, on, stale) {
  let byMatter = SCHEMAS.get(engine);
  if (byMatter === undefined) {
    byMatter = new Map();
    SCHEMAS.set(engine, byMatter);
  }
  let seen = byMatter.get(code);
  if (seen === undefined) {
    seen = { last: null, lanes: new Map() };
    byMatter.set(code, seen);
  }
  if (seen.last !== null && !stale) return seen.last;
  const lane = wasmEngine.lane(code, on);
  if (lane < 0) return null;
  let schema = seen.lanes.get(lane);
  if (schema === undefined) {
    const text = wasmEngine.lane_schema(lane);
    if (text === '') return null;
    const { facts, texts } = JSON.parse(text);
    const byName = new Map();
    facts.forEach((fact, index) => {
      const listed = fact.type === 'enum' || fact.type === 'enum_list';
      const options = listed ? new Map((fact.options || []).map((option, i) => [option, i])) : null;
      byName.set(fact.name, { index, type: fact.type, options });
    });
    schema = { lane, facts: byName, failed: texts.failed, questions: texts.questions };
    seen.lanes.set(lane, schema);
  }
  seen.last = schema;
  return schema;
}

/** Per module-side engine: a view of its lane input, kept until the memory grows. */
const INPUTS = new WeakMap();

/** The lane's input buffer in the module's memory, made again if the memory has grown. */
function laneInput(wasmEngine) {
  const kept = INPUTS.get(wasmEngine);
  // A grown memory detaches the old buffer and every view of it (their length reads 0). The
  // buffer itself never moves: `input` only ever asks for the same length.
  if (kept !== undefined && kept.byteLength !== 0) return kept;
  const start = wasmEngine.input(ROOM);
  if (memory === null) memory = WasmEngine.memory();
  // Made after `input`, which may have grown (and so detached) the memory's buffer.
  const view = new Uint8Array(memory.buffer, start, ROOM);
  INPUTS.set(wasmEngine, view);
  return view;
}

/** Writes the date, if it is ten ASCII characters (anything else is for the core to refuse). */
function writeDate(bytes, on) {
  if (on.length !== DATE) return false;
  for (let i = 0; i < DATE; i += 1) {
    const c = on.charCodeAt(i);
    if (c >= 0x80) return false;
    bytes[i] = c;
  }
  return true;
}

/** The statuses eligibility numbers name (banshi_core `Matter::eligibility_numbers`). */
const STATUSES = ['eligible', 'ineligible', 'needs_facts'];

/**
 * A JSON value copied, so that no caller shares (and can change) the lane's texts. The keys
 * are the core's own field names, never `__proto__`.
 */
function copy(value) {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copy);
  const out = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i += 1) out[keys[i]] = copy(value[keys[i]]);
  return out;
}

/** The eligibility answer the module wrote as numbers, read against the lane's texts; null if they do not read. */
function fromNumbers(bytes, schema) {
  let at = 1;
  const list = (texts) => {
    const count = bytes[at] | (bytes[at + 1] << 8);
    at += 2;
    const out = [];
    for (let i = 0; i < count; i += 1, at += 2) {
      const text = texts[bytes[at] | (bytes[at + 1] << 8)];
      if (text === undefined) return null;
      out.push(copy(text));
    }
    return out;
  };
  const status = STATUSES[bytes[0]];
  const failed = list(schema.failed);
  const questions = list(schema.questions);
  if (status === undefined || failed === null || questions === null) return null;
  return { status, failed, questions };
}

/** Writes a little-endian u16. */
function u16(bytes, at, n) {
  bytes[at] = n & 0xff;
  bytes[at + 1] = n >>> 8;
}

/** Writes `facts` into the lane's input after the date in the binary encoding: the input's length, or -1 to send JSON. */
function encodeFacts(bytes, schema, facts) {
  if (facts === undefined || facts === null) return DATE;
  if (typeof facts !== 'object' || Array.isArray(facts) || typeof facts.toJSON === 'function') return -1;
  // The members JSON.stringify writes: own enumerable string keys, in its order. Their values
  // come in one call too (reading each by name was a fifth of the encoding); a getter that
  // deleted a later member would leave the two lists unaligned, and JSON text says it exactly.
  const names = Object.keys(facts);
  const values = Object.values(facts);
  if (values.length !== names.length) return -1;
  let at = DATE;
  for (let k = 0; k < names.length; k += 1) {
    const value = values[k];
    const type = typeof value;
    // JSON.stringify leaves these members out.
    if (type === 'undefined' || type === 'function' || type === 'symbol') continue;
    const fact = schema.facts.get(names[k]);
    if (fact === undefined || at + 16 > ROOM) return -1;
    u16(bytes, at, fact.index);
    if (value === null) {
      bytes[at + 2] = 0;
      at += 3;
    } else if (type === 'boolean') {
      bytes[at + 2] = value ? 2 : 1;
      at += 3;
    } else if (type === 'number') {
      // JSON.stringify writes a finite number as String does, and NaN and the infinities as null.
      if (!isFinite(value)) return -1;
      const text = String(value);
      if (at + 4 + text.length > ROOM) return -1;
      bytes[at + 2] = 3;
      bytes[at + 3] = text.length;
      for (let i = 0; i < text.length; i += 1) bytes[at + 4 + i] = text.charCodeAt(i);
      at += 4 + text.length;
    } else if (type === 'string' && fact.type === 'enum') {
      const option = fact.options.get(value);
      if (option === undefined) return -1;
      bytes[at + 2] = 5;
      u16(bytes, at + 3, option);
      at += 5;
    } else if (type === 'string') {
      // At most three UTF-8 bytes for each UTF-16 code unit.
      if (at + 5 + value.length * 3 > ROOM) return -1;
      // ASCII (dates, numbers in strings) byte by byte; anything else through the encoder.
      let written = 0;
      while (written < value.length && value.charCodeAt(written) < 0x80) {
        bytes[at + 5 + written] = value.charCodeAt(written);
        written += 1;
      }
      if (written < value.length) {
        const encoded = ENCODER.encodeInto(value, bytes.subarray(at + 5));
        if (encoded.read !== value.length) return -1;
        written = encoded.written;
      }
      if (written > 0xffff) return -1;
      bytes[at + 2] = 4;
      u16(bytes, at + 3, written);
      at += 5 + written;
    } else if (fact.type === 'enum_list' && Array.isArray(value)) {
      if (value.length > 0xffff || at + 5 + value.length * 2 > ROOM) return -1;
      bytes[at + 2] = 6;
      u16(bytes, at + 3, value.length);
      for (let i = 0; i < value.length; i += 1) {
        const option = typeof value[i] === 'string' ? fact.options.get(value[i]) : undefined;
        if (option === undefined) return -1;
        u16(bytes, at + 5 + 2 * i, option);
      }
      at += 5 + value.length * 2;
    } else if (type === 'object' && typeof value.toJSON !== 'function') {
      // A nested value (such as the list of objects `特别程序` takes) as the JSON text
      // JSON.stringify writes for it inside the facts object. A `toJSON` would be called with
      // another key here than there, so such values go with the whole object as JSON text.
      let text;
      try {
        text = JSON.stringify(value);
      } catch (e) {
        return -1;
      }
      if (typeof text !== 'string' || at + 5 + text.length * 3 > ROOM) return -1;
      const encoded = ENCODER.encodeInto(text, bytes.subarray(at + 5));
      if (encoded.read !== text.length || encoded.written > 0xffff) return -1;
      bytes[at + 2] = 7;
      u16(bytes, at + 3, encoded.written);
      at += 5 + encoded.written;
    } else {
      return -1;
    }
  }
  return at;
}

/** `facts`, with "not given" meaning no facts answered yet. */
function factsJson(facts) {
  return toJson(facts === undefined || facts === null ? {} : facts, 'facts');
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
  if (typeof value === 'string') return value;
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

/**
 * The module's numbers for its calls (`eligibilityNumbers` and `questionsNumbers` answer as
 * `eligibility` and `questions` from JSON text).
 */
const CALLS = { eligibility: 0, questions: 1, decide: 2, eligibilityNumbers: 3, questionsNumbers: 4 };

/**
 * The envelope of `call` of `engine` (or, for `'eligibilityNumbers'` and `'questionsNumbers'`,
 * possibly `{status, failed, questions}` read from the module's numbers): through the binary
 * lane where it can say the date and the facts, else as JSON text.
 */
function answer(engine, call, code, facts, options) {
  const wasmEngine = core(engine);
  const matter = String(code);
  const on = dateOf(options);
  // At most twice: the second time by the lane in force, when the date chose another version
  // than the lane last used.
  for (let attempt = 0; ENCODER !== null && attempt < 2; attempt += 1) {
    const schema = schemaFor(engine, wasmEngine, matter, on, attempt > 0);
    if (schema === null) break;
    let bytes = laneInput(wasmEngine);
    const written = writeDate(bytes, on) ? encodeFacts(bytes, schema, facts) : -1;
    if (written < 0) break;
    const answered = wasmEngine.answer_lane(CALLS[call], schema.lane, written);
    if (answered === 0) return PLAIN_ELIGIBLE;
    if (answered === 1) return wasmEngine.answer();
    if (answered === 3) {
      // The module may have grown its memory while deciding.
      if (bytes.byteLength === 0) bytes = laneInput(wasmEngine);
      const read = fromNumbers(bytes, schema);
      if (read !== null) return read;
      break;
    }
    // Refused with the lane in force: a value JSON text must carry (and report).
    if (wasmEngine.lane(matter, on) === schema.lane) break;
  }
  return wasmEngine.answer_json(CALLS[call], matter, factsJson(facts), on);
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

    /** Instantiates the module (once per page or process) and compiles the bundle. */
    static async load(bundle, options) {
      await initialize(options === undefined || options === null ? undefined : options.wasm);
      if (typeof bundle !== 'string') {
        throw jsError('invalid_bundle', 'the bundle must be the text `banshi bundle` wrote', '');
      }
      let loaded;
      try {
        loaded = WasmEngine.load(bundle);
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
      const answered = answer(this, 'questionsNumbers', code, facts, options);
      if (typeof answered !== 'string') return { status: answered.status, questions: answered.questions };
      if (answered === PLAIN_ELIGIBLE) return { status: 'eligible', questions: [] };
      const { status, questions } = open(answered);
      return { status, questions };
    }

    questionsJson(code, facts, options) {
      return answer(this, 'questions', code, facts, options);
    }

    eligibility(code, facts, options) {
      const answered = answer(this, 'eligibilityNumbers', code, facts, options);
      if (typeof answered !== 'string') return answered;
      if (answered === PLAIN_ELIGIBLE) return { status: 'eligible', failed: [], questions: [] };
      const { status, failed, questions } = open(answered);
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
