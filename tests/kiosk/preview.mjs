// `banshi preview` in headless Chromium (Debian's, driven by playwright-core): the author's
// working rules (a copy of rules/) served on 127.0.0.1 with the kiosk page and the panel. Walks
// 居民身份证换领 on 2026-03-02 and checks the result screen and the panel's facts and decision;
// then shortens the promised limit in the copy (30 → 20 natural days) and checks that the
// preview rebuilt the rules, restarted the page, and the same walk now shows the new due date
// (2026-03-22 is a Sunday: the next working day, 2026-03-23, 民法典第二百零三条); then breaks the
// file and checks that the panel shows the problem with its line and column.
//
// Usage: node tests/kiosk/preview.mjs [ARTIFACTS_DIR] (from the repository, after the npm package
// and target/debug/banshi are built).

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(new URL('../..', import.meta.url).pathname);
const artifacts = resolve(process.argv[2] || join(root, 'tests/artifacts/preview'));
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'banshi-preview-'));
cpSync(join(root, 'rules'), join(work, 'rules'), { recursive: true });
const matterFile = join(work, 'rules/resident-id-card-renewal/base.toml');

const port = 20000 + (process.pid % 20000);
const url = `http://127.0.0.1:${port}/`;
const server = spawn(join(root, 'target/debug/banshi'), ['preview', join(work, 'rules'), '--on', '2026-03-02', '--port', String(port)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function status() {
  const response = await fetch(`${url}status.json`);
  return response.json();
}

async function until(what, test, seconds = 30) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const value = await test();
      if (value) return value;
    } catch (e) {
      // not yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let browser;
let passed = 0;
let failed = 0;
try {
  await until('the preview server', async () => (await status()).hash);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(url);
  const kiosk = page.frameLocator('#kiosk');

  async function walk(due, shot) {
    const main = kiosk.locator('main');
    await kiosk.locator('[data-screen=home]').waitFor();
    await main.getByRole('button', { name: '居民身份证换领' }).click();
    for (const [question, answer] of [['您目前的居民身份证是什么情况', '持有原证'], ['申请换领居民身份证的原因', '有效期满'], ['工本费减免对象', '不属于减免对象']]) {
      await main.locator('h1.question', { hasText: question }).waitFor();
      await main.getByRole('button', { name: answer, exact: true }).click();
    }
    await kiosk.locator('[data-screen=missing]').waitFor();
    await main.locator('[data-action=confirm]').click();
    await kiosk.locator('[data-screen=result]').waitFor();
    const shown = (await kiosk.locator('[data-part=promised] .due-date').first().innerText()).trim();
    assert(shown === due, `the kiosk shows the promised due date ${shown}, expected ${due}`);
    const decision = JSON.parse(await page.locator('#decision').innerText());
    assert(decision.status === 'eligible', `the panel's decision is ${decision.status}`);
    assert(decision.on === '2026-03-02', `the panel's decision is for ${decision.on}`);
    const facts = JSON.parse(await page.locator('#facts').innerText());
    assert(facts.facts['申请换领原因'] !== undefined || Object.keys(facts.facts).length >= 3, `the panel shows the facts: ${JSON.stringify(facts)}`);
    await page.screenshot({ path: join(artifacts, `${shot}.png`) });
    return decision;
  }

  const before = await walk('2026年4月1日', '1-published-rules');
  assert(before.deadline.promised.due === '2026-04-01', `decision due ${before.deadline.promised.due}`);
  console.log('preview: ok: the published rules walked, panel shows facts and decision');
  passed += 1;

  const builds = (await status()).builds;
  const text = readFileSync(matterFile, 'utf8');
  assert(text.includes('promised_limit = { days = 30 }'), 'the matter has a 30-day promised limit');
  const saved = Date.now();
  writeFileSync(matterFile, text.replace('promised_limit = { days = 30 }', 'promised_limit = { days = 20 }'));
  await until('the rebuild', async () => (await status()).builds > builds);
  const rebuilt = Date.now();
  await page.locator('#decision', { hasText: 'rules rebuilt' }).waitFor({ timeout: 15_000 });
  // The times rules/README.md's author loop quotes.
  console.log(`preview: a saved file rebuilt in ${rebuilt - saved} ms, on screen in ${Date.now() - saved} ms`);
  const after = await walk('2026年3月23日', '2-edited-rules');
  assert(after.deadline.promised.due === '2026-03-23', `decision due ${after.deadline.promised.due}`);
  console.log('preview: ok: an edited limit rebuilt the rules and the page shows the new due date');
  passed += 1;

  writeFileSync(matterFile, text.replace('promised_limit = { days = 30 }', 'promised_limit = { weeks = 3 }'));
  await page.locator('#problems', { hasText: 'resident-id-card-renewal/base.toml:' }).waitFor({ timeout: 15_000 });
  const shown = await page.locator('#problems').innerText();
  assert(/base\.toml:\d+:\d+: /.test(shown), `the problem is located: ${shown}`);
  await page.screenshot({ path: join(artifacts, '3-broken-rules.png') });
  console.log(`preview: ok: a broken file is shown in the panel: ${shown.split('\n')[0]}`);
  passed += 1;
  assert(problems.length === 0, problems.join('\n'));
} catch (e) {
  failed += 1;
  console.log(`preview: FAILED: ${e && e.message}`);
} finally {
  if (browser) await browser.close();
  server.kill();
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
