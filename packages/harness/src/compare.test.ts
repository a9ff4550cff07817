import { describe, expect, it } from 'vitest';
import { median } from '@lowrank/core';
import { compareRuns, geometricMeanRatio, hierarchicalRatios } from './compare.ts';
import { gate } from './gate.ts';
import type { BenchRecord } from './bench.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './results.ts';
import type { VerificationRecord } from './verify.ts';

function run(
  ms: number[],
  opts: { calibrationMs?: number; verification?: VerificationRecord[]; label?: string } = {},
): ResultsFile {
  const sorted = [...ms].sort((a, b) => a - b);
  const bench: BenchRecord = {
    case: 'primitives/gemm',
    params: { n: 64 },
    label: opts.label ?? 'n=64',
    backend: 'wasm',
    backendDescription: 'wasm',
    dtype: 'f32',
    threads: 1,
    status: 'ok',
    flops: 1,
    bytes: 1,
    stats: {
      samples: ms.length,
      medianMs: median(ms),
      madMs: 0,
      meanMs: 0,
      minMs: sorted[0],
      maxMs: sorted[sorted.length - 1],
      p75Ms: 0,
      p99Ms: 0,
      rme: 0,
      samplesMs: sorted,
    },
    accuracy: { metric: 'probe', value: 0.01 },
  };
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    interleaved: null,
    claims: [],
    tool: { name: 'lowrank-bench', version: '0' },
    runId: 'abcdefgh12',
    command: 'bench',
    status: 'complete',
    startedAt: '',
    finishedAt: '',
    git: null,
    machine: {} as never,
    options: {},
    backends: [],
    verification: opts.verification ?? [],
    benchmarks: [bench],
    calibrationMs: opts.calibrationMs,
  };
}
const noisy = (center: number, n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => center * (1 + 0.02 * Math.sin(i * 12.9898 + seed)));

describe('statistics', () => {
  it('the hierarchical bootstrap interval covers the true ratio, and widens with run-to-run spread', () => {
    const ci = (r: Float64Array) => [r[Math.floor(0.005 * (r.length - 1))], r[Math.ceil(0.995 * (r.length - 1))]];
    const steady = ci(hierarchicalRatios([noisy(2, 40, 3), noisy(2, 40, 5)], [noisy(3, 40, 4), noisy(3, 40, 6)], 2000));
    expect(steady[0]).toBeLessThan(1.5);
    expect(steady[1]).toBeGreaterThan(1.5);
    expect(steady[1] - steady[0]).toBeLessThan(0.1);
    // The same in-process noise, but runs whose levels differ by ±10%: the interval must see it.
    const drifting = ci(
      hierarchicalRatios([noisy(1.8, 40, 3), noisy(2.2, 40, 5)], [noisy(2.7, 40, 4), noisy(3.3, 40, 6)], 2000),
    );
    expect(drifting[1] - drifting[0]).toBeGreaterThan(0.3);
  });
});

describe('compareRuns and gate', () => {
  it('calls a 30% slowdown slower, a 0.3% one no change, and a missing benchmark missing', () => {
    const [slow] = compareRuns([run(noisy(1, 50, 1))], [run(noisy(1.3, 50, 2))]);
    expect(slow.verdict).toBe('slower');
    expect(slow.basis).toBe('samples');
    const [same] = compareRuns([run(noisy(1, 50, 1))], [run(noisy(1.003, 50, 2))]);
    expect(same.verdict).toBe('no change');
    const cs = compareRuns([run(noisy(1, 20, 1))], [run(noisy(1, 20, 1), { label: 'n=128' })]);
    expect(cs.map((c) => c.verdict)).toEqual(['missing', 'missing']);
    expect(geometricMeanRatio([slow, same])).toBeCloseTo(Math.sqrt(slow.ratio! * same.ratio!));
  });
  it('uses per-run medians when each side has several runs (independent processes)', () => {
    const base = [1, 2, 3].map((s) => run(noisy(1, 10, s)));
    const cur = [4, 5, 6].map((s) => run(noisy(1.5, 10, s)));
    const [c] = compareRuns(base, cur);
    expect(c.basis).toBe('runs');
    expect(c.ratio).toBeCloseTo(1.5, 1);
  });
  it('a per-benchmark threshold overrides the default for the keys it matches', () => {
    const base = [run(noisy(1, 50, 1))],
      cur = [run(noisy(1.3, 50, 2))];
    expect(compareRuns(base, cur, { thresholdFor: [{ pattern: /gemm n=64/, threshold: 0.5 }] })[0].verdict).toBe(
      'no change',
    ); // within its 50% band
    expect(compareRuns(base, cur, { thresholdFor: [{ pattern: /gemm n=128/, threshold: 0.5 }] })[0].verdict).toBe(
      'slower',
    );
  });
  it('pairs an interleaved A/B run as such: no calibration scaling, basis interleaved', () => {
    const a = {
      ...run(noisy(1, 50, 1), { calibrationMs: 10 }),
      runId: 'baserun001',
      interleaved: { side: 'base' as const, partnerRunId: 'currun0001' },
    };
    const b = {
      ...run(noisy(1.3, 50, 2), { calibrationMs: 13 }),
      runId: 'currun0001',
      interleaved: { side: 'current' as const, partnerRunId: 'baserun001' },
    };
    const [c] = compareRuns([a], [b]);
    expect(c.basis).toBe('interleaved');
    expect(c.ratio).toBeCloseTo(1.3, 1);
    // The same samples as two unrelated runs would be scaled by the calibration (10/13): no change.
    const [unpaired] = compareRuns([{ ...a, interleaved: null }], [{ ...b, interleaved: null }]);
    expect(unpaired.basis).toBe('samples');
    expect(unpaired.ratio).toBeCloseTo(1, 1);
  });
  it('normalizes by the calibration kernel: a machine 30% slower overall is not a regression', () => {
    const [c] = compareRuns(
      [run(noisy(1, 50, 1), { calibrationMs: 10 })],
      [run(noisy(1.3, 50, 2), { calibrationMs: 13 })],
    );
    expect(c.verdict).toBe('no change');
  });
  it('gate fails on a slowdown and on a verification that passed and now fails, and says why', () => {
    const v = (status: 'pass' | 'fail'): VerificationRecord => ({
      case: 'primitives/gemm',
      entry: 'nn-3x3x3',
      backend: 'wasm',
      dtype: 'f32',
      status,
      durationMs: 0,
      metrics: [
        { name: 'componentwise', value: status === 'pass' ? 0.1 : 99, threshold: 30, passed: status === 'pass' },
      ],
    });
    expect(
      gate(
        [run(noisy(1, 50, 1), { verification: [v('pass')] })],
        [run(noisy(1.01, 50, 2), { verification: [v('pass')] })],
      ).passed,
    ).toBe(true);
    const slow = gate([run(noisy(1, 50, 1))], [run(noisy(1.5, 50, 2))]);
    expect(slow.passed).toBe(false);
    expect(slow.reasons[0]).toMatch(/^slower: primitives\/gemm n=64 wasm f32 1t/);
    const acc = gate(
      [run(noisy(1, 50, 1), { verification: [v('pass')] })],
      [run(noisy(1.5, 50, 2), { verification: [v('fail')] })],
      { accuracyOnly: true },
    );
    expect(acc.passed).toBe(false);
    expect(acc.reasons).toEqual(['accuracy regression: primitives/gemm nn-3x3x3 wasm f32: componentwise = 99 > 30']);
  });
});
