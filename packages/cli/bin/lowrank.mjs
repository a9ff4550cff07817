#!/usr/bin/env node
// `npx lowrank`: npm links this file at install time, before the build, so it must exist in the
// repository; the command itself is the built dist/main.js.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('lowrank: not built yet: run `npm run build` (or `npm run suite`) in the repository first\n');
  process.exit(2);
}
await import(main.href);
