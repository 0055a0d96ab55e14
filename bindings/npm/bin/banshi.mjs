#!/usr/bin/env node
// `npx banshi bundle [DIR] [-o FILE]`: the rules bundle from a rules folder, with Node alone.
// The Rust loader (banshi-loader, compiled to WebAssembly: dist/loader/) parses, checks and
// writes it, so the bundle is byte for byte the one `banshi bundle DIR -o FILE` writes, and a
// problem prints as `banshi check` prints it (`file:line:col: message`). Unsigned: sign a
// bundle for production with `banshi bundle --sign KEYFILE`.

import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const USAGE = 'usage: banshi bundle [DIR] [-o FILE]   (DIR: the rules folder, default `rules`)';

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function args(argv) {
  if (argv[0] !== 'bundle') fail(argv[0] === undefined || argv[0] === '--help' || argv[0] === '-h' ? USAGE : `unknown command \`${argv[0]}\`\n${USAGE}`);
  let dir;
  let output;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-o' || arg === '--output') {
      output = argv[++i];
      if (output === undefined) fail(`${arg} needs a file\n${USAGE}`);
    } else if (arg.startsWith('--output=')) output = arg.slice('--output='.length);
    else if (arg.startsWith('-')) fail(`unknown option \`${arg}\`\n${USAGE}`);
    else if (dir === undefined) dir = arg;
    else fail(`one rules folder only\n${USAGE}`);
  }
  return { dir: dir ?? 'rules', output };
}

/** `base` joined with `name` as Rust's `Path::join` displays it. */
const joined = (base, name) => (base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`);

/** Path components compared as Rust compares paths: component by component, by UTF-8 bytes. */
function comparePaths(a, b) {
  const x = a.split('/').filter((c) => c !== '' && c !== '.');
  const y = b.split('/').filter((c) => c !== '' && c !== '.');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const order = Buffer.compare(Buffer.from(x[i]), Buffer.from(y[i]));
    if (order !== 0) return order;
  }
  return x.length - y.length;
}

/** A file the loader may want: which `.toml` files are rule files is the loader's own rule
 * (`banshi_loader::is_rule_file`), applied in the module, so the two cannot drift. */
const wanted = (path) => path.endsWith('.toml');

function collect(path, out) {
  if (statSync(path).isFile()) {
    out.push(path);
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = joined(path, entry.name);
    if (entry.isDirectory()) collect(child, out);
    else if (wanted(child)) out.push(child);
  }
}

/** banshi-loader's `read_tree`: every rule file below `path`, sorted, keyed relative to it. */
function readTree(path) {
  const paths = [];
  collect(path, paths);
  paths.sort(comparePaths);
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return paths.map((p) => ({
    name: p,
    key: p === path ? p.split('/').pop() : p.startsWith(prefix) ? p.slice(prefix.length) : p,
    text: readFileSync(p, 'utf8'),
  }));
}

/** The nearest `name` in `path` or a folder above it (banshi-loader's `nearest`). */
function nearest(path, name) {
  let dir = statSync(path).isDirectory() ? path : dirname(path);
  for (;;) {
    const candidate = joined(dir === '.' ? '' : dir, name);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir || dir === '' || dir === '.') return undefined;
    dir = up;
  }
}

/** banshi-loader's `read_rules`, with no built-in rules to fall back on. */
function readRules(path) {
  const files = readTree(path);
  const kind = (f) => {
    const file = f.name.split('/').pop();
    const inCalendar = f.name.includes('calendar/');
    if (file === 'licences.toml') return 'licences';
    return inCalendar && file.endsWith('.toml') ? 'calendar' : 'other';
  };
  for (const [wantedKind, name] of [['licences', 'licences.toml'], ['calendar', 'calendar']]) {
    if (files.some((f) => kind(f) === wantedKind)) continue;
    const found = nearest(path, name);
    if (found === undefined) fail(`error: no ${name} in or above ${path}: the rules need their ${wantedKind === 'calendar' ? 'holiday calendar' : 'licence catalogue'}`);
    for (const f of readTree(found)) files.push(wantedKind === 'calendar' ? { ...f, key: `calendar/${f.key}` } : f);
  }
  return files;
}

const { dir, output } = args(process.argv.slice(2));
let files;
try {
  files = readRules(dir);
} catch (e) {
  fail(`error: ${e instanceof Error ? e.message : String(e)}`);
}
const { bundle } = createRequire(import.meta.url)('../dist/loader/banshi_loader_wasm.js');
const answer = JSON.parse(bundle(JSON.stringify(files)));
if (!answer.ok) {
  fail(`${answer.problems.join('\n')}\nerror: the rules have ${answer.problems.length} problem(s); run \`banshi check\``);
}
if (output === undefined) {
  process.stdout.write(answer.bundle);
} else {
  writeFileSync(output, answer.bundle);
  const hash = JSON.parse(answer.bundle.split('\n')[0]).hash;
  process.stderr.write(`wrote ${output} (${Buffer.byteLength(answer.bundle)} bytes, ${hash}, unsigned)\n`);
}
