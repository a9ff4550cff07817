import { defineCase, ResultsError, streamCost, type Backend } from '@lowrank/core';
import { createRefBackend } from '@lowrank/backend-ref';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { benchCases, benchInterleaved, globToRegExp, summarize, timerResolutionMs } from './bench.ts';
import { machineFingerprint } from './fingerprint.ts';
import { createProgress } from './progress.ts';
import {
  inside,
  newRunId,
  readResults,
  RESULTS_SCHEMA_VERSION,
  writeResults,
  writeResultsFile,
  type ResultsFile,
} from './results.ts';
import { writeFileAtomic } from './storage.ts';

async function sample(): Promise<ResultsFile> {
  const now = new Date().toISOString();
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'lowrank-bench', version: '0.1.0' },
    runId: newRunId(),
    command: 'bench',
    status: 'complete',
    startedAt: now,
    finishedAt: now,
    git: null,
    machine: await machineFingerprint(),
    options: {},
    backends: [],
    verification: [],
    benchmarks: [],
    interleaved: null,
    claims: [],
  };
}

describe('results store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'results-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('files a run under its machine key, round-trips it, and never overwrites', async () => {
    const r = await sample();
    const path = await writeResults(dir, r);
    expect(path).toContain(join(dir, r.machine.key));
    expect(await readResults(path)).toEqual(r);
    await expect(writeResultsFile(path, r)).rejects.toThrow(ResultsError);
    expect((await readdir(join(dir, r.machine.key))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses invalid results without leaving a file behind', async () => {
    const r = { ...(await sample()), runId: 'BAD ID' };
    await expect(writeResults(dir, r)).rejects.toThrow(/refusing to write an invalid results file: runId/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the file when reading corrupt, truncated, foreign-version or mis-shaped results', async () => {
    const path = join(dir, 'x.json');
    await writeFile(path, '{"schemaVersion": 1, "tool": ');
    await expect(readResults(path)).rejects.toThrow(/x.json: not a readable results file/);
    await writeFile(path, JSON.stringify({ schemaVersion: 99 }));
    await expect(readResults(path)).rejects.toThrow(
      /x.json: results schema version 99 was written by a newer lowrank-bench; this build reads versions 1 to 6/,
    );
    await writeFile(path, JSON.stringify({ schemaVersion: 0 }));
    await expect(readResults(path)).rejects.toThrow(/x.json: not a lowrank-bench results file \(schemaVersion 0\)/);
    await writeFile(path, '[1, 2]');
    await expect(readResults(path)).rejects.toThrow(/x.json: not a results file \(a JSON object was expected\)/);
    await writeFile(path, JSON.stringify({ ...(await sample()), benchmarks: [{ case: 1 }] }));
    await expect(readResults(path)).rejects.toThrow(/does not match the results schema: benchmarks.0/);
  });

  it('rejects negative or non-finite times, empty sample lists and a calibration of 0, by field', async () => {
    const path = join(dir, 'y.json');
    const stats = {
      samples: 1,
      medianMs: 1,
      madMs: 0,
      meanMs: 1,
      minMs: 1,
      maxMs: 1,
      p75Ms: 1,
      p99Ms: 1,
      rme: 0,
      samplesMs: [1],
    };
    const bench = {
      case: 'c',
      params: {},
      label: 'n=1',
      backend: 'wasm',
      backendDescription: 'w',
      dtype: 'f64',
      threads: 1,
      status: 'ok',
      flops: 1,
      bytes: 1,
      stats,
    };
    for (const [edit, field] of [
      [{ stats: { ...stats, medianMs: -1 } }, /benchmarks\.0\.stats\.medianMs/],
      [{ stats: { ...stats, samplesMs: [] } }, /benchmarks\.0\.stats\.samplesMs/],
      [{ stats: { ...stats, samplesMs: [1, -0.5] } }, /benchmarks\.0\.stats\.samplesMs\.1/],
      [{ stats: { ...stats, samples: 0 } }, /benchmarks\.0\.stats\.samples/],
    ] as const) {
      await writeFile(path, JSON.stringify({ ...(await sample()), benchmarks: [{ ...bench, ...edit }] }));
      await expect(readResults(path)).rejects.toThrow(field);
    }
    await writeFile(path, JSON.stringify({ ...(await sample()), calibrationMs: 0 }));
    await expect(readResults(path)).rejects.toThrow(/calibrationMs/);
    await writeFile(path, JSON.stringify({ ...(await sample()), benchmarks: [bench] }));
    await expect(readResults(path)).resolves.toBeDefined();
  });

  it('reads a file written by schema version 1 (a real run, test-fixtures/results-v1.json) through its migration', async () => {
    const path = fileURLToPath(new URL('../test-fixtures/results-v1.json', import.meta.url));
    expect(JSON.parse(await readFile(path, 'utf8')).schemaVersion).toBe(1);
    const r = await readResults(path);
    expect(r.schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
    expect(r.interleaved).toBeNull();
    expect(r.claims).toEqual([]);
    expect(r.benchmarks.map((b) => b.case)).toEqual(['primitives/dot', 'primitives/dot', 'primitives/dot']);
    expect(r.benchmarks.map((b) => `${b.dtype} ${b.status}`)).toEqual(['f16 unsupported', 'f32 unsupported', 'f64 ok']);
    expect(r.benchmarks[2].stats!.medianMs).toBeGreaterThan(0);
  });

  it('keeps NaN and Infinity through a write and a read; a version-5 null reads as NaN', async () => {
    const metric = (value: unknown) => ({ name: 'ratio', value, threshold: 30, passed: false });
    const check = (values: unknown[]) => ({
      case: 'primitives/dot',
      entry: 'e',
      backend: 'wasm',
      dtype: 'f64',
      status: 'fail',
      metrics: values.map(metric),
      durationMs: 1,
    });
    const run = { ...(await sample()), verification: [check(['NaN', 'Infinity', 2])] } as ResultsFile;
    const written = await writeResults(dir, run);
    expect(await readFile(written, 'utf8')).toContain('"value": "NaN"');
    const back = await readResults(written);
    expect(back.verification[0].metrics.map((m) => m.value)).toEqual(['NaN', 'Infinity', 2]);
    const v5 = join(dir, 'v5.json');
    await writeFile(v5, JSON.stringify({ ...run, schemaVersion: 5, verification: [check([null, 3])] }));
    expect((await readResults(v5)).verification[0].metrics.map((m) => m.value)).toEqual(['NaN', 3]);
  });

  it('inside() keeps every path in its folder', () => {
    expect(inside('/r', 'a/b.json')).toBe('/r/a/b.json');
    for (const p of ['../x', 'a/../../x', '/etc/passwd'])
      expect(() => inside('/r', p)).toThrow(/refusing to write outside \/r/);
  });

  it('writeFileAtomic replaces only when asked', async () => {
    const path = join(dir, 'a', 'f.txt');
    await writeFileAtomic(path, 'one');
    await expect(writeFileAtomic(path, 'two')).rejects.toThrow(/EEXIST/);
    await writeFileAtomic(path, 'three', { overwrite: true });
    expect(await readFile(path, 'utf8')).toBe('three');
  });
});

describe('machine fingerprint', () => {
  it('keeps the key stable while volatile fields change', async () => {
    const a = await machineFingerprint(),
      b = await machineFingerprint();
    expect(a.key).toBe(b.key);
    expect(a.key).toMatch(/-\dc-|-\d+c-/);
    expect(a.stable.wasm.simd).toBe(true);
  });

  it('files a machine under one key whatever GPU adapter it has (the adapter is recorded, not keyed)', async () => {
    const lavapipe = { vendor: 'mesa', architecture: '', device: 'dawn', description: 'llvmpipe' };
    const none = await machineFingerprint(),
      soft = await machineFingerprint(undefined, lavapipe);
    expect(soft.key).toBe(none.key);
    expect(soft.stable.gpu).toEqual(lavapipe);
  });
});

describe('benchmark runner', () => {
  const be: Backend = createRefBackend();
  const sum = defineCase({
    id: 'test/sum',
    family: 'test',
    title: 'sum',
    primitives: ['dot'],
    dtypes: ['f32', 'f64'],
    bench: {
      params: (sizes) => (sizes ?? [100]).map((n) => ({ n })),
      cost: ({ n }, dtype) => streamCost(n, dtype, 1, 1),
      async setup(_be, _dtype, { n }) {
        const x = new Float64Array(n).fill(1);
        return {
          run: async () => x.reduce((a, b) => a + b, 0),
          accuracy: async () => ({ metric: 'exact', value: 0 }),
          dispose: () => {},
        };
      },
    },
  });
  /** `sum` under another id with another setup: a run that counts, logs or waits, or a setup that fails. */
  const sumWith = (id: string, setup: NonNullable<typeof sum.bench>['setup']) =>
    defineCase({ ...sum, id, bench: { ...sum.bench!, setup } });
  /** A setup whose instance only runs `run`. */
  const running = (run: () => Promise<unknown>) => async () => ({ run, dispose: () => {} });
  const broken = sumWith('test/broken', async () => {
    throw new Error('no memory');
  });

  it('records statistics, throughput and accuracy; errors and missing kernels become records', async () => {
    const lines: string[] = [];
    const records = await benchCases({
      cases: [sum, broken] as never,
      backends: [be],
      sizes: [1000],
      timeMs: 20,
      warmupMs: 5,
      progress: createProgress({ write: (s) => lines.push(s) }, 'plain'),
    });
    const ok = records.find((r) => r.case === 'test/sum' && r.dtype === 'f64')!;
    expect(ok.status).toBe('ok');
    expect(ok.stats!.samples).toBeGreaterThanOrEqual(5);
    expect(ok.stats!.medianMs).toBeGreaterThan(0);
    expect(ok.gflops).toBeCloseTo(1000 / (ok.stats!.medianMs * 1e6));
    expect(ok.accuracy).toEqual({ metric: 'exact', value: 0 });
    expect(records.find((r) => r.case === 'test/sum' && r.dtype === 'f32')!.status).toBe('unsupported');
    expect(records.find((r) => r.case === 'test/broken' && r.dtype === 'f64')!.message).toMatch(/no memory/);
    expect(lines.some((l) => l.startsWith('[1/4] bench test/sum n=1000 ref f32'))).toBe(true);
  });

  it("batches runs that are near the timer resolution (a browser's 5 µs clock), recording batch and resolution", async () => {
    // A fake clock, so the test does not time this machine: each read advances it 10 ns, each run
    // 1 µs, and reads round down to a 5 µs step. A run is then five times shorter than a step.
    let t = 0;
    const coarse = vi.spyOn(performance, 'now').mockImplementation(() => {
      t += 1e-5;
      return Math.floor(t / 0.005) * 0.005;
    });
    const tick = sumWith(
      'test/tick',
      running(async () => void (t += 0.001)),
    );
    try {
      expect(timerResolutionMs()).toBeCloseTo(0.005, 6);
      const [r] = await benchCases({
        cases: [tick] as never,
        backends: [be],
        dtypes: ['f64'],
        sizes: [16],
        timeMs: 20,
        warmupMs: 5,
      });
      expect(r.status).toBe('ok');
      expect(r.stats!.batch).toBeGreaterThan(1);
      expect(r.stats!.timerResolutionMs).toBeCloseTo(0.005, 6);
      expect(r.stats!.medianMs).toBeGreaterThan(0.0005);
      expect(r.stats!.medianMs).toBeLessThan(0.0015);
    } finally {
      coarse.mockRestore();
    }
  });

  it('keeps to the time budget when one run takes longer than it (a software GPU adapter): no 5-run minimum', async () => {
    let runs = 0;
    const slow = sumWith(
      'test/slow',
      running(async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 200));
      }),
    );
    const [r] = await benchCases({
      cases: [slow] as never,
      backends: [be],
      dtypes: ['f64'],
      sizes: [1],
      timeMs: 50,
      warmupMs: 20,
    });
    expect(r.status).toBe('ok');
    expect(runs).toBeLessThanOrEqual(3); // the trial run, then a sample or two (it was 5 samples + 3 warm-up runs)
    expect(r.stats!.samples).toBeLessThanOrEqual(2);
  });

  it('summarizes samples: median, MAD, quantiles by linear interpolation', () => {
    const st = summarize([5, 1, 4, 2, 3]);
    expect([st.samples, st.medianMs, st.madMs, st.meanMs, st.minMs, st.maxMs, st.p75Ms]).toEqual([5, 3, 1, 3, 1, 5, 4]);
    expect(st.p99Ms).toBeCloseTo(4.96);
    expect(st.samplesMs).toEqual([1, 2, 3, 4, 5]);
  });

  it('interleaves two builds: alternating slices, one record per side, unmatched, unsupported and failing benchmarks reported', async () => {
    const log: string[] = [];
    const tagged = (id: string, tag: string) =>
      sumWith(
        id,
        running(async () => {
          log.push(tag);
        }),
      );
    const notes: string[] = [];
    const r = await benchInterleaved({
      base: { cases: [tagged('test/pair', 'A'), tagged('test/only-base', 'a'), broken] as never, backends: [be] },
      current: {
        cases: [tagged('test/pair', 'B'), tagged('test/only-current', 'b'), broken] as never,
        backends: [createRefBackend()],
      },
      sizes: [10],
      timeMs: 5,
      warmupMs: 1,
      progress: { start: () => {}, item: () => {}, step: () => {}, note: (s) => notes.push(s), finish: () => {} },
    });
    expect(notes).toEqual(
      expect.arrayContaining([
        'interleave: test/only-current n=10 ref f64 1t is not in the base build; skipped',
        'interleave: test/only-base n=10 ref f64 1t is not in the current build; skipped',
        expect.stringMatching(/ERROR interleaved bench test\/broken n=10 ref f64 1t: Error: no memory/),
      ]),
    );
    for (const side of [r.base, r.current]) {
      expect(side.map((x) => `${x.case} ${x.dtype} ${x.status}`)).toEqual([
        'test/pair f32 unsupported',
        'test/pair f64 ok',
        'test/broken f32 unsupported',
        'test/broken f64 error',
      ]);
      expect(side[1].stats!.samples).toBeGreaterThanOrEqual(10);
    }
    // Slices alternate A and B many times (ABBA), rather than one build after the other.
    const switches = log.filter((t, i) => i > 0 && t !== log[i - 1]).length;
    expect(switches).toBeGreaterThanOrEqual(6);
    expect(log.filter((t) => t === 'a' || t === 'b')).toEqual([]);
  });

  it('filters by glob over case id and params', async () => {
    expect(globToRegExp('primitives/gemm*').test('primitives/gemm n=1')).toBe(true);
    expect(globToRegExp('*n=1024*').test('primitives/gemm n=1024')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    const records = await benchCases({ cases: [sum] as never, backends: [be], filter: 'nothing*', timeMs: 10 });
    expect(records).toEqual([]);
  });
});
