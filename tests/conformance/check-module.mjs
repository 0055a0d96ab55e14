// Checks a WebAssembly module for the oldest engines we serve (kiosk browsers before Chrome 96,
// iOS before 15, WeChat's iOS engine, iOS mini-programs):
//   1. it validates with every post-MVP feature disabled but mutable globals
//      (`wasm-tools validate --features=-all,mvp,mutable-global`);
//   2. it exports no global (iOS mini-programs refuse a module that does).
// Usage: node check-module.mjs FILE                 exit 0 when the module passes both
//        node check-module.mjs --expect-reject WHY FILE
//                                                   exit 0 when the module FAILS check WHY
//                                                   (`features` or `globals`): proves the
//                                                   check can fail

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { moduleExports } from '../../bindings/npm/scripts/wasm-module.mjs';

const args = process.argv.slice(2);
const expectReject = args[0] === '--expect-reject' ? args[1] : undefined;
const file = expectReject ? args[2] : args[0];

function features() {
  const run = spawnSync('wasm-tools', ['validate', '--features=-all,mvp,mutable-global', file], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return run.status === 0 ? null : (run.stderr || run.stdout).trim().replace(/\s*\n\s*/g, ' ');
}

function globals() {
  const exported = moduleExports(readFileSync(file)).filter((e) => e.kind === 'global').map((e) => e.name);
  return exported.length === 0 ? null : `exports global(s) ${exported.join(', ')}`;
}

const problems = { features: features(), globals: globals() };
if (expectReject) {
  const why = problems[expectReject];
  if (why === undefined) throw new Error(`unknown check ${expectReject}`);
  if (why === null) {
    console.error(`check-module: ${file} passed the ${expectReject} check, but must be rejected`);
    process.exit(1);
  }
  console.log(`check-module: rejected as expected (${expectReject}): ${file}: ${why}`);
} else {
  const found = Object.entries(problems).filter(([, why]) => why !== null);
  for (const [check, why] of found) console.error(`check-module: ${file}: ${check}: ${why}`);
  if (found.length > 0) process.exit(1);
  console.log(`check-module: ${file}: valid with only MVP + mutable-global features, no exported global`);
}
