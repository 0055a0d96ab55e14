// Runs before `npm pack` (the `prepack` script): puts into the package what it ships beside its
// build: the licence texts from the repository's root, and the shipped rules as an unsigned
// bundle (`banshi/rules.bundle.json`, for development and trying out: it loads with
// `development: true`; a deployment loads its agency's signed bundle), written by the package's
// own Node-only bundler (`npx banshi bundle`, bin/banshi.mjs) from the repository's rules/.

import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const root = join(pkg, '..', '..');
for (const file of ['LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(join(root, file), join(pkg, file));
mkdirSync(join(pkg, 'dist'), { recursive: true });
const bundle = join(pkg, 'dist', 'rules.bundle.json');
if (existsSync(join(pkg, 'dist', 'loader', 'banshi_loader_wasm_bg.wasm'))) {
  execFileSync(process.execPath, [join(pkg, 'bin', 'banshi.mjs'), 'bundle', join(root, 'rules'), '-o', bundle], { stdio: ['ignore', 'ignore', 'inherit'] });
} else {
  execFileSync('cargo', ['run', '-q', '-p', 'banshi-cli', '--', 'bundle', join(root, 'rules'), '-o', bundle], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
