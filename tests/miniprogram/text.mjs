// The mini-program's TextEncoder/TextDecoder (bindings/miniprogram/src/text.js) against Node's,
// which follow the WHATWG Encoding Standard: every code point; seeded random bytes, valid and
// not, decoded with each combination of `fatal` and `ignoreBOM`, in one piece and streamed in
// random chunks; random strings with lone surrogates through `encode` and through `encodeInto`
// with every destination size. Usage: node tests/miniprogram/text.mjs

import { createRequire } from 'node:module';

const polyfill = createRequire(import.meta.url)('../../bindings/miniprogram/src/text.js');
const Native = { TextDecoder: globalThis.TextDecoder, TextEncoder: globalThis.TextEncoder };

let seed = 0x62616e73;
/** xorshift32: the same cases on every run. */
function random() {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const pick = (list) => list[Math.floor(random() * list.length)];

let passed = 0;
let failed = 0;
const shown = [];
function same(what, expected, actual) {
  const e = JSON.stringify(expected);
  const a = JSON.stringify(actual);
  if (e === a) {
    passed += 1;
  } else {
    failed += 1;
    if (shown.length < 20) shown.push(`MISMATCH ${what}\n    native   ${e}\n    polyfill ${a}`);
  }
}
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** The outcome of a call: its value, or the class of what it threw. */
function outcome(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { threw: e && e.constructor && e.constructor.name };
  }
}

// Bytes around every boundary of the UTF-8 decoder, plus any byte at all.
const INTERESTING = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xfe, 0xff, 0xbb];
function randomBytes() {
  const length = Math.floor(random() * 24);
  const out = [];
  if (random() < 0.2) out.push(0xef, 0xbb, 0xbf); // a BOM first
  while (out.length < length) {
    const r = random();
    if (r < 0.45) out.push(pick(INTERESTING));
    else if (r < 0.7) out.push(...new Native.TextEncoder().encode(String.fromCodePoint(Math.floor(random() * 0x110000)).replace(/[\ud800-\udfff]/g, 'x')));
    else out.push(Math.floor(random() * 256));
  }
  return new Uint8Array(out);
}

const OPTIONS = [{}, { fatal: true }, { ignoreBOM: true }, { fatal: true, ignoreBOM: true }];

function decodeOnce(Decoder, bytes, options) {
  return outcome(() => new Decoder('utf-8', options).decode(bytes));
}

function decodeStreamed(Decoder, bytes, options, cuts) {
  return outcome(() => {
    const decoder = new Decoder('utf-8', options);
    let text = '';
    let from = 0;
    for (const cut of cuts) {
      text += decoder.decode(bytes.subarray(from, cut), { stream: true });
      from = cut;
    }
    text += decoder.decode(bytes.subarray(from));
    // The decoder is reusable after a flush: the same bytes again give the same text (BOM too).
    const again = decoder.decode(bytes);
    return [text, again];
  });
}

// 1. Every code point (no surrogates), one string: encode, decode, both ways.
{
  let all = '';
  for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) all += String.fromCodePoint(cp);
  const bytes = new Native.TextEncoder().encode(all);
  const mine = new polyfill.TextEncoder().encode(all);
  same('encode of every code point', hex(bytes.subarray(0, 0)) + bytes.length, hex(mine.subarray(0, 0)) + mine.length);
  same('encode of every code point (bytes equal)', true, Buffer.from(bytes).equals(Buffer.from(mine)));
  same('decode of every code point', true, new polyfill.TextDecoder().decode(bytes) === all);
}

// 2. Random bytes, every option, one piece and streamed.
for (let i = 0; i < 4000; i++) {
  const bytes = randomBytes();
  const options = OPTIONS[i % OPTIONS.length];
  same(`decode [${hex(bytes)}] ${JSON.stringify(options)}`, decodeOnce(Native.TextDecoder, bytes, options), decodeOnce(polyfill.TextDecoder, bytes, options));
  const cuts = [];
  for (let at = 0; at < bytes.length; at += 1 + Math.floor(random() * 4)) cuts.push(at);
  same(`decode streamed [${hex(bytes)}] cut at ${cuts} ${JSON.stringify(options)}`, decodeStreamed(Native.TextDecoder, bytes, options, cuts), decodeStreamed(polyfill.TextDecoder, bytes, options, cuts));
}

// 3. What wasm-bindgen's glue does: `new TextDecoder('utf-8', { ignoreBOM: true })`, `decode()`,
//    then views of a larger buffer; and buffers rather than views.
{
  const glue = new polyfill.TextDecoder('utf-8', { ignoreBOM: true });
  same('decode() with no input', '', glue.decode());
  const memory = new Uint8Array(64);
  const text = '\ufeff办事 ok';
  const encoded = new Native.TextEncoder().encode(text);
  memory.set(encoded, 10);
  same('decode of a view at an offset, BOM kept with ignoreBOM', text, glue.decode(memory.subarray(10, 10 + encoded.length)));
  same('decode of an ArrayBuffer', 'ok', new polyfill.TextDecoder().decode(new Uint8Array([0x6f, 0x6b]).buffer));
  same('decode of a DataView', 'ok', new polyfill.TextDecoder().decode(new DataView(new Uint8Array([0x6f, 0x6b]).buffer)));
  same('properties', ['utf-8', true, true], [glue.encoding, new polyfill.TextDecoder('utf8', { fatal: true }).fatal, glue.ignoreBOM]);
  same('labels', ['ok', 'ok', 'ok', 'RangeError', 'TypeError'], [' UTF-8\n', 'utf8', 'unicode-1-1-utf-8', 'latin1', 'options'].map((label) => {
    const r = outcome(() => (label === 'options' ? new polyfill.TextDecoder('utf-8', 3) : new polyfill.TextDecoder(label)));
    return r.threw === undefined ? 'ok' : r.threw;
  }));
  same('decode of a string is a TypeError', { threw: 'TypeError' }, outcome(() => new polyfill.TextDecoder().decode('abc')));
}

// 4. Random strings (lone surrogates included) through encode and encodeInto at every size.
const PIECES = ['a', '\u007f', '\u0080', 'é', '\u07ff', '\u0800', '办', '\uffff', '\ud83d\ude00', '\ud800', '\udfff', '\udbff\udfff', '\ufeff'];
for (let i = 0; i < 1500; i++) {
  let text = '';
  const length = Math.floor(random() * 10);
  for (let j = 0; j < length; j++) text += random() < 0.8 ? pick(PIECES) : String.fromCharCode(Math.floor(random() * 0x10000));
  const nativeBytes = new Native.TextEncoder().encode(text);
  same(`encode ${JSON.stringify(text)}`, hex(nativeBytes), hex(new polyfill.TextEncoder().encode(text)));
  for (let size = 0; size <= nativeBytes.length + 1; size++) {
    const a = new Uint8Array(size);
    const b = new Uint8Array(size);
    const r1 = new Native.TextEncoder().encodeInto(text, a);
    const r2 = new polyfill.TextEncoder().encodeInto(text, b);
    same(`encodeInto ${JSON.stringify(text)} into ${size} bytes`, [r1.read, r1.written, hex(a)], [r2.read, r2.written, hex(b)]);
  }
}
same('encode() with no input', 0, new polyfill.TextEncoder().encode().length);
same('encoder encoding', 'utf-8', new polyfill.TextEncoder().encoding);

for (const line of shown) console.log(line);
console.log(`text: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
