// Writes golden/schema.json from the zod schema the harness validates goldens with (npm run golden:schema).
// A test fails when the committed file and the schema disagree, so the file cannot go stale.
import { writeFileSync } from 'node:fs';
import { goldenJsonSchema } from '../packages/harness/dist/index.js';

const path = new URL('../golden/schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(goldenJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
