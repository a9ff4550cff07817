import { describe, expect, it } from 'vitest';
import type { BenchRecord } from './bench.ts';
import { claimsTable, scalingSlopes, speedupMatrix, toBencher, toCsv, toMarkdown } from './export.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './results.ts';

const rec = (backend: string, threads: number, medianMs: number): BenchRecord => ({
  case: 'primitives/gemm',
  params: { n: 512 },
  label: 'n=512',
  backend,
  backendDescription: backend,
  dtype: 'f32',
  threads,
  status: 'ok',
  flops: 2 * 512 ** 3,
  bytes: 1,
  gflops: (2 * 512 ** 3) / (medianMs * 1e6),
  stats: {
    samples: 9,
    medianMs,
    madMs: 0.1,
    meanMs: medianMs,
    minMs: medianMs,
    maxMs: medianMs,
    p75Ms: medianMs,
    p99Ms: medianMs,
    rme: 1,
  },
});
const run = {
  schemaVersion: RESULTS_SCHEMA_VERSION,
  interleaved: null,
  claims: [],
  tool: { name: 'lowrank-bench', version: '0' },
  runId: 'abcdefgh12',
  command: 'bench',
  status: 'complete',
  startedAt: 't',
  finishedAt: 't',
  git: null,
  machine: { key: 'm' } as never,
  options: {},
  backends: [],
  verification: [],
  benchmarks: [rec('wasm', 1, 6), rec('wasm', 2, 3), rec('webgpu', 1, 1.5)],
} as ResultsFile;

describe('exports', () => {
  it('speedup matrix is relative to wasm on one thread', () => {
    const m = speedupMatrix(run);
    expect(m.columns).toEqual(['wasm 1t', 'wasm 2t', 'webgpu']);
    expect(m.rows[0].speedup).toEqual({ 'wasm 1t': 1, 'wasm 2t': 2, webgpu: 4 });
  });
  it('scaling: the log-log slope of time against the one varying size parameter (three sizes or more)', () => {
    const sized = (n: number, ms: number): BenchRecord => ({
      ...rec('wasm', 1, ms),
      params: { n, m: 32 },
      label: `n=${n},m=32`,
    });
    const rows = scalingSlopes([sized(100, 1), sized(200, 8), sized(400, 64), rec('wasm', 2, 3)]);
    expect(rows).toEqual([
      { series: 'primitives/gemm wasm 1t f32', param: 'n', sizes: [100, 200, 400], slope: expect.closeTo(3, 12) },
    ]);
    expect(scalingSlopes([sized(100, 1), sized(200, 8)])).toEqual([]); // two sizes are no fit
  });
  it('the claims table: one row per claim, kinds and outcomes shown, a | or line break in the data cannot break a row', () => {
    const claim = {
      claim: 'compress/maestro/recovers-svd',
      paper: 'S19',
      family: 'compress',
      title: 'LoD recovers | the SVD',
      statement: 's',
      backend: 'wasm',
      backendDescription: 'w',
      dtype: 'f64',
      threads: 2,
      mode: 'full',
      status: 'mechanism verified',
      expected: 'mechanism verified',
      experiment: {},
      paperNumbers: [{ quantity: 'cos', value: '≥ 0.99' }],
      measured: { 'LoD worst |cos|': 0.999, 'a\nb': 1 },
      predicates: [{ name: 'recovers', rule: 'r', kind: 'mechanism', holds: true }],
      seeds: [0],
      durationMs: 12_400,
    } as const;
    const table = claimsTable({ ...run, claims: [claim] } as never);
    const rows = table.split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe(
      '| S19 `compress/maestro/recovers-svd` | LoD recovers \\| the SVD | cos: ≥ 0.99 | LoD worst \\|cos\\| = 0.999, a b = 1 | ✓ mechanism: recovers | **mechanism verified** (wasm 2t f64, 12 s) |',
    );
  });

  it('markdown carries the tables, csv one row per benchmark, Bencher latency in ns', () => {
    expect(toMarkdown([run])).toMatch(/\| primitives\/gemm n=512 f32 \| 1\.00× \| 2\.00× \| 4\.00× \|/);
    expect(toCsv([run]).trim().split('\n')).toHaveLength(4);
    expect(toBencher([run])['primitives/gemm n=512 wasm 2t f32'].latency.value).toBe(3e6);
  });
});
