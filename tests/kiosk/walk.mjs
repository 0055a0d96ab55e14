// The kiosk page walked end to end by clicking, in Debian's headless Chromium driven by
// playwright-core, from the assembled kiosk folder served on 127.0.0.1 (./serve.mjs). Four
// matters and a theme (一件事一次办), between them every kind of input (option buttons, yes/no, multi-select, number pad,
// date picker); each walk asserts what the result screen says (status, acceptance, a material's
// badge, the due date, the fee) and one prints the one-time notice. A walk fails on any console
// error or warning, page error, failed request, or request for anything outside the kiosk folder
// (no network, no CDN). Screenshots go to ARTIFACTS (stable names, listed at the end).
//
// Usage: node tests/kiosk/walk.mjs SITE_DIR ARTIFACTS_DIR

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'acorn';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { readCatalogue, writeCatalogue } from '../conformance/catalogue.mjs';

const [siteDir, artifactsDir] = process.argv.slice(2).map((p) => p && resolve(p));
if (artifactsDir === undefined) {
  console.error('usage: node tests/kiosk/walk.mjs SITE_DIR ARTIFACTS_DIR');
  process.exit(2);
}
rmSync(artifactsDir, { recursive: true, force: true });
mkdirSync(artifactsDir, { recursive: true });

// The last flag is the one bindings/kiosk/README.md gives a terminal: the module compiled whole
// when the page loads, so the walks run the page as deployed.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--no-wasm-lazy-compilation'];
/** The kiosk's date in the walks: a Monday, so the due dates below are fixed. */
const NOW = new Date('2026-03-02T09:00:00+08:00');
const VIEWPORT = { width: 1080, height: 1920 };

let passed = 0;
let failed = 0;
const shots = [];

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// ------------------------------------------------------------------ the page's own JavaScript

/** The page's scripts must parse as ES2017 modules: what the oldest supported browsers take. */
function checkSyntax() {
  for (const file of ['kiosk.js', 'config.js']) {
    try {
      parse(readFileSync(join(siteDir, file), 'utf8'), { ecmaVersion: 2017, sourceType: 'module' });
    } catch (e) {
      throw new Error(`${file} is not ES2017: ${e.message}`);
    }
  }
  // The package's browser entry: ES2017 too, but for `import.meta.url` (wasm-bindgen's and the
  // entry's way to find the .wasm), which sets the floor at Chrome 64, Safari 11.1, Firefox 62.
  for (const file of ['vendor/banshi/src/browser.js', 'vendor/banshi/src/engine.js', 'vendor/banshi/src/labels.js', 'vendor/banshi/dist/banshi_wasm.js']) {
    const source = readFileSync(join(siteDir, file), 'utf8').replace(/\bimport\.meta\.url\b/g, 'document.baseURI');
    try {
      parse(source, { ecmaVersion: 2017, sourceType: 'module' });
    } catch (e) {
      throw new Error(`${file} is not ES2017 (apart from import.meta.url): ${e.message}`);
    }
  }
  // Nothing comes from elsewhere: every import is relative.
  for (const file of ['kiosk.js', 'vendor/banshi/src/browser.js', 'vendor/banshi/src/engine.js']) {
    const text = readFileSync(join(siteDir, file), 'utf8');
    for (const m of text.matchAll(/^\s*import\b[^'"]*['"]([^'"]+)['"]/gm)) {
      assert(m[1].startsWith('./') || m[1].startsWith('../'), `${file} imports \`${m[1]}\`, not a file of the folder`);
    }
  }
}

// ------------------------------------------------------------------ walking

const site = await serve(siteDir);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 60_000 });
console.log(`kiosk: ${site.url} in headless Chromium ${browser.version()}`);

/** Runs one walk in a fresh browser context; counts it, with a screenshot if it fails. */
async function walk(name, steps, options = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems = [];
  const screen = options.screen || 'home';
  page.on('console', (m) => {
    // A refused bundle is reported on the error screen and logged (`kiosk: …`): expected there.
    if (screen === 'error' && m.text().startsWith('kiosk:')) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure() && r.failure().errorText})`));
  page.on('request', (r) => {
    if (!r.url().startsWith(site.url) && !r.url().startsWith('data:')) problems.push(`request outside the kiosk folder: ${r.url()}`);
  });
  await page.clock.setFixedTime(NOW);
  if (options.config) {
    // The vendor's config.js as a deployment would change it (the shipped file is untouched).
    await page.route(`${site.url}config.js`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: options.config(await response.text()) });
    });
  }
  if (options.bundle) {
    // The bundle as it might reach a terminal: unsigned, or edited after signing.
    await page.route(`${site.url}rules.bundle.json`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: options.bundle(await response.text()) });
    });
  }
  const started = performance.now();
  try {
    await page.goto(site.url);
    await page.locator(`[data-screen=${screen}]`).waitFor();
    await steps(page, (label) => shot(page, name, label));
    assert(problems.length === 0, problems.join('\n'));
    passed += 1;
    console.log(`kiosk: ok: ${name} (${((performance.now() - started) / 1000).toFixed(1)}s)`);
  } catch (e) {
    failed += 1;
    const path = join(artifactsDir, `${name}-FAILED.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.log(`kiosk: FAILED: ${name}: ${e && e.message}\n    screenshot: ${path}${problems.length > 0 ? `\n    ${problems.join('\n    ')}` : ''}`);
  } finally {
    await context.close();
  }
}

async function shot(page, walkName, label) {
  const path = join(artifactsDir, `${walkName}-${label}.png`);
  await page.screenshot({ path, fullPage: true });
  shots.push(path);
}

const main = (page) => page.locator('main');

/** Waits for the question (by part of its text), then clicks the button with exactly `label`. */
async function choose(page, question, label) {
  await main(page).locator('h1.question', { hasText: question }).waitFor();
  await main(page).getByRole('button', { name: label, exact: true }).click();
}

async function pickMatter(page, name) {
  // A matter's button (a theme's names its matters too).
  await main(page).locator('button[data-code]', { hasText: name }).click();
  await page.locator('[data-screen=question]').waitFor();
}

/** On the missing-materials screen: toggles each material named, then confirms. */
async function missing(page, names) {
  await page.locator('[data-screen=missing]').waitFor();
  for (const name of names) await main(page).getByRole('button', { name, exact: true }).click();
  await main(page).locator('[data-action=confirm]').click();
}

async function text(locator) {
  await locator.first().waitFor();
  return (await locator.first().innerText()).replace(/\s+/g, ' ').trim();
}

async function expectText(locator, expected, what) {
  const got = await text(locator);
  assert(got.includes(expected), `${what}: expected \`${expected}\`, the screen says \`${got}\``);
}

/** The result screen: status, acceptance, a material's badge, the promised due date, the fee. */
async function expectResult(page, want) {
  await page.locator('[data-screen=result]').waitFor();
  await expectText(page.locator('[data-part=status] .status-text'), want.status, 'status');
  if (want.acceptance) await expectText(page.locator('[data-part=acceptance]'), want.acceptance, 'acceptance');
  for (const [material, badge] of want.badges || []) {
    const item = page.locator('li.material', { hasText: material });
    await expectText(item.locator('.badge'), badge, `badge of ${material}`);
  }
  if (want.due) await expectText(page.locator('[data-part=promised] .due-date'), want.due, 'promised due date');
  if (want.fee) await expectText(page.locator('[data-part=fee]'), want.fee, 'fee');
}

try {
  await walk('syntax', async () => checkSyntax());

  await walk('id-card', async (page, screenshot) => {
    await screenshot('1-home');
    await pickMatter(page, '居民身份证换领');
    await screenshot('2-options');
    await choose(page, '您目前的居民身份证是什么情况', '持有原证');
    await choose(page, '申请换领居民身份证的原因', '有效期满');
    await choose(page, '工本费减免对象', '不属于减免对象');
    await missing(page, []);
    await expectResult(page, {
      status: '符合受理条件',
      acceptance: '材料齐全，可以受理',
      badges: [['居民户口簿', '免证 · 数据共享'], ['原居民身份证', '需提交']],
      due: '2026年4月1日',
      fee: '合计 ¥20.00',
    });
    await expectText(page.locator('[data-part=statutory] .due-date'), '2026年5月6日', 'statutory due date');
    await screenshot('3-result');
  });

  await walk('bookshop', async (page, screenshot) => {
    await pickMatter(page, '出版物零售业务经营许可');
    await screenshot('1-yes-no');
    // Without fixed premises the matter cannot be granted: the reason and its basis, at once.
    await choose(page, '是否有固定的出版物零售经营场所', '否');
    await expectResult(page, { status: '不符合受理条件' });
    const reason = page.locator('li.reason[data-condition=fixed-premises]');
    await expectText(reason.locator('.reason-text'), '从事出版物零售业务须有固定的经营场所', 'failed condition');
    await expectText(reason.locator('.basis'), '《出版物市场管理规定（国家新闻出版广电总局、商务部令第10号）》第九条', 'its basis');
    await screenshot('2-result-ineligible');
    await main(page).getByRole('button', { name: '返回修改' }).click();
    await choose(page, '是否有固定的出版物零售经营场所', '是');
    await choose(page, '经营场所是否位于受理申请的区', '是');
    await choose(page, '经营场所是自有房产', '租赁或借用他人房产');
    await choose(page, '是否委托他人代为提出申请', '否');
    await choose(page, '是否选择以告知承诺方式办理', '否');
    await page.locator('[data-screen=missing]').waitFor();
    await main(page).getByRole('button', { name: '经营场所租赁（借用）协议及出租（出借）方房屋产权证明', exact: true }).click();
    await screenshot('3-missing-materials');
    await main(page).locator('[data-action=confirm]').click();
    await expectResult(page, {
      status: '符合受理条件',
      acceptance: '可以容缺受理',
      badges: [['经营场所租赁（借用）协议及出租（出借）方房屋产权证明', '容缺 · 2026年3月9日前补交'], ['营业执照正副本复印件', '免证 · 数据共享']],
      due: '2026年3月30日',
      fee: '不收费',
    });
    await expectText(page.locator('[data-part=deferral]'), '本单位（本人）承诺在受理之日起5个工作日内补齐经营场所使用权证明', 'the deferral commitment');
    await screenshot('4-result-deferred');

    // Back to the materials: without the application form (a key material) it cannot be accepted.
    await main(page).getByRole('button', { name: '返回修改' }).click();
    await missing(page, ['出版物经营许可证申请书', '经营场所租赁（借用）协议及出租（出借）方房屋产权证明']);
    await expectResult(page, { status: '符合受理条件', acceptance: '暂不能受理', fee: '不收费' });
    await screenshot('5-result-not-accepted');
    await main(page).locator('[data-action=notice]').click();
    const notice = page.locator('[data-part=notice]');
    await expectText(notice.locator('.sheet-title'), '一次性告知单', 'notice title');
    await expectText(notice.locator('.sheet-items'), '出版物经营许可证申请书', 'notice items');
    await expectText(notice.locator('.sheet-items'), '经营场所租赁（借用）协议及出租（出借）方房屋产权证明', 'notice items');
    await expectText(notice.locator('.sheet-meta'), '2026年3月2日', 'notice date');
    await screenshot('6-notice');
    // The printed page: only the notice (no buttons, bar or demo strip), as A4.
    await page.emulateMedia({ media: 'print' });
    assert(!(await page.locator('.bar').isVisible()) && !(await page.locator('[data-action=print]').isVisible()), 'the print view shows the screen\'s controls');
    await screenshot('7-notice-print');
    await page.pdf({ path: join(artifactsDir, 'bookshop-notice.pdf'), format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    await main(page).locator('[data-action=print]').click();
  });

  // A theme (一件事一次办): the registration and the licence in one interview, one checklist, one
  // acceptance; the lease is one line for both, the 营业执照 comes from the registration.
  await walk('bookshop-theme', async (page, screenshot) => {
    await main(page).locator('button[data-theme]', { hasText: '开办书店' }).click();
    await page.locator('[data-screen=question]').waitFor();
    await choose(page, '经营者属于哪一类人员', '内地居民');
    await main(page).locator('h1.question', { hasText: '经营者的出生日期' }).waitFor();
    for (let i = 0; i < 3; i++) await main(page).getByRole('button', { name: '−10年', exact: true }).click();
    await main(page).getByRole('button', { name: '1日', exact: true }).click();
    await main(page).locator('[data-action=confirm]').click();
    await choose(page, '无民事行为能力人或者限制民事行为能力人', '否');
    await choose(page, '何种方式完成实名身份核验', '通过实名认证系统核验');
    await choose(page, '是否委托他人', '否');
    // One question for both matters' jurisdiction, in the theme's words.
    await main(page).locator('h1.question', { hasText: '书店的经营场所是否位于受理申请的区' }).waitFor();
    await screenshot('1-one-question-for-two-matters');
    await main(page).getByRole('button', { name: '是', exact: true }).click();
    await choose(page, '经营场所属于哪一种情况', '租赁或借用他人房产');
    await choose(page, '禁止从事的项目', '否');
    await choose(page, '登记前置审批事项', '否');
    await choose(page, '被撤销登记', '否');
    await choose(page, '是否有固定的出版物零售经营场所', '是');
    await choose(page, '是否选择以告知承诺方式办理', '否');
    await page.locator('[data-screen=missing]').waitFor();
    await main(page).getByRole('button', { name: '经营场所租赁（借用）协议及出租（出借）方房屋产权证明', exact: true }).click();
    await screenshot('2-missing-materials');
    await main(page).locator('[data-action=confirm]').click();
    // The licence would defer the lease, the registration cannot: not accepted, one notice.
    await expectResult(page, { status: '符合受理条件', acceptance: '暂不能受理' });
    await screenshot('3-result-not-accepted');
    await main(page).locator('[data-action=notice]').click();
    const notice = page.locator('[data-part=notice]');
    await expectText(notice.locator('.sheet-meta'), '开办书店', 'notice theme');
    await expectText(notice.locator('.sheet-items'), '经营场所租赁（借用）协议及出租（出借）方房屋产权证明', 'notice items');
    await expectText(notice.locator('.sheet-items'), '个体工商户设立登记；出版物零售业务经营许可', 'the matters the item serves');
    await screenshot('4-notice');
    await page.locator('[data-action=back]').click();
    await main(page).getByRole('button', { name: '返回修改' }).click();
    await missing(page, []);
    await expectResult(page, {
      status: '符合受理条件',
      acceptance: '材料齐全，可以受理',
      badges: [['营业执照', '由本次前序事项办理后取得'], ['经营场所租赁（借用）协议及出租（出借）方房屋产权证明', '需提交']],
      // Registration due 2026-03-03, then the licence's 20 working days: 2026-03-31.
      due: '2026年3月31日',
      fee: '不收费',
    });
    await expectText(page.locator('li.material', { hasText: '经营场所租赁（借用）协议' }).locator('.material-note').first(), '用于：个体工商户设立登记、出版物零售业务经营许可', 'the matters the lease serves');
    await screenshot('5-combined-checklist');
  });

  await walk('real-estate', async (page, screenshot) => {
    await pickMatter(page, '国有建设用地使用权及房屋所有权转移登记');
    await choose(page, '出卖人（房屋现登记权利人）是自然人', '自然人');
    await choose(page, '买受人是自然人', '自然人');
    await choose(page, '买卖双方是否共同申请', '是');
    await choose(page, '是否有一方委托代理人', '否');
    await choose(page, '房屋权属是否存在尚未解决的争议', '否');
    await main(page).locator('h1.question', { hasText: '核发几本不动产权属证书' }).waitFor();
    // The number pad: 0 is below the minimum and is refused with a message; then 1.
    await main(page).getByRole('button', { name: '0', exact: true }).click();
    await main(page).locator('[data-action=confirm]').click();
    await expectText(main(page).locator('.problem'), '超出允许的范围', 'refused number');
    await screenshot('1-number-pad');
    await main(page).getByRole('button', { name: '退格', exact: true }).click();
    await main(page).getByRole('button', { name: '1', exact: true }).click();
    await main(page).locator('[data-action=confirm]').click();
    await missing(page, []);
    await expectResult(page, {
      status: '符合受理条件',
      acceptance: '材料齐全，可以受理',
      badges: [['契税完税凭证或减免税凭证', '免证 · 数据共享'], ['出卖人居民身份证', '需提交']],
      due: '2026年3月9日',
      fee: '合计 ¥80.00',
    });
    await screenshot('2-result');
  });

  // A card reader that found the applicant's electronic ID card: never asked, the ID is exempt.
  const cardReader = (config) => {
    const shipped = 'eLicences: function (matter, question) {\n    return [];\n  },';
    if (!config.includes(shipped)) throw new Error('config.js has no `eLicences` hook to replace');
    return config.replace(shipped, "eLicences: function (matter, question) {\n    return question.fact === '电子证照' ? ['居民身份证'] : [];\n  },");
  };
  await walk('business-card-reader', async (page, screenshot) => {
    await pickMatter(page, '个体工商户设立登记');
    await choose(page, '经营者属于哪一类人员', '内地居民');
    // The date picker: from March 2026 to 1 May 1990.
    await main(page).locator('h1.question', { hasText: '经营者的出生日期' }).waitFor();
    for (let i = 0; i < 3; i++) await main(page).getByRole('button', { name: '−10年', exact: true }).click();
    for (let i = 0; i < 6; i++) await main(page).getByRole('button', { name: '−1年', exact: true }).click();
    for (let i = 0; i < 2; i++) await main(page).getByRole('button', { name: '下月 ›', exact: true }).click();
    await main(page).getByRole('button', { name: '1日', exact: true }).click();
    await expectText(main(page).locator('.picked-date'), '已选：1990年5月1日', 'picked date');
    await screenshot('1-date-picker');
    await main(page).locator('[data-action=confirm]').click();
    await choose(page, '无民事行为能力人或者限制民事行为能力人', '否');
    await choose(page, '何种方式完成实名身份核验', '通过实名认证系统核验');
    await choose(page, '是否委托他人', '否');
    await choose(page, '登记管辖范围内', '是');
    await choose(page, '经营场所属于哪一种情况', '自有房产');
    await choose(page, '禁止从事的项目', '否');
    await choose(page, '登记前置审批事项', '否');
    await choose(page, '被撤销登记', '否');
    await missing(page, []);
    await expectResult(page, {
      status: '符合受理条件',
      // 市场主体登记管理条例第十六条: both come from the 政务信息共享平台, the card reader's
      // electronic ID notwithstanding.
      badges: [['经营者居民身份证', '免证 · 数据共享'], ['经营场所不动产权证书（自有房产）', '免证 · 数据共享']],
      due: '2026年3月3日',
      fee: '不收费',
    });
    await screenshot('2-result');
    // Back once: the last question again, with the earlier answers kept.
    await main(page).getByRole('button', { name: '返回修改' }).click();
    await page.locator('[data-screen=missing]').waitFor();
    await page.locator('[data-action=back]').click();
    await main(page).locator('h1.question', { hasText: '被撤销登记' }).waitFor();
    await page.locator('[data-action=restart]').click();
    await page.locator('[data-screen=home]').waitFor();
  }, { config: cardReader });

  // Signed rules: the terminal refuses a bundle that is unsigned, edited after signing (every
  // 受理条件 made `true` and the hash recomputed: anyone would be eligible) or signed by a key
  // its config.js does not trust, and sends the citizen to a counter.
  const unsigned = (text) => text.replace(/"signatures":\[[^\]]*\]/, '"signatures":[]');
  const sha = (text) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
  const requireTrue = (matter) => matter.replace(/"require":"(?:[^"\\]|\\.)*"/g, '"require":"true"');
  // Every matter edited, its entry in its page of the index, the page's in the header and the
  // header's hash made to match: only the signature can tell.
  const bytesOf = (line) => Buffer.byteLength(line);
  const edited = (text) => {
    let { header, pageList, pages: before, matters } = readCatalogue(text);
    let pages = [...before];
    matters = matters.map((m) => {
      const changed = requireTrue(m);
      if (changed === m) return m;
      const was = `"hash":"${sha(m)}","bytes":${bytesOf(m)}`;
      const now = `"hash":"${sha(changed)}","bytes":${bytesOf(changed)}`;
      pages = pages.map((p) => p.replace(was, now));
      return changed;
    });
    pages.forEach((p, i) => {
      if (p === before[i]) return;
      const lengths = JSON.parse(p).reduce((n, e) => n + e.bytes + 1, 0);
      header = header.replace(
        `"hash":"${sha(before[i])}","bytes":${bytesOf(before[i])},"matter_bytes":${pageList[i].matter_bytes}`,
        `"hash":"${sha(p)}","bytes":${bytesOf(p)},"matter_bytes":${lengths}`,
      );
    });
    const at = header.indexOf('"index":') + '"index":'.length;
    header = header.replace(/"hash":"[^"]*"/, `"hash":"${sha(header.slice(at, -1))}"`);
    return writeCatalogue(header, pages, matters);
  };
  // The matters edited and nothing else: the signed index still verifies, and the first matter
  // the home page reads does not.
  const tampered = (text) => {
    const { header, pages, matters } = readCatalogue(text);
    return writeCatalogue(header, pages, matters.map(requireTrue));
  };
  const refused = (why) => async (page, screenshot) => {
    await expectText(page.locator('.detail'), why, 'why the rules were refused');
    await screenshot('refused');
  };
  await walk('unsigned-bundle', refused('the bundle is not signed'), { screen: 'error', bundle: unsigned });
  await walk('edited-bundle', refused('does not verify'), { screen: 'error', bundle: edited });
  await walk('tampered-matter', refused('does not match the catalogue'), { screen: 'error', bundle: tampered });
  const otherKey = readFileSync(new URL('../keys/other-signing.pub', import.meta.url), 'utf8').trim().split('\n').pop();
  await walk('untrusted-key', refused('no trusted key'), {
    screen: 'error',
    config: (text) => text.replace(/trustedKeys: \['[0-9a-f]{64}'\]/, `trustedKeys: ['${otherKey}']`),
  });
  // Development mode loads the unsigned bundle.
  await walk('development-unsigned', async () => {}, {
    bundle: unsigned,
    config: (text) => text.replace('development: false', 'development: true'),
  });
} finally {
  await browser.close();
  await site.close();
}

const outside = site.requests.filter((p) => p.includes('..'));
if (outside.length > 0) {
  failed += 1;
  console.log(`kiosk: FAILED: requests outside the folder: ${outside.join(', ')}`);
}
console.log('kiosk: screenshots:');
for (const file of readdirSync(artifactsDir).sort()) console.log(`  ${join(artifactsDir, file)} (${(statSync(join(artifactsDir, file)).size / 1024).toFixed(0)} KiB)`);
console.log(`kiosk: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
