// One-file browser bundle of src/browser.ts, built by esbuild, an npm dev dependency: nothing is
// downloaded at build time. node:* imports stay external (index.html maps them to browser/shims.js);
// workspace packages resolve to their TypeScript sources (the "source" export condition). The WASM
// kernels are copied beside the bundle: the loader finds them relative to its own module, which in
// the bundle is this file.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(here, 'build'), { recursive: true });
await build({
  entryPoints: [join(here, 'src/browser.ts')],
  outfile: join(here, 'build/browser-suite.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['source'],
  // 'webgpu' is Node's Dawn binding; a page has navigator.gpu, so the import is never reached there.
  external: ['node:*', 'webgpu'],
  sourcemap: true,
  logLevel: 'warning',
});
const wasmBuild = join(dirname(createRequire(import.meta.url).resolve('@lowrank/backend-wasm/package.json')), 'build');
for (const f of readdirSync(wasmBuild))
  if (f.endsWith('.wasm')) copyFileSync(join(wasmBuild, f), join(here, 'build', f));
