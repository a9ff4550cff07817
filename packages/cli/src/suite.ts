/**
 * This build's suite, as another lowrank-bench process loads it for an interleaved A/B benchmark
 * (`bench --interleave DIR` imports DIR/packages/cli/dist/suite.js, or src/suite.ts under Deno).
 * SUITE_API changes only when this module's shape does; a base build with another API is refused.
 */
export const SUITE_API = 1;
export const VERSION = '0.1.0';
export { ALL_CASES as cases } from './cases.ts';
export { openBackends } from '@lowrank/harness';
