import { readFileSync } from 'node:fs';

/** The bytes of a built kernel module (`npm run build`), for the tests that instantiate one by hand; Node only. */
export function builtModule(variant: `${'simd' | 'relaxed'}-${'shared' | 'private'}`): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(`../build/kernels-${variant}.wasm`, import.meta.url)));
}
