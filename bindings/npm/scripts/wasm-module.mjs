// Reading and editing a WebAssembly module's export section, byte by byte: enough to list the
// exports and to drop exported globals, with no dependency and independently of the engine's
// own feature support (V8 would happily list exports of a module an old kiosk rejects).

const EXPORT_SECTION = 7;
/** Export kinds, by their byte in the binary format. */
export const KINDS = ['function', 'table', 'memory', 'global', 'tag'];

function readLeb(bytes, offset) {
  let value = 0;
  let shift = 0;
  let at = offset;
  for (;;) {
    if (at >= bytes.length) throw new Error(`truncated LEB128 at byte ${offset}`);
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next: at };
    if (shift > 35) throw new Error(`LEB128 too long at byte ${offset}`);
  }
}

function writeLeb(value) {
  const out = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** The module's sections: `{id, start, end}` of each payload. */
function sections(bytes) {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (bytes.length < 8 || magic.some((b, i) => bytes[i] !== b)) {
    throw new Error('not a WebAssembly 1.0 binary module');
  }
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const { value: size, next } = readLeb(bytes, at + 1);
    if (next + size > bytes.length) throw new Error(`section ${id} runs past the end of the module`);
    out.push({ id, header: at, start: next, end: next + size });
    at = next + size;
  }
  return out;
}

function parseExports(bytes, section) {
  const entries = [];
  let { value: count, next: at } = readLeb(bytes, section.start);
  for (let i = 0; i < count; i++) {
    const begin = at;
    const { value: length, next } = readLeb(bytes, at);
    const name = new TextDecoder().decode(bytes.subarray(next, next + length));
    const kind = KINDS[bytes[next + length]] ?? `kind ${bytes[next + length]}`;
    const { next: after } = readLeb(bytes, next + length + 1);
    entries.push({ name, kind, begin, end: after });
    at = after;
  }
  if (at !== section.end) throw new Error('the export section has trailing bytes');
  return entries;
}

/** Every export: `{name, kind}`. */
export function moduleExports(bytes) {
  const section = sections(bytes).find((s) => s.id === EXPORT_SECTION);
  return section ? parseExports(bytes, section).map(({ name, kind }) => ({ name, kind })) : [];
}

/**
 * The module without its exported globals. Nothing in a module refers to its exports, so
 * dropping entries from the export section leaves everything else valid; the JS glue
 * wasm-bindgen writes never reads these globals (`__abort_handler`, `__instance_terminated`),
 * and iOS mini-programs refuse a module that exports any global.
 */
export function withoutGlobalExports(bytes) {
  const section = sections(bytes).find((s) => s.id === EXPORT_SECTION);
  if (!section) return { bytes, removed: [] };
  const entries = parseExports(bytes, section);
  const kept = entries.filter((e) => e.kind !== 'global');
  const removed = entries.filter((e) => e.kind === 'global').map((e) => e.name);
  if (removed.length === 0) return { bytes, removed };
  const payload = [...writeLeb(kept.length)];
  for (const e of kept) payload.push(...bytes.subarray(e.begin, e.end));
  const out = new Uint8Array(bytes.length - (section.end - section.header) + 1 + writeLeb(payload.length).length + payload.length);
  out.set(bytes.subarray(0, section.header), 0);
  let at = section.header;
  out[at++] = EXPORT_SECTION;
  for (const b of writeLeb(payload.length)) out[at++] = b;
  out.set(payload, at);
  at += payload.length;
  out.set(bytes.subarray(section.end), at);
  return { bytes: out, removed };
}
