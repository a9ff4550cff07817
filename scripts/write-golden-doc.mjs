// Writes golden/CASES.md from the cases' declarations of what they read (npm run golden:doc).
// A test fails when the committed page and the code disagree, so the page cannot go stale.
import { writeFileSync } from 'node:fs';
import { goldenCasesMarkdown } from '../packages/harness/dist/index.js';
import { ALL_CASES } from '../packages/cli/dist/cases.js';

const path = new URL('../golden/CASES.md', import.meta.url);
writeFileSync(path, goldenCasesMarkdown(ALL_CASES));
console.log(`wrote ${path.pathname}`);
