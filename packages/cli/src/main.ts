#!/usr/bin/env node
// The `lowrank` command. The signal handlers are installed before the commands' modules load (a dynamic
// import below): loading them took over 1.5 s on a loaded 2-core machine, and a Ctrl-C in that window
// killed the process with no message instead of stopping the run (a CI run failed on it).

declare const Deno: unknown;
// Node 20 validates relaxed SIMD (a real FMA) only behind a flag, which Node 22 and Deno 2 no longer
// need. Set before the first WASM compile (opening a backend), it takes effect for this process and
// its worker threads, so `npx lowrank` runs the same build as `node --experimental-wasm-relaxed-simd`.
if (typeof Deno === 'undefined') (await import('node:v8')).setFlagsFromString('--experimental-wasm-relaxed-simd');

// SIGINT (Ctrl-C) and SIGTERM (CI cancellation): the first stops the run at the next kernel call and
// saves what was measured, marked incomplete (exit 130 or 143); a second one quits at once.
let interrupts = 0;
const interrupted = new Promise<'SIGINT' | 'SIGTERM'>((resolve) => {
  for (const [name, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(name, () => {
      if (++interrupts > 1) process.exit(code);
      resolve(name);
    });
  }
});
const { main } = await import('./cli.ts');
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, interrupted });
process.exitCode = code;
