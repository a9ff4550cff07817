import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "source" export condition), so tests
// run the code as written; the AssemblyScript kernels come from `npm run build` (npm test builds first).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One fork per core. Vitest's default (cores − 1) runs the files one at a time on a 2-core machine;
    // two at a time measured 728 → 492 s for the main run there (tests do not time things, and much of
    // a file's time is single-threaded host work or lavapipe waits).
    maxWorkers: availableParallelism(),
    // The default output, then one line per reason tests were skipped, with its count.
    reporters: ['default', './scripts/vitest-skip-reasons.ts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      exclude: ['packages/*/src/**/*.test.ts', 'packages/cli/src/main.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 85 },
    },
  },
});
