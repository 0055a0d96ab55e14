// The Chromium channel: the corpus decided in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) through the installed package's `browser` export, from a page
// served on 127.0.0.1 by the small server below, and compared with the native answers.
// Usage: node run-browser.mjs CORPUS.json RESULT.json

import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { report } from './compare.mjs';

const [corpusPath, resultPath] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('banshi/package.json'));
const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
// The page imports what a bundler targeting browsers would: the `browser` condition of `exports`.
const browserEntry = manifest.exports['.'].browser.replace(/^\.\//, '');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const page = `<!doctype html>
<meta charset="utf-8">
<title>banshi conformance</title>
<link rel="icon" href="data:,">
<script type="module">
  import { Engine, BanshiError } from '/package/${browserEntry}';
  import { runCorpus } from '/compare.mjs';
  // The browser entry's recovery from a trap: the glue it imports (this URL is the one its
  // '../dist/banshi_wasm.js' resolves to: the same module) made to trap in \`decide\`.
  async function recovery(bundle, options) {
    const { WasmEngine } = await import('/package/dist/banshi_wasm.js');
    const [engine, other] = [await Engine.load(bundle, options), await Engine.load(bundle, options)];
    const on = { on: '2026-03-02' };
    const answers = (e) => JSON.stringify(e.matters().map((m) => [e.decideJson(m.code, {}, on), e.questionsJson(m.code, {}, on)]));
    const expected = answers(engine);
    const code = engine.matters()[0].code;
    const out = { traps: 0, codes: [], synchronous: 0, same: 0 };
    const { Instance } = WebAssembly;
    for (let i = 0; i < 20; i += 1) {
      // Every other time, as older Chrome on the main thread: synchronous instantiation refused.
      if (i % 2 === 1) {
        WebAssembly.Instance = function Instance() {
          throw new RangeError('WebAssembly.Instance is disallowed on the main thread, if the buffer size is larger than 4KB. Use WebAssembly.instantiate.');
        };
        WebAssembly.Instance.prototype = Instance.prototype;
      }
      const { decide } = WasmEngine.prototype;
      WasmEngine.prototype.decide = function trapping(...args) {
        this.trap_for_tests();
        return decide.apply(this, args);
      };
      try {
        engine.decide(code, {}, on);
      } catch (e) {
        out.traps += 1;
        out.codes.push(e instanceof BanshiError ? e.code : String(e));
      } finally {
        WasmEngine.prototype.decide = decide;
        WebAssembly.Instance = Instance;
      }
      try {
        other.decideJson(code, {}, on);
        out.synchronous += 1;
      } catch (e) {
        if (!(e instanceof BanshiError && e.code === 'internal_error')) throw e;
        await Engine.ready();
      }
      if (answers(engine) === expected && answers(other) === expected) out.same += 1;
    }
    engine.free();
    other.free();
    return out;
  }
  try {
    const corpus = await (await fetch('/corpus.json')).json();
    const result = await runCorpus(corpus, Engine, BanshiError, () => performance.now());
    result.recovery = await recovery(corpus.bundles[0].text, JSON.parse(corpus.options));
    window.__banshi = result;
  } catch (e) {
    window.__banshi = { error: String(e && e.stack || e) };
  }
</script>`;

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.html': 'text/html' };

/** Files under `root` only; anything else is a 404. */
async function serveFile(res, root, relative) {
  const path = normalize(join(root, relative));
  if (!path.startsWith(root + sep)) return notFound(res);
  try {
    const body = await readFile(path);
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    notFound(res);
  }
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  } else if (url.pathname === '/corpus.json') {
    readFile(corpusPath).then((body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    }, () => notFound(res));
  } else if (url.pathname === '/compare.mjs') {
    serveFile(res, here, 'compare.mjs');
  } else if (url.pathname.startsWith('/package/')) {
    serveFile(res, packageDir, decodeURIComponent(url.pathname.slice('/package/'.length)));
  } else {
    notFound(res);
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const started = performance.now();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 60_000 });
let result;
try {
  const tab = await browser.newPage();
  const pageErrors = [];
  tab.on('pageerror', (e) => pageErrors.push(String(e)));
  tab.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') pageErrors.push(`console.${m.type()}: ${m.text()}`);
  });
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction(() => window.__banshi !== undefined, null, { timeout: 600_000, polling: 250 });
  result = await tab.evaluate(() => window.__banshi);
  if (result.error) throw new Error(`the page failed: ${result.error}`);
  for (const e of pageErrors) console.log(`chromium page: ${e}`);
  for (const line of report('chromium', result)) console.log(line);
  // 20 traps forced in the page: each throws internal_error, and both engines answer as before;
  // the fresh instance is made at once, except where synchronous instantiation was refused.
  const { recovery } = result;
  const recovered = recovery.traps === 20 && recovery.same === 20 && recovery.synchronous === 10 && recovery.codes.every((c) => c === 'internal_error');
  console.log(`chromium: ${recovery.traps} traps forced, ${recovery.same} recovered with the same answers, ${recovery.synchronous} synchronously (the next call worked at once), the others after Engine.ready() (synchronous instantiation refused, as older Chrome does on the main thread): ${recovered ? 'ok' : `FAILED ${JSON.stringify(recovery)}`}`);
  if (!recovered) result.failed += 1;
  const version = browser.version();
  console.log(`chromium: ${result.cases} cases decided through the npm package's browser entry (headless Chromium ${version}) in ${(result.ms / 1000).toFixed(1)}s (${((performance.now() - started) / 1000).toFixed(1)}s with the browser's start), ${result.failed} differences`);
} finally {
  await browser.close();
  server.close();
}
await writeFile(resultPath, JSON.stringify({ channel: 'chromium', ...result }));
process.exit(result.failed === 0 ? 0 : 1);
