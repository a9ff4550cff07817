// Measures the gate's error rates from real runs (docs/ci-gate.md, "Measured error rates"):
//   node scripts/gate-rates.mjs NULL_DIR SLOW_DIR [INTERLEAVED_NULL_DIR INTERLEAVED_SLOW_DIR]
// NULL_DIR holds runs of one build, SLOW_DIR runs of the same build with --inject-slowdown (a real
// busy-wait inside every timed run). For k runs per side it draws disjoint k-vs-k splits: null vs null
// (a gate failure is a false fail) and null vs slow (a pass is a false pass). The interleaved folders
// hold `bench --interleave` output pairs (base.json + current.json per subfolder). Then a simulation
// from the recorded samples: synthetic runs made by resampling a recorded run's samples and shifting
// them by a recorded run-to-run deviation, many more trials than real runs allow.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fillRandom, median } from '../packages/core/dist/index.js';
import { compareRuns, gate, loadRuns, readResults } from '../packages/harness/dist/index.js';

const [nullDir, slowDir, ilNullDir, ilSlowDir] = process.argv.slice(2);
if (slowDir === undefined) {
  console.error('usage: node scripts/gate-rates.mjs NULL_DIR SLOW_DIR [INTERLEAVED_NULL_DIR INTERLEAVED_SLOW_DIR]');
  process.exit(2);
}
const TRIALS = Number(process.env.GATE_TRIALS ?? 400);
const PARTS = (process.env.GATE_PARTS ?? 'real,simulated,interleaved').split(',');
const load = async (d) => (await loadRuns(d, '.')).runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
const nullRuns = await load(nullDir),
  slowRuns = await load(slowDir);
let stream = 0;
const rand = (n) => Array.from(fillRandom({ seed: 1130, stream: stream++ }, 'uniform', 'f64', n));
/** k distinct indices of [0, n). */
function pick(n, k, u) {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(u[i] * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k);
}
const speedOnly = (base, cur) =>
  gate(base, cur, { allowMissing: true }).reasons.filter((r) => r.startsWith('slower')).length > 0;
const pct = (x, n) => `${((100 * x) / n).toFixed(1)}% (${x}/${n})`;

function realRates(k) {
  let falseFail = 0,
    caught = 0,
    nullTrials = 0,
    altTrials = 0;
  for (let t = 0; t < TRIALS; t++) {
    const u = rand(2 * nullRuns.length + slowRuns.length);
    if (nullRuns.length >= 2 * k) {
      const ix = pick(nullRuns.length, 2 * k, u);
      if (
        speedOnly(
          ix.slice(0, k).map((i) => nullRuns[i]),
          ix.slice(k).map((i) => nullRuns[i]),
        )
      )
        falseFail++;
      nullTrials++;
    }
    const ib = pick(nullRuns.length, k, u.slice(nullRuns.length)),
      is = pick(slowRuns.length, k, u.slice(2 * nullRuns.length));
    if (
      speedOnly(
        ib.map((i) => nullRuns[i]),
        is.map((i) => slowRuns[i]),
      )
    )
      caught++;
    altTrials++;
  }
  return { falseFail: pct(falseFail, nullTrials), power: pct(caught, altTrials) };
}

const same = (a, b) =>
  a.case === b.case && a.label === b.label && a.backend === b.backend && a.dtype === b.dtype && a.threads === b.threads;
const calibrated = (run, b) => b.stats.medianMs / (run.calibrationMs ?? 1);

/**
 * A synthetic run: each benchmark's samples resampled from a random recorded run, moved to the level
 * of another random recorded run (its calibrated median over the benchmark's median across runs: the
 * recorded run-to-run deviation), times `factor`. It keeps the source run's calibration.
 */
function synthetic(runs, factor, u) {
  const src = runs[Math.floor(u[0] * runs.length)],
    other = runs[Math.floor(u[1] * runs.length)];
  let v = 2;
  const benchmarks = src.benchmarks.map((b) => {
    if (b.status !== 'ok') return b;
    const o = other.benchmarks.find((x) => same(x, b));
    const shift = o?.stats === undefined ? 1 : calibrated(other, o) / calibrated(src, b);
    const xs = b.stats.samplesMs;
    const samplesMs = xs.map(() => xs[Math.floor(u[v++ % u.length] * xs.length)] * shift * factor);
    return { ...b, stats: { ...b.stats, samplesMs, medianMs: median(samplesMs) } };
  });
  return { ...src, benchmarks };
}

function simulatedRates(k, factor) {
  let fails = 0;
  for (let t = 0; t < TRIALS; t++) {
    const u = rand(4 * k * 4096);
    const side = (f, off) =>
      Array.from({ length: k }, (_, i) => synthetic(nullRuns, f, u.slice((off + i) * 4096, (off + i + 1) * 4096)));
    if (speedOnly(side(1, 0), side(factor, k))) fails++;
  }
  return pct(fails, TRIALS);
}

async function interleavedRates(dir) {
  if (dir === undefined) return null;
  let fails = 0,
    n = 0;
  for (const sub of (await readdir(dir)).sort()) {
    const base = await readResults(join(dir, sub, 'base.json')),
      cur = await readResults(join(dir, sub, 'current.json'));
    if (speedOnly([base], [cur])) fails++;
    n++;
  }
  return pct(fails, n);
}

const benchmarks = new Set(
  nullRuns.flatMap((r) =>
    r.benchmarks
      .filter((b) => b.status === 'ok')
      .map((b) => `${b.case} ${b.label} ${b.backend} ${b.dtype} ${b.threads}t`),
  ),
);
const injected = median(slowRuns.map((s) => median(compareRuns([nullRuns[0]], [s]).map((c) => c.ratio))));
console.log(
  `runs: ${nullRuns.length} null, ${slowRuns.length} slowed; ${benchmarks.size} benchmarks each; measured slowdown of the slowed runs ×${injected.toFixed(3)}`,
);
for (const k of PARTS.includes('real') ? [1, 2, 3] : []) {
  const r = realRates(k);
  console.log(
    `real runs, ${k} per side: identical build fails the gate ${r.falseFail}; slowed build fails it ${r.power}`,
  );
}
for (const k of PARTS.includes('simulated') ? [1, 3] : [])
  console.log(
    `simulated from the recorded samples, ${k} per side: identical build fails ${simulatedRates(k, 1)}; ×1.3 fails ${simulatedRates(k, 1.3)}`,
  );
const il0 = PARTS.includes('interleaved') ? await interleavedRates(ilNullDir) : null,
  il1 = PARTS.includes('interleaved') ? await interleavedRates(ilSlowDir) : null;
if (il0 !== null)
  console.log(`interleaved pairs (bench --interleave): identical build fails ${il0}; slowed build fails ${il1}`);
