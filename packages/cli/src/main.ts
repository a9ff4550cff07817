#!/usr/bin/env node
// The `lowrank` command. Ctrl-C once saves what was measured (marked incomplete); twice quits at once.
import { main } from './cli.ts';

declare const Deno: unknown;
// Node 20 validates relaxed SIMD (a real FMA) only behind a flag, which Node 22 and Deno 2 no longer
// need. Set before the first WASM compile (opening a backend), it takes effect for this process and
// its worker threads, so `npx lowrank` runs the same build as `node --experimental-wasm-relaxed-simd`.
if (typeof Deno === 'undefined') (await import('node:v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');

let interrupts = 0;
const interrupted = new Promise<void>((resolve) => {
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    resolve();
  });
});
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, interrupted });
process.exitCode = code;
