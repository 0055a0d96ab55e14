// Validates every shipped rule file and case file against the committed JSON Schemas
// (rules/schema/, written by `banshi schema`) with ajv, a validator independent of the Rust code that
// generates them, and checks that each broken fixture in tests/schema/broken/ is refused with
// the error its name announces. Usage: node tests/schema/validate.mjs (from the repository).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse as parseToml } from 'smol-toml';

const root = new URL('../..', import.meta.url).pathname;
const ajv = new Ajv2020({ allErrors: true, strict: false });
// The integer formats schemars writes for Rust's integer types.
for (const [name, min, max] of [['uint8', 0, 255], ['uint32', 0, 2 ** 32 - 1], ['int32', -(2 ** 31), 2 ** 31 - 1], ['int64', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]]) {
  ajv.addFormat(name, { type: 'number', validate: (n) => Number.isInteger(n) && n >= min && n <= max });
}
const schema = (name) => ajv.compile(JSON.parse(readFileSync(join(root, 'rules', 'schema', `${name}.schema.json`), 'utf8')));
const validators = {
  matter: schema('matter'),
  base: schema('base'),
  implementation: schema('implementation'),
  case: schema('case'),
  licences: schema('licences'),
  calendar: schema('calendar'),
};

function kindOf(path) {
  const name = basename(path);
  // Theme files and their cases (一件事一次办) have no schema yet: `banshi check` is their check.
  if (path.includes('/rules/themes/')) return null;
  if (name === 'licences.toml') return 'licences';
  if (name === 'base.toml') return 'base';
  if (path.includes('/implementations/') && name.endsWith('.toml')) return 'implementation';
  if (path.includes('/calendar/') && name.endsWith('.toml')) return 'calendar';
  if (path.includes('/cases/') && name.endsWith('.json')) return 'case';
  if (name.endsWith('.toml')) return 'matter';
  return null;
}

function walk(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function read(path) {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.json') ? JSON.parse(text) : parseToml(text);
}

let failures = 0;
let shipped = 0;
for (const path of walk(join(root, 'rules')).sort()) {
  const kind = kindOf(path);
  if (!kind) continue;
  const validate = validators[kind];
  shipped++;
  if (!validate(read(path))) {
    failures++;
    console.error(`${path.slice(root.length)}: ${ajv.errorsText(validate.errors)}`);
  }
}
console.log(`${shipped} shipped files validated against rules/schema/ (${failures} refused)`);

// broken/<kind>[.<where>].<keyword>.(toml|json): each must be refused, with `keyword` among the
// errors.
let broken = 0;
for (const name of readdirSync(join(root, 'tests/schema/broken')).sort()) {
  const parts = name.split('.');
  const [kind, keyword] = [parts[0], parts[parts.length - 2]];
  const validate = validators[kind];
  broken++;
  if (validate(read(join(root, 'tests/schema/broken', name)))) {
    failures++;
    console.error(`tests/schema/broken/${name}: accepted, should be refused`);
  } else if (!validate.errors.some((e) => e.keyword === keyword)) {
    failures++;
    console.error(`tests/schema/broken/${name}: refused for ${ajv.errorsText(validate.errors)}, not ${keyword}`);
  }
}
console.log(`${broken} broken fixtures refused`);
console.log(`${shipped + broken - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
