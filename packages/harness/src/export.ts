/**
 * Exporters for results files: Markdown (for a pull-request comment), CSV (one row per benchmark),
 * Bencher Metric Format (https://bencher.dev, `latency` in ns and `throughput` in GFLOP/s per
 * benchmark), and the backend speedup matrix of one run.
 */
import { logLogSlope } from '@lowrank/core';
import type { BenchRecord } from './bench.ts';
import { formatMeasured, formatPaperNumbers } from './claims.ts';
import type { Measured } from './measured.ts';
import type { ResultsFile } from './results.ts';

/** A backend configuration as tables and charts name it: `wasm 2t` (with its thread count), `webgpu`, `ref`. */
export function backendLabel(r: Pick<BenchRecord, 'backend' | 'threads'>): string {
  return r.backend === 'wasm' ? `wasm ${r.threads}t` : r.backend;
}

export interface SpeedupRow {
  benchmark: string;
  medians: Record<string, number>;
  speedup: Record<string, number>;
}

/**
 * For each (case, params, dtype), the median of every backend configuration of the run and its
 * speedup over the reference column `wasm 1t`. A row without that reference has no speedups (shown
 * as n/a): dividing by another of its own columns would read 1.00× for a backend against itself.
 * `rowPrefix` names a row's group when the benchmarks come from several machines.
 */
export function speedupMatrix(
  run: Pick<ResultsFile, 'benchmarks'>,
  rowPrefix: (r: BenchRecord) => string = () => '',
): { columns: string[]; rows: SpeedupRow[] } {
  const groups = new Map<string, Record<string, number>>();
  for (const r of run.benchmarks) {
    if (r.status !== 'ok' || r.stats === undefined) continue;
    const k = `${rowPrefix(r)}${r.case} ${r.label} ${r.dtype}`;
    groups.set(k, { ...groups.get(k), [backendLabel(r)]: r.stats.medianMs });
  }
  const columns = [...new Set([...groups.values()].flatMap((g) => Object.keys(g)))].sort();
  const rows = [...groups.entries()].map(([benchmark, medians]) => {
    const ref = medians['wasm 1t'];
    const speedup =
      ref === undefined ? {} : Object.fromEntries(Object.entries(medians).map(([c, ms]) => [c, ref / ms]));
    return { benchmark, medians, speedup };
  });
  return { columns, rows };
}

/** A speedup matrix cell: the ratio, n/a when the row has no reference, — when the column has no median. */
export function speedupCell(r: SpeedupRow, column: string): string {
  if (r.medians[column] === undefined) return '—';
  return r.speedup[column] === undefined ? 'n/a' : `${r.speedup[column].toFixed(2)}×`;
}

export interface ScalingRow {
  series: string;
  param: string;
  sizes: number[];
  slope: number;
}

/**
 * The empirical complexity exponent of each benchmark series: the log-log slope of median time
 * against the one numeric parameter that varies within (case, backend, threads, dtype), where there
 * are at least three sizes. E.g. M-FAC's IHVP time against d (the paper's O(dm): slope 1).
 */
export function scalingSlopes(records: readonly BenchRecord[]): ScalingRow[] {
  const groups = new Map<string, BenchRecord[]>();
  for (const r of records) {
    if (r.status !== 'ok' || r.stats === undefined) continue;
    const k = `${r.case} ${backendLabel(r)} ${r.dtype}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const rows: ScalingRow[] = [];
  for (const [series, rs] of groups) {
    const varying = Object.keys(rs[0].params).filter((k) => new Set(rs.map((r) => r.params[k])).size > 1);
    if (varying.length !== 1 || rs.some((r) => typeof r.params[varying[0]] !== 'number')) continue;
    const points = rs
      .map((r) => [r.params[varying[0]] as number, r.stats!.medianMs] as const)
      .sort((a, b) => a[0] - b[0]);
    if (points.length < 3) continue;
    rows.push({
      series,
      param: varying[0],
      sizes: points.map((p) => p[0]),
      slope: logLogSlope(
        points.map((p) => p[0]),
        points.map((p) => p[1]),
      ),
    });
  }
  return rows;
}

/** A Markdown table; a cell's `|` and line breaks are escaped, so text from a results file cannot break a row. */
function mdTable(header: string[], rows: string[][]): string {
  const cell = (x: string) => x.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/**
 * The README's claims table, generated from a results file of `lowrank claims --full` (never typed by
 * hand): per claim, the paper's numbers beside ours, each predicate with its evidence kind and outcome,
 * and the verdict with the time the experiment took.
 */
export function claimsTable(run: ResultsFile): string {
  const claims = [...run.claims].sort((a, b) => a.paper.localeCompare(b.paper) || a.claim.localeCompare(b.claim));
  return mdTable(
    ['paper', 'claim', "paper's numbers", 'measured here (full experiment)', 'predicates (evidence kind)', 'verdict'],
    claims.map((c) => [
      `${c.paper} \`${c.claim}\``,
      c.title,
      formatPaperNumbers(c),
      c.message ?? formatMeasured(c),
      c.predicates.map((p) => `${p.holds ? '✓' : '✗'} ${p.kind ?? '?'}: ${p.name}`).join('; '),
      `**${c.status}** (${backendLabel(c)} ${c.dtype}, ${Math.round(c.durationMs / 1000)} s)`,
    ]),
  );
}

/** '—' for a missing value; a non-finite one by name (NaN, Infinity), never as missing. */
const fmt = (x: Measured | undefined, d = 3) =>
  x === undefined ? '—' : typeof x === 'string' || !Number.isFinite(x) ? String(x) : x.toPrecision(d);

export function toMarkdown(runs: readonly ResultsFile[]): string {
  const parts: string[] = [];
  for (const run of runs) {
    parts.push(
      `## Run ${run.runId} — ${run.machine.key} (${run.startedAt}${run.status === 'incomplete' ? ', incomplete' : ''})`,
    );
    const failing = run.verification.filter((v) => v.status === 'fail' || v.status === 'error');
    const passed = run.verification.filter((v) => v.status === 'pass').length;
    if (run.verification.length > 0)
      parts.push(
        `Verification: ${passed} passed, ${failing.length} failing${
          failing.length > 0
            ? `: ${failing
                .slice(0, 10)
                .map((v) => `${v.case} [${v.entry}] ${v.backend} ${v.dtype}`)
                .join('; ')}`
            : ''
        }.`,
      );
    const ok = run.benchmarks.filter((b) => b.status === 'ok');
    if (ok.length > 0) {
      parts.push(
        mdTable(
          ['case', 'params', 'backend', 'dtype', 'median ms', 'MAD ms', 'GFLOP/s', 'GB/s', 'accuracy'],
          ok.map((b) => [
            b.case,
            b.label,
            backendLabel(b),
            b.dtype,
            fmt(b.stats?.medianMs, 4),
            fmt(b.stats?.madMs, 2),
            fmt(b.gflops),
            fmt(b.gbps),
            fmt(b.accuracy?.value, 2),
          ]),
        ),
      );
      const m = speedupMatrix(run);
      if (m.columns.length > 1) {
        parts.push('Speedup over wasm 1 thread (n/a: the benchmark has no wasm 1-thread run):');
        parts.push(
          mdTable(
            ['benchmark', ...m.columns],
            m.rows.map((r) => [r.benchmark, ...m.columns.map((c) => speedupCell(r, c))]),
          ),
        );
      }
    }
    const scaling = scalingSlopes(run.benchmarks);
    if (scaling.length > 0) {
      parts.push('Scaling (log-log slope of median time against the size parameter):');
      parts.push(
        mdTable(
          ['series', 'parameter', 'sizes', 'slope'],
          scaling.map((r) => [r.series, r.param, r.sizes.join(', '), r.slope.toFixed(2)]),
        ),
      );
    }
    if (run.claims.length > 0) {
      parts.push(
        mdTable(
          ['paper', 'claim', 'backend', 'dtype', 'mode', 'status', "paper's numbers", 'measured'],
          run.claims.map((c) => [
            c.paper,
            c.claim,
            backendLabel(c),
            c.dtype,
            c.mode,
            c.status,
            formatPaperNumbers(c),
            c.message ?? formatMeasured(c),
          ]),
        ),
      );
    }
  }
  return `${parts.join('\n\n')}\n`;
}

const CSV_HEADER = [
  'run',
  'machine',
  'case',
  'params',
  'backend',
  'threads',
  'dtype',
  'status',
  'median_ms',
  'mad_ms',
  'p75_ms',
  'p99_ms',
  'samples',
  'gflops',
  'gbps',
  'accuracy',
];

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(runs: readonly ResultsFile[]): string {
  const rows = runs.flatMap((run) =>
    run.benchmarks.map((b) => [
      run.runId,
      run.machine.key,
      b.case,
      b.label,
      b.backend,
      b.threads,
      b.dtype,
      b.status,
      b.stats?.medianMs,
      b.stats?.madMs,
      b.stats?.p75Ms,
      b.stats?.p99Ms,
      b.stats?.samples,
      b.gflops,
      b.gbps,
      b.accuracy?.value,
    ]),
  );
  return `${[CSV_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

/** Bencher Metric Format: { benchmark: { latency: {value, lower_value, upper_value} (ns), throughput: {value} (GFLOP/s) } }. */
export function toBencher(
  runs: readonly ResultsFile[],
): Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>> {
  const out: Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>> = {};
  for (const run of runs) {
    for (const b of run.benchmarks) {
      if (b.status !== 'ok' || b.stats === undefined) continue;
      const name = `${b.case} ${b.label} ${backendLabel(b)} ${b.dtype}`;
      out[name] = {
        latency: {
          value: b.stats.medianMs * 1e6,
          lower_value: Math.max(0, b.stats.medianMs - b.stats.madMs) * 1e6,
          upper_value: (b.stats.medianMs + b.stats.madMs) * 1e6,
        },
        ...(b.gflops === undefined ? {} : { throughput: { value: b.gflops } }),
      };
    }
  }
  return out;
}
