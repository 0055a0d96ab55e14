// The HTTP channel: every corpus case sent to `banshi-serve` over real HTTP and compared with
// the native answer, byte for byte, as bindings/server/src/answer.rs maps envelopes to answers:
// a success is what its envelope carries with status 200 (for `decide` the decision itself, the
// bytes `banshi decide --compact` prints), a failure the whole envelope with a 4xx status.
// Usage: node run-http.mjs CORPUS.json BANSHI_SERVE BANSHI RESULT.json
//
// Beside the corpus's native answers, the first generated decisions of every matter are
// compared with what `banshi decide --compact` (the BANSHI binary) prints for the same bundle,
// keys, facts and date.
//
// The server starts on the corpus's first bundle, with the corpus's trusted key and receipt
// key; the next bundles are swapped in with POST /v1/admin/reload. Two kinds of case are not
// sent as they are, and say so:
// - facts whose text is not JSON (a byte order mark, `True`): a request body cannot carry them,
//   so the body itself is that text and must be refused with 400 and the same code;
// - `load` cases with their own load options (a server's trust is fixed when it starts), and
//   the empty bundle (an empty reload body reads the server's own rules again); the other
//   `load` cases are sent to the reload endpoint, which must refuse or accept as natively.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { diff } from './compare.mjs';

const [corpusPath, serveBin, banshiBin, resultPath] = process.argv.slice(2);
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'));
const options = JSON.parse(corpus.options);
const dir = mkdtempSync(join(tmpdir(), 'banshi-http-'));
const token = 'conformance-admin-token-0123456789';
writeFileSync(join(dir, 'admin.token'), `${token}\n`);
writeFileSync(join(dir, 'receipt.key'), `receipt-key ${options.receiptKey}\n`);
writeFileSync(join(dir, 'bundle.json'), corpus.bundles[0].text);

const server = spawn(serveBin, [
  '--addr', '127.0.0.1:0', '--bundle', join(dir, 'bundle.json'),
  ...options.trustedKeys.flatMap((k) => ['--trust', k]),
  '--receipt-key', join(dir, 'receipt.key'), '--admin-token', join(dir, 'admin.token'),
], { stdio: ['ignore', 'inherit', 'pipe'] });
const log = [];
const lines = createInterface({ input: server.stderr });
const base = await new Promise((resolve, reject) => {
  server.on('exit', (code) => reject(new Error(`banshi-serve exited with ${code}: ${log.join('\n')}`)));
  lines.on('line', (line) => {
    log.push(line);
    const event = JSON.parse(line);
    if (event.event === 'listening') resolve(`http://${event.addr}`);
  });
});

async function call(method, path, body, headers = {}) {
  const response = await fetch(base + path, { method, body, headers });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

const SHAPES = { decide: 'decision', matter: 'matter', matters: 'matters', decide_theme: 'decision', themes: 'themes', indicators: 'indicators' };

/** The answer the server must give for a native envelope. */
function expected(op, envelope) {
  const ok = '{"ok":true,';
  if (!envelope.startsWith(ok)) return { success: false, text: envelope };
  const rest = envelope.slice(ok.length);
  const field = SHAPES[op];
  if (field === undefined) return { success: true, text: `{${rest}` };
  const prefix = `"${field}":`;
  if (!rest.startsWith(prefix) || !rest.endsWith('}')) throw new Error(`unexpected envelope for ${op}`);
  return { success: true, text: rest.slice(prefix.length, -1) };
}

/** The corpus operations `banshi serve` has an endpoint for. */
const HTTP_OPS = new Set(['decide', 'questions', 'eligibility', 'verify', 'matter', 'matters', 'load', 'decide_theme', 'theme_questions', 'themes', 'indicators']);
/** The paths of the calls that take their facts in the body. */
const POSTS = { decide: '/v1/decide', questions: '/v1/questions', eligibility: '/v1/eligibility', verify: '/v1/verify', decide_theme: '/v1/themes/decide', theme_questions: '/v1/themes/questions' };
const notServed = {};
const isJson = (text) => { try { JSON.parse(text); return true; } catch { return false; } };
const str = JSON.stringify;

/** The request for a case, or null when it cannot be sent as it is. */
function request(c) {
  const app = (extra = '') => `{"matter":${str(c.code)},"on":${str(c.on)},"facts":${c.facts}${extra}}`;
  switch (c.op) {
    case 'decide': case 'questions': case 'eligibility':
      return ['POST', `/v1/${c.op}`, app()];
    case 'verify': return ['POST', '/v1/verify', app(`,"receipt":${c.receipt}`)];
    case 'matter': return ['GET', `/v1/matters/${encodeURIComponent(c.code)}?on=${encodeURIComponent(c.on)}`];
    case 'matters': return ['GET', c.region === undefined ? '/v1/matters' : `/v1/matters?${new URLSearchParams({ region: c.region })}`];
    case 'decide_theme': case 'theme_questions': {
      const region = c.region === undefined ? '' : `,"region":${str(c.region)}`;
      return ['POST', POSTS[c.op], `{"theme":${str(c.code)}${region},"on":${str(c.on)},"facts":${c.facts}}`];
    }
    case 'themes': return ['GET', c.region === undefined ? '/v1/themes' : `/v1/themes?${new URLSearchParams({ region: c.region })}`];
    // The filter's keys are the query's parameters, beside the date.
    case 'indicators': return ['GET', `/v1/indicators?${new URLSearchParams({ on: c.on, ...JSON.parse(c.facts) })}`];
    case 'load': return ['POST', '/v1/admin/reload', c.bundle_text, { authorization: `Bearer ${token}` }];
    default: throw new Error(`unknown op ${c.op}`);
  }
}

async function reload(bundle) {
  const answer = await call('POST', '/v1/admin/reload', bundle.text, { authorization: `Bearer ${token}` });
  const hash = answer.status === 200 ? JSON.parse(answer.text).hash : answer.text;
  if (hash !== bundle.hash) throw new Error(`reloading ${bundle.name}: ${answer.status} ${answer.text}`);
}

// The comparison must be able to fail: a one-character change to an expected answer is caught.
{
  const c = corpus.cases.find((k) => k.op === 'decide' && k.bundle === corpus.bundles[0].name && k.expect.includes('"status":"'));
  const [method, path, body] = request(c);
  const answer = await call(method, path, body);
  const changed = expected(c.op, c.expect.replace('"status":"', '"status":"x'));
  if (answer.text === changed.text || answer.text !== expected(c.op, c.expect).text) {
    console.error('http: self-check failed: a changed answer was not told from the real one');
    process.exit(1);
  }
  console.log('http: self-check: a one-character change to an expected answer is told apart');
}

const started = performance.now();
const failures = [];
let sent = 0;
let refusedAsBodies = 0;
let skipped = 0;
const statuses = {};
for (const bundle of corpus.bundles) {
  if (bundle !== corpus.bundles[0]) await reload(bundle);
  for (const c of corpus.cases.filter((k) => k.bundle === bundle.name)) {
    if (c.op === 'load' && (c.options !== undefined || c.bundle_text === '')) { skipped++; continue; }
    // Calls without an HTTP endpoint yet: counted, not sent.
    if (!HTTP_OPS.has(c.op)) { notServed[c.op] = (notServed[c.op] ?? 0) + 1; continue; }
    const problems = [];
    const textFacts = c.facts !== undefined && POSTS[c.op] !== undefined && !isJson(c.facts);
    if (textFacts) {
      // Not JSON: sent as the whole body, it must be refused as the request's JSON.
      const answer = await call('POST', POSTS[c.op], c.facts);
      const code = JSON.parse(answer.text).errors?.[0]?.code;
      if (answer.status !== 400 || code !== 'invalid_json') problems.push(`facts that are not JSON: ${answer.status} ${answer.text}`);
      refusedAsBodies++;
    } else {
      const [method, path, body, headers] = request(c);
      const want = expected(c.op, c.expect);
      const answer = await call(method, path, body, headers);
      sent++;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (!answer.type?.startsWith('application/json')) problems.push(`content-type ${answer.type}`);
      if (want.success !== (answer.status === 200)) problems.push(`status ${answer.status} for ${want.success ? 'a success' : 'a failure'}`);
      if (!want.success && !(answer.status >= 400 && answer.status < 500)) problems.push(`a failure answered with ${answer.status}, not 4xx`);
      if (answer.text !== want.text) problems.push(diff(want.text, answer.text));
      // A load that succeeded swapped rules in: the case's bundle goes back.
      if (c.op === 'load' && answer.status === 200) await reload(bundle);
    }
    if (problems.length > 0) failures.push({ id: c.id, title: c.title, problems });
  }
}
const ms = performance.now() - started;

// Generated applications of every matter, decided by the command line: the same bytes.
const cli = { compared: 0, matters: new Set() };
{
  const perMatter = {};
  for (const c of corpus.cases) {
    if (c.bundle !== corpus.bundles[0].name || c.op !== 'decide' || c.kind !== 'complete' || !c.expect.startsWith('{"ok":true')) continue;
    perMatter[c.code] = (perMatter[c.code] ?? 0) + 1;
    if (perMatter[c.code] > 2) continue;
    if (cli.compared === 0) await reload(corpus.bundles[0]);
    const bundleFile = join(dir, 'bundle.json');
    const run = spawnSync(banshiBin, [
      'decide', '--compact', '--matter', c.code, '--facts', '-', '--on', c.on, '--bundle', bundleFile,
      ...options.trustedKeys.flatMap((k) => ['--trust', k]), '--receipt-key', join(dir, 'receipt.key'),
    ], { input: c.facts, encoding: 'utf8' });
    const [method, path, body] = request(c);
    const answer = await call(method, path, body);
    if (run.status !== 0 || answer.text !== run.stdout.replace(/\n$/, '')) {
      failures.push({ id: c.id, title: `banshi decide --compact: ${c.title}`, problems: [run.stderr || diff(run.stdout, answer.text)] });
    }
    cli.compared++;
    cli.matters.add(c.code);
  }
}

// The log has one line per request and no fact value: a value from the corpus's facts must not
// appear in it.
const requests = log.filter((l) => l.includes('"event":"request"')).length;
const probe = '法人或其他组织';
if (log.some((l) => l.includes(probe))) failures.push({ id: 'log', title: 'the request log', problems: [`a fact value (${probe}) is in the log`] });

server.kill('SIGTERM');
const exit = await new Promise((resolve) => server.on('exit', (code) => resolve(code)));
if (exit !== 0) failures.push({ id: 'shutdown', title: 'SIGTERM', problems: [`exited with ${exit}`] });

for (const f of failures.slice(0, 10)) console.log(`http: FAIL ${f.id} ${f.title}\n  ${f.problems.join('\n  ')}`);
console.log(`http: ${sent} cases sent over HTTP to banshi-serve in ${(ms / 1000).toFixed(1)}s (statuses ${str(statuses)}), ${refusedAsBodies} whose facts are not JSON refused as request bodies, ${skipped} load cases with their own options not sent; ${cli.compared} generated decisions of ${cli.matters.size} matters byte for byte those of \`banshi decide --compact\`; ${requests} request log lines; not served over HTTP yet: ${str(notServed)}; ${failures.length} failures`);
writeFileSync(resultPath, JSON.stringify({ channel: 'http', cases: sent + refusedAsBodies, skipped, failed: failures.length, failures, ms }));
process.exit(failures.length === 0 ? 0 : 1);
