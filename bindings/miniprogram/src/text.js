// UTF-8 TextEncoder and TextDecoder for JavaScript engines that have neither (WeChat's iOS
// JavaScriptCore, older Android runtimes), as the WHATWG Encoding Standard defines them for
// UTF-8: the constructor options wasm-bindgen's glue passes (`fatal`, `ignoreBOM`), `stream` in
// `decode`, U+FFFD for every maximal invalid subsequence, `encodeInto` that never splits a
// character. The glue is given these classes instead of the globals, so nothing global is
// installed and a runtime that has the real ones decides with the same code as one that lacks
// them.
//
// ES2017 script (CommonJS): no `??`, `?.`, class fields or other later syntax, no `instanceof`
// on buffers (the memory of a WebAssembly instance may come from another realm).

'use strict';

/** The labels of UTF-8 in the Encoding Standard; any other label is a RangeError. */
var UTF8_LABELS = ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'];
var REPLACEMENT = 0xfffd;
/** Code units per `String.fromCharCode.apply` call: well under every engine's argument limit. */
var CHUNK = 8192;

function checkLabel(label) {
  var name = String(label).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase();
  if (UTF8_LABELS.indexOf(name) < 0) {
    throw new RangeError('the encoding `' + String(label) + '` is not supported: only utf-8');
  }
}

/** A dictionary argument (`options`): undefined and null mean "none"; other non-objects are errors. */
function dictionary(options, what) {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' && typeof options !== 'function') {
    throw new TypeError(what + ' must be an object');
  }
  return options;
}

/** The bytes of a BufferSource (an ArrayBuffer or a view of one), without copying. */
function bytesOf(input) {
  if (input === undefined) return new Uint8Array(0);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  var tag = Object.prototype.toString.call(input);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(input);
  throw new TypeError('decode() takes an ArrayBuffer or a view of one');
}

/** Appends a code point to `units` as UTF-16. */
function pushCodePoint(units, cp) {
  if (cp > 0xffff) {
    var rest = cp - 0x10000;
    units.push(0xd800 + (rest >> 10), 0xdc00 + (rest & 0x3ff));
  } else {
    units.push(cp);
  }
}

function unitsToString(units) {
  var out = '';
  for (var i = 0; i < units.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, units.slice(i, i + CHUNK));
  }
  return out;
}

class TextDecoder {
  /**
   * @param {string} [label] only UTF-8's labels (default `utf-8`)
   * @param {{fatal?: boolean, ignoreBOM?: boolean}} [options]
   */
  constructor(label, options) {
    checkLabel(label === undefined ? 'utf-8' : label);
    var opts = dictionary(options, 'TextDecoder options');
    this._fatal = Boolean(opts.fatal);
    this._ignoreBOM = Boolean(opts.ignoreBOM);
    this._reset();
    this._streaming = false;
  }

  get encoding() {
    return 'utf-8';
  }

  get fatal() {
    return this._fatal;
  }

  get ignoreBOM() {
    return this._ignoreBOM;
  }

  /** The decoder's state between calls: a partial sequence, and whether a BOM may still come. */
  _reset() {
    this._needed = 0;
    this._seen = 0;
    this._cp = 0;
    this._lower = 0x80;
    this._upper = 0xbf;
    this._bomSeen = false;
  }

  /**
   * @param {ArrayBuffer | ArrayBufferView} [input]
   * @param {{stream?: boolean}} [options]
   */
  decode(input, options) {
    var bytes = bytesOf(input);
    var stream = Boolean(dictionary(options, 'decode options').stream);
    if (!this._streaming) this._reset();
    this._streaming = stream;

    var units = [];
    var needed = this._needed;
    var seen = this._seen;
    var cp = this._cp;
    var lower = this._lower;
    var upper = this._upper;
    var fatal = this._fatal;
    var error = function () {
      if (fatal) throw new TypeError('the encoded data was not valid utf-8');
      units.push(REPLACEMENT);
    };

    var i = 0;
    while (i < bytes.length) {
      var b = bytes[i];
      if (needed === 0) {
        i++;
        if (b <= 0x7f) {
          units.push(b);
        } else if (b >= 0xc2 && b <= 0xdf) {
          needed = 1;
          cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2;
          cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3;
          cp = b & 0x07;
        } else {
          error();
        }
        continue;
      }
      if (b < lower || b > upper) {
        // The sequence so far is one error; this byte starts again (it is not consumed).
        needed = 0;
        seen = 0;
        cp = 0;
        lower = 0x80;
        upper = 0xbf;
        error();
        continue;
      }
      i++;
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
      seen++;
      if (seen === needed) {
        pushCodePoint(units, cp);
        needed = 0;
        seen = 0;
        cp = 0;
      }
    }
    if (!stream && needed !== 0) {
      needed = 0;
      seen = 0;
      cp = 0;
      lower = 0x80;
      upper = 0xbf;
      error();
    }
    this._needed = needed;
    this._seen = seen;
    this._cp = cp;
    this._lower = lower;
    this._upper = upper;

    // A byte order mark at the start of the stream is dropped unless `ignoreBOM`.
    if (!this._ignoreBOM && !this._bomSeen && units.length > 0) {
      this._bomSeen = true;
      if (units[0] === 0xfeff) units.shift();
    }
    return unitsToString(units);
  }
}

class TextEncoder {
  get encoding() {
    return 'utf-8';
  }

  /** @param {string} [input] */
  encode(input) {
    var text = input === undefined ? '' : String(input);
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var cp = codePointAt(text, i);
      if (cp > 0xffff) i++;
      writeUtf8(out, out.length, cp);
    }
    return new Uint8Array(out);
  }

  /**
   * Writes as many whole characters of `source` as fit into `destination`.
   * @param {string} source
   * @param {Uint8Array} destination
   * @returns {{read: number, written: number}} UTF-16 code units read, bytes written
   */
  encodeInto(source, destination) {
    var text = String(source);
    var read = 0;
    var written = 0;
    var room = destination.length;
    while (read < text.length) {
      var cp = codePointAt(text, read);
      var size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (written + size > room) break;
      writeUtf8(destination, written, cp);
      written += size;
      read += cp > 0xffff ? 2 : 1;
    }
    return { read: read, written: written };
  }
}

/** The code point at `i`, with a lone surrogate read as U+FFFD (what UTF-8 cannot hold). */
function codePointAt(text, i) {
  var unit = text.charCodeAt(i);
  if (unit < 0xd800 || unit > 0xdfff) return unit;
  if (unit <= 0xdbff && i + 1 < text.length) {
    var next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
  }
  return REPLACEMENT;
}

/** Writes `cp` as UTF-8 into `target` (an array or a Uint8Array) at `at`. */
function writeUtf8(target, at, cp) {
  if (cp < 0x80) {
    target[at] = cp;
  } else if (cp < 0x800) {
    target[at] = 0xc0 | (cp >> 6);
    target[at + 1] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    target[at] = 0xe0 | (cp >> 12);
    target[at + 1] = 0x80 | ((cp >> 6) & 0x3f);
    target[at + 2] = 0x80 | (cp & 0x3f);
  } else {
    target[at] = 0xf0 | (cp >> 18);
    target[at + 1] = 0x80 | ((cp >> 12) & 0x3f);
    target[at + 2] = 0x80 | ((cp >> 6) & 0x3f);
    target[at + 3] = 0x80 | (cp & 0x3f);
  }
}

exports.TextDecoder = TextDecoder;
exports.TextEncoder = TextEncoder;
