// Builds the four kernel variants: {simd, relaxed-simd} × {shared memory (threads), private memory}.
// The loader picks relaxed when the runtime validates it and shared when SharedArrayBuffer works.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asc = join(dirname(createRequire(import.meta.url).resolve('assemblyscript/package.json')), 'bin', 'asc.js');
mkdirSync(join(root, 'build'), { recursive: true });

const MAX_PAGES = 65536; // 4 GiB: the wasm32 limit; shared memory needs a declared maximum
for (const relaxed of [false, true]) {
  for (const shared of [false, true]) {
    const name = `kernels-${relaxed ? 'relaxed' : 'simd'}-${shared ? 'shared' : 'private'}.wasm`;
    const features = [
      '--enable',
      'simd',
      ...(relaxed ? ['--enable', 'relaxed-simd'] : []),
      ...(shared ? ['--enable', 'threads', '--sharedMemory'] : []),
    ];
    execFileSync(
      process.execPath,
      [
        asc,
        'assembly/index.ts',
        '-O3',
        '--noAssert',
        '--runtime',
        'stub',
        '--importMemory',
        '--initialMemory',
        '32',
        '--maximumMemory',
        String(MAX_PAGES),
        ...features,
        '--outFile',
        `build/${name}`,
      ],
      { cwd: root, stdio: 'inherit' },
    );
    console.log(`built build/${name}`);
  }
}
