#!/usr/bin/env node
// Cross-checks banshi's official working-day calendar against an independent source, the
// `chinese-days` package (pinned in package.json), day by day.
//
// Usage: node crosscheck.mjs FILE... [--years 2025,2026]
//
// Each FILE is the output of `banshi calendar YEAR`: one line a day,
// `YYYY-MM-DD work|rest [holiday name or 调休]`. Every day of the checked years (2025 and 2026
// unless --years says otherwise) must appear exactly once across the files and agree with
// chinese-days' isWorkday. Every disagreement is printed; the last line is
// `calendar: N passed, M failed`, and the exit status is 1 on any failure.
//
// Why a second source: the calendar files are transcribed by hand from the State Council
// notices, and a wrong day silently moves every deadline that crosses it.

import { readFileSync } from 'node:fs';

// chinese-days reads "YYYY-MM-DD" as UTC midnight but takes the weekday and the date back in
// local time, so west of UTC every answer shifts by a day. Pin the process to UTC before loading
// it (hence the dynamic import, which runs after this line).
process.env.TZ = 'UTC';
const { default: chineseDays } = await import('chinese-days');
const { isWorkday } = chineseDays;

const LINE = /^(\d{4})-(\d{2})-(\d{2}) (work|rest)(?: (\S.*))?$/;

function usage(message) {
  console.error(`crosscheck: ${message}`);
  console.error('usage: node crosscheck.mjs FILE... [--years 2025,2026]');
  process.exit(2);
}

const files = [];
let years = [2025, 2026];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--years') {
    const list = args[i + 1];
    if (!list || !/^\d{4}(,\d{4})*$/.test(list)) usage('--years needs a list such as 2025,2026');
    years = list.split(',').map(Number);
    i += 1;
  } else {
    files.push(args[i]);
  }
}
if (files.length === 0) usage('give at least one file made by `banshi calendar YEAR`');

// date -> { working, where }
const days = new Map();
let problems = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    usage(`cannot read ${file}: ${error.message}`);
  }
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const where = `${file}:${index + 1}`;
    if (line.trim() === '') return;
    const match = LINE.exec(line);
    if (!match) {
      console.log(`${where}: not a \`YYYY-MM-DD work|rest [name]\` line: ${JSON.stringify(line)}`);
      problems += 1;
      return;
    }
    const [, y, m, d, status] = match;
    const date = `${y}-${m}-${d}`;
    const real = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (real.toISOString().slice(0, 10) !== date) {
      console.log(`${where}: ${date} is not a real date`);
      problems += 1;
      return;
    }
    if (days.has(date)) {
      console.log(`${where}: ${date} is listed again (first at ${days.get(date).where})`);
      problems += 1;
      return;
    }
    days.set(date, { working: status === 'work', where });
  });
}

let passed = 0;
let failed = 0;
for (const year of years) {
  // Walk the year in UTC so that no local time zone can skip or repeat a day.
  for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const expected = isWorkday(date);
    const entry = days.get(date);
    if (entry === undefined) {
      console.log(`${date}: missing from the input (chinese-days says ${expected ? 'work' : 'rest'})`);
      failed += 1;
    } else if (entry.working !== expected) {
      console.log(
        `${date}: banshi says ${entry.working ? 'work' : 'rest'}, chinese-days says ${expected ? 'work' : 'rest'} (${entry.where})`,
      );
      failed += 1;
    } else {
      passed += 1;
    }
  }
}

failed += problems;
console.log(`calendar: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
