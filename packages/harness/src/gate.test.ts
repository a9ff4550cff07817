import { median } from '@lowrank/core';
import { describe, expect, it } from 'vitest';
import type { BenchRecord } from './bench.ts';
import type { ClaimRecord } from './claims.ts';
import { gate, newestBatch } from './gate.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './results.ts';
import type { VerificationRecord } from './verify.ts';

/** In-process samples around `centre` with ±2% deterministic jitter. */
const noisy = (centre: number, n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => centre * (1 + 0.02 * Math.sin(i * 12.9898 + seed)));

function bench(ms: number[], o: Partial<BenchRecord> = {}): BenchRecord {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    case: 'primitives/gemm',
    params: { n: 64 },
    label: 'n=64',
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
    ...o,
  };
}

const verification = (status: VerificationRecord['status'], entry = 'nn-3x3x3'): VerificationRecord => ({
  case: 'primitives/gemm',
  entry,
  backend: 'wasm',
  dtype: 'f32',
  status,
  durationMs: 0,
  metrics: [],
});

const claim = (status: ClaimRecord['status']): ClaimRecord =>
  ({
    claim: 'recovery/x',
    paper: 'S03',
    family: 'recovery',
    title: 't',
    backend: 'wasm',
    dtype: 'f64',
    threads: 1,
    mode: 'standard',
    status,
    predicates: [],
    seeds: [0],
    durationMs: 0,
  }) as unknown as ClaimRecord;

let clock = 0;
function run(o: Partial<ResultsFile> = {}): ResultsFile {
  const t = new Date(Date.UTC(2026, 10, 30, 8, 0, clock++)).toISOString();
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    interleaved: null,
    claims: [],
    tool: { name: 'lowrank-bench', version: '0' },
    runId: `run${String(clock).padStart(7, '0')}`,
    command: 'bench',
    status: 'complete',
    startedAt: t,
    finishedAt: t,
    git: { commit: 'c0ffee0000', dirty: false },
    machine: { key: 'm' } as never,
    options: {},
    backends: [],
    verification: [],
    benchmarks: [bench(noisy(1, 50, clock))],
    calibrationMs: 10,
    ...o,
  };
}

describe('the gate: speed', () => {
  it('fails three runs per side that are 10× (and 30%) slower, with one line giving ratio, interval and runs', () => {
    const base = [1, 2, 3].map((s) => run({ benchmarks: [bench(noisy(1 + 0.03 * s, 50, s))] }));
    for (const factor of [10, 1.3]) {
      const cur = [4, 5, 6].map((s) => run({ benchmarks: [bench(noisy(factor * (1 + 0.03 * (s - 3)), 50, s))] }));
      const r = gate(base, cur);
      expect(r.passed).toBe(false);
      expect(r.reasons).toHaveLength(1);
      expect(r.reasons[0]).toMatch(
        /^slower: primitives\/gemm n=64 wasm f32 1t: .* ms \(×\d\.\d{3}, CI .*, p = .*, 3 vs 3 runs\)$/,
      );
    }
  });

  it('passes three identical runs per side, and a 5% change under the 10% threshold', () => {
    const base = [1, 2, 3].map((s) => run({ benchmarks: [bench(noisy(1 + 0.03 * s, 50, s))] }));
    expect(
      gate(
        base,
        [4, 5, 6].map((s) => run({ benchmarks: [bench(noisy(1 + 0.03 * (s - 3), 50, s))] })),
      ).passed,
    ).toBe(true);
    expect(
      gate(
        base,
        [4, 5, 6].map((s) => run({ benchmarks: [bench(noisy(1.05 * (1 + 0.03 * (s - 3)), 50, s))] })),
      ).passed,
    ).toBe(true);
  });

  it('a run on a machine 30% slower overall (its calibration kernel too) is not a regression', () => {
    const base = [run({ benchmarks: [bench(noisy(1, 50, 1))], calibrationMs: 10 })];
    expect(gate(base, [run({ benchmarks: [bench(noisy(1.3, 50, 2))], calibrationMs: 13 })]).passed).toBe(true);
  });
});

describe('the gate: what else fails it, one reason each', () => {
  const base = () =>
    run({
      benchmarks: [bench(noisy(1, 50, 1)), bench(noisy(2, 50, 2), { label: 'n=128', params: { n: 128 } })],
      verification: [verification('pass')],
      claims: [claim('reproduced')],
    });
  const current = (o: Partial<ResultsFile> = {}) =>
    run({
      benchmarks: [bench(noisy(1, 50, 3)), bench(noisy(2, 50, 4), { label: 'n=128', params: { n: 128 } })],
      verification: [verification('pass')],
      claims: [claim('reproduced')],
      ...o,
    });
  const cases: Array<[string, Partial<ResultsFile>, RegExp]> = [
    [
      'a claim reproduced in the baseline and missing now',
      { claims: [] },
      /^claim missing: S03 recovery\/x wasm f64 standard: reproduced in the baseline \(--allow-missing allows it\)$/,
    ],
    [
      'a claim reproduced in the baseline and unsupported now',
      { claims: [claim('unsupported')] },
      /^claim unsupported: S03 recovery\/x/,
    ],
    [
      'a benchmark missing now',
      { benchmarks: [bench(noisy(1, 50, 3))] },
      /^benchmark missing: primitives\/gemm n=128 wasm f32 1t ran in the baseline/,
    ],
    [
      'a benchmark erroring now',
      {
        benchmarks: [
          bench(noisy(1, 50, 3)),
          bench([], {
            label: 'n=128',
            params: { n: 128 },
            status: 'error',
            stats: undefined,
            message: 'RangeError: bad',
          }),
        ],
      },
      /^benchmark error: primitives\/gemm n=128 wasm f32 1t: RangeError: bad$/,
    ],
    [
      'a verification pass that is unsupported now',
      { verification: [verification('unsupported', '*')] },
      /^verification unsupported: primitives\/gemm nn-3x3x3 wasm f32 passed in the baseline/,
    ],
    [
      'a verification pass that is missing now',
      { verification: [] },
      /^verification missing: primitives\/gemm nn-3x3x3 wasm f32 passed in the baseline/,
    ],
    [
      'a verification pass whose ratio is NaN now (kept as NaN, not as a missing value)',
      {
        verification: [
          { ...verification('fail'), metrics: [{ name: 'ratio', value: 'NaN', threshold: 30, passed: false }] },
        ],
      },
      /^accuracy regression: primitives\/gemm nn-3x3x3 wasm f32: ratio = NaN > 30$/,
    ],
    [
      'an incomplete current run',
      { status: 'incomplete' },
      /^incomplete run: run\d+ \(.*\) was interrupted; rerun it$/,
    ],
    ['an empty current run', { benchmarks: [], verification: [], claims: [] }, /^empty run: /],
  ];
  it.each(cases)('%s', (_, change, reason) => {
    const r = gate([base()], [current(change)]);
    expect(r.passed).toBe(false);
    expect(r.reasons.filter((x) => reason.test(x))).toHaveLength(1);
    expect(gate([base()], [current()]).passed).toBe(true);
  });

  it('--allow-missing lets missing and unsupported items pass, never errors or incomplete runs', () => {
    for (const [, change] of cases.slice(0, 6).filter(([name]) => !name.includes('erroring')))
      expect(gate([base()], [current(change)], { allowMissing: true }).passed).toBe(true);
    expect(gate([base()], [current({ status: 'incomplete' })], { allowMissing: true }).passed).toBe(false);
  });
});

describe('which runs are "current"', () => {
  it('the newest run and the other runs of its clean commit and options; older commits never pooled in', () => {
    const old = [1, 2, 3, 4, 5, 6].map(() => run({ git: { commit: 'old0000000', dirty: false } }));
    const mine = [1, 2, 3].map(() => run());
    const set = newestBatch([...mine, ...old].reverse());
    expect(set.runs).toEqual(mine);
    expect(set.description).toMatch(
      /^3 runs of commit c0ffee0 \(bench, 2026-11-30 \d\d:\d\d–\d\d:\d\d\); 6 older runs not used$/,
    );
  });

  it('a dirty tree or different options mean the newest run alone', () => {
    const a = run({ git: { commit: 'c0ffee0000', dirty: true } }),
      b = run({ git: { commit: 'c0ffee0000', dirty: true } });
    expect(newestBatch([a, b]).runs).toEqual([b]);
    const c = run({ options: { argv: ['--sizes', '64'] } }),
      d = run({ options: { argv: ['--sizes', '128'] } });
    expect(newestBatch([c, d]).runs).toEqual([d]);
    expect(newestBatch([]).runs).toEqual([]);
  });

  it('six old runs and a new 10× slower one: the new one is compared, and fails', () => {
    const baseline = [run()];
    const folder = [
      ...[1, 2, 3, 4, 5, 6].map((s) =>
        run({ git: { commit: 'old0000000', dirty: false }, benchmarks: [bench(noisy(1, 50, s))] }),
      ),
      run({ benchmarks: [bench(noisy(10, 50, 9))] }),
    ];
    const r = gate(baseline, newestBatch(folder).runs);
    expect(r.passed).toBe(false);
    expect(r.reasons[0]).toMatch(/^slower: .*×\d+\.\d{3}/);
  });
});
