#!/usr/bin/env node
// The `lowrank` command. Ctrl-C once saves what was measured (marked incomplete); twice quits at once.
import { main } from './cli.ts';

let interrupts = 0;
const interrupted = new Promise<void>((resolve) => {
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    resolve();
  });
});
const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, interrupted });
process.exitCode = code;
