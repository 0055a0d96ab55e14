// The indicators report (`banshi indicators --html FILE`) opened offline in headless Chromium
// (Debian's /usr/bin/chromium): every request the page makes is refused and counted, so a report
// that needed anything besides its own file would show it. Each indicator must render one chart
// with its target line and a bar per figure, the bar as tall as its percentage; a screenshot is
// left beside the report.
// Usage: node indicators-html.mjs REPORT.html REPORT.json

import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [htmlPath, jsonPath] = process.argv.slice(2);
const report = JSON.parse(await readFile(jsonPath, 'utf8'));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 60_000 });
const problems = [];
try {
  const context = await browser.newContext({ offline: true, viewport: { width: 1000, height: 800 } });
  const tab = await context.newPage();
  const requests = [];
  await tab.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  tab.on('pageerror', (e) => problems.push(`page error: ${e}`));
  await tab.goto(pathToFileURL(htmlPath).href);
  if (requests.length > 0) problems.push(`the report asked for ${requests.join(', ')}`);
  const charts = await tab.evaluate(() => [...document.querySelectorAll('section')].map((s) => ({
    id: s.id,
    target: s.querySelectorAll('line.target').length,
    // The drawn heights, as the browser laid them out.
    bars: [...s.querySelectorAll('rect.bar')].map((r) => ({ height: r.getBBox().height, met: r.classList.contains('met') })),
  })));
  if (charts.length !== report.indicators.length) problems.push(`${charts.length} charts for ${report.indicators.length} indicators`);
  for (const [i, indicator] of report.indicators.entries()) {
    const chart = charts[i] || { id: '', target: 0, bars: [] };
    if (chart.id !== indicator.id) problems.push(`chart ${i} is ${chart.id}, not ${indicator.id}`);
    if (chart.target !== 1) problems.push(`${indicator.id}: ${chart.target} target lines`);
    if (chart.bars.length !== indicator.figures.length) problems.push(`${indicator.id}: ${chart.bars.length} bars for ${indicator.figures.length} figures`);
    for (const [j, figure] of indicator.figures.entries()) {
      const bar = chart.bars[j] || { height: -1, met: false };
      // 160 px is 100 % (a percentage in tenths, truncated; a count target's chart shows its share of the target).
      const tenths = figure.percent === null ? 0 : Math.min(1000, Math.trunc(Number(figure.percent) * 10));
      const want = Math.floor((tenths * 160) / 1000);
      if (Math.abs(bar.height - want) > 1) problems.push(`${indicator.id} figure ${j}: bar ${bar.height}px, want ${want}px (${figure.percent} %)`);
      if (bar.met !== (figure.met === true)) problems.push(`${indicator.id} figure ${j}: drawn ${bar.met ? 'met' : 'not met'}`);
    }
  }
  await tab.screenshot({ path: htmlPath.replace(/\.html$/, '.png'), fullPage: true });
  console.log(`indicators report: ${charts.length} charts, ${charts.reduce((n, c) => n + c.bars.length, 0)} bars, opened offline with ${requests.length} requests; screenshot ${htmlPath.replace(/\.html$/, '.png')}`);
} finally {
  await browser.close();
}
for (const p of problems) console.error(`indicators report: ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
