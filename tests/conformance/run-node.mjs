// The Node channel: every corpus case decided through the installed `banshi` package (its
// `node` export, the WebAssembly module) and compared with the native answer.
// Usage: node run-node.mjs CORPUS.json RESULT.json

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Engine, BanshiError } from 'banshi';
import { report, runCorpus } from './compare.mjs';

const [corpusPath, resultPath] = process.argv.slice(2);
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'));

// The comparison must be able to fail: a one-character change to one expected answer is caught.
const decided = corpus.cases.find((c) => c.op === 'decide' && c.expect.includes('"status":"'));
if (decided === undefined) {
  console.error('node: the corpus has no decision to run the self-check on');
  process.exit(1);
}
const probe = { ...decided, expect: decided.expect.replace('"status":"', '"status":"x') };
const selfCheck = await runCorpus({ options: corpus.options, bundles: corpus.bundles, cases: [probe] }, Engine, BanshiError);
if (selfCheck.failed !== 1) {
  console.error('node: the self-check did not catch a changed answer; the comparison is broken');
  process.exit(1);
}
console.log(`node: self-check: a one-character change to an expected answer is reported (${selfCheck.failures[0].problems[0].split('\n')[0]})`);

// The hand-written types must keep up with the core: every key of every answer in the corpus is
// declared in index.d.ts (a key the core added and the types lack fails here).
const packageJson = createRequire(import.meta.url).resolve('banshi/package.json');
const declared = readFileSync(new URL('index.d.ts', `file://${packageJson}`), 'utf8');
const keys = new Set();
const collect = (value) => {
  if (Array.isArray(value)) value.forEach(collect);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.add(k);
      collect(v);
    }
  }
};
for (const c of corpus.cases) collect(JSON.parse(c.expect));
const undeclared = [...keys].filter((k) => !new RegExp(`readonly ${k}\\??:`).test(declared));
if (undeclared.length > 0) {
  console.error(`node: index.d.ts does not declare ${undeclared.map((k) => `\`${k}\``).join(', ')}, returned by the core`);
  process.exit(1);
}
console.log(`node: index.d.ts declares all ${keys.size} keys the core returned across the corpus`);

const result = await runCorpus(corpus, Engine, BanshiError, () => performance.now());
for (const line of report('node', result)) console.log(line);
console.log(`node: ${result.cases} cases decided through the npm package (Node ${process.version}) in ${(result.ms / 1000).toFixed(1)}s, ${result.failed} differences`);
writeFileSync(resultPath, JSON.stringify({ channel: 'node', ...result }));
process.exit(result.failed === 0 ? 0 : 1);
