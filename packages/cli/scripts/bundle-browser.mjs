// One-file browser bundle of src/browser.ts (node:* imports stay external; index.html maps them to
// browser/shims.js), built with the Deno that the npm package ships. The WASM kernels are copied
// beside it: the loader finds them relative to its own module, which in the bundle is this file.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const deno = join(dirname(createRequire(import.meta.url).resolve('deno/package.json')), 'deno');
execFileSync(deno, ['bundle', '--quiet', '--platform', 'browser', '-o', 'build/browser-suite.js', 'src/browser.ts'], { cwd: here, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1' } });
const wasmBuild = join(dirname(createRequire(import.meta.url).resolve('@lowrank/backend-wasm/package.json')), 'build');
for (const f of readdirSync(wasmBuild)) if (f.endsWith('.wasm')) copyFileSync(join(wasmBuild, f), join(here, 'build', f));
