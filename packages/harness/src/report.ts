/**
 * The static HTML report: one folder (index.html, report-data.js, echarts.min.js) that opens from
 * disk with no server. Charts use Apache ECharts: speed against size per case, backend and variant, a
 * roofline (measured GFLOP/s against arithmetic intensity under the machine's best measured compute and
 * bandwidth), the backend speedup matrix, an accuracy heat map (worst ratio / threshold per case and
 * backend) — all from the newest result of each benchmark and entry over the runs —, the history of a
 * picked benchmark over runs and of every benchmark with a change point (steps.ts), the machines side by
 * side, and the papers' claims with the paper's numbers beside the measured ones.
 */
import { ResultsError } from '@lowrank/core';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { formatMeasured, type ClaimRecord, type PlotRecord } from './claims.ts';
import type { BenchRecord } from './bench.ts';
import { backendLabel, speedupCell, speedupMatrix } from './export.ts';
import { fromMeasured } from './measured.ts';
import type { ResultsFile } from './results.ts';
import { detectSteps } from './steps.ts';
import { PAGE, SCRIPT } from './report-page.ts';
import { writeFileAtomic } from './storage.ts';
import type { VerificationRecord } from './verify.ts';

/** What the page's pickers filter on: the machine's key, the backend as labelled (wasm 2t, webgpu) and the dtype. */
export interface Facet {
  machine: string;
  backend: string;
  dtype: string;
}

export interface ReportData {
  generated: string;
  machines: Array<{ key: string; cpu: string; cores: number; runtime: string; gpu: string; runs: number }>;
  /**
   * One series per case × dtype × backend × variant (the parameters other than the size, e.g. gemv's
   * trans or unary's op), so variants at one size are not drawn as one zig-zag line.
   */
  speed: Array<{
    case: string;
    dtype: string;
    series: string;
    sizeParam: string;
    points: Array<[number, number]>;
    facet: Facet;
  }>;
  roofline: {
    /**
     * Each backend and dtype's roof from the peaks measured with its newest run (peaks.ts); `fallback`,
     * the best measured point, only when no run read recorded peaks (files from before schema 6).
     */
    roofs: Array<{ series: string; gflops: number; gbps: number; measuredBy: string; facet: Facet }>;
    fallback: { gflops: number; gbps: number } | null;
    /** `series`: backend and dtype (one colour each); `family`: the case's family (one marker shape each). */
    points: Array<{ name: string; series: string; family: string; intensity: number; gflops: number; facet: Facet }>;
  };
  /** Rows of the speedup matrix with their cells as shown (ratio, n/a without a wasm 1-thread reference, — not run). */
  speedup: { columns: string[]; rows: Array<{ benchmark: string; cells: string[]; facet: Omit<Facet, 'backend'> }> };
  /** Cells [column, case, worst ratio / threshold (a failure drawn at 10), the ratio as text]. */
  accuracy: {
    cases: string[];
    columns: Array<{ name: string; facet: Facet }>;
    cells: Array<[number, number, number, string]>;
  };
  history: Array<{
    key: string;
    points: Array<[string, number]>;
    changes: Array<[string, number, string]>;
    facet: Facet;
  }>;
  /**
   * The latest result of each claim (paper × claim × backend × dtype × mode) over the runs, as a card:
   * the verdict with its evidence, the paper's numbers beside the predicates' outcomes, every measured
   * quantity, and the plot the claim declares, evaluated on this run (absent in files before schema 6).
   */
  claims: Array<{
    paper: string;
    claim: string;
    title: string;
    backend: string;
    mode: string;
    status: string;
    /** 'empirical 1/2 hold, identity 1/1' */
    evidence: string;
    paperNumbers: Array<{ quantity: string; value: string }>;
    predicates: Array<{ name: string; kind: string; holds: boolean; rule: string }>;
    measured: string;
    message?: string;
    plot?: PlotRecord;
    at: string;
    facet: Facet;
  }>;
}

/** The size axis: n when there is one, else the first numeric parameter; the rest name the variant. */
function sizeOf(params: Record<string, number | string | boolean>): { name: string; size: number; variant: string } {
  const name =
    typeof params.n === 'number' ? 'n' : (Object.keys(params).find((k) => typeof params[k] === 'number') ?? '');
  const variant = Object.entries(params)
    .filter(([k]) => k !== name)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  return { name, size: typeof params[name] === 'number' ? (params[name] as number) : 0, variant };
}

const ratioToThreshold = (v: number, threshold: number) => (threshold > 0 ? v / threshold : v > 0 ? Infinity : 0);

/** How many predicates of each evidence kind hold: 'empirical 1/2 hold, identity 1/1'. */
function evidenceLine(predicates: ClaimRecord['predicates']): string {
  const kinds = [...new Set(predicates.map((p) => p.kind ?? 'unstated'))];
  return kinds
    .map((k) => {
      const of = predicates.filter((p) => (p.kind ?? 'unstated') === k);
      return `${k} ${of.filter((p) => p.holds).length}/${of.length} hold`;
    })
    .join(', ');
}

function speedupTable(
  m: ReturnType<typeof speedupMatrix>,
  facetOf: Map<string, Omit<Facet, 'backend'>>,
): ReportData['speedup'] {
  return {
    columns: m.columns,
    rows: m.rows.map((r) => ({
      benchmark: r.benchmark,
      cells: m.columns.map((c) => speedupCell(r, c)),
      facet: facetOf.get(r.benchmark)!,
    })),
  };
}

export function reportData(runs: readonly ResultsFile[]): ReportData {
  const sorted = [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const machines = new Map<string, ReportData['machines'][number]>();
  for (const r of sorted) {
    const s = r.machine.stable;
    const m = machines.get(r.machine.key) ?? {
      key: r.machine.key,
      cpu: s.cpuModel,
      cores: s.cpuCount,
      runtime: `${s.runtime} ${s.runtimeVersion}`,
      gpu: s.gpu?.description ?? 'none',
      runs: 0,
    };
    m.runs++;
    machines.set(r.machine.key, m);
  }
  // Every section but History shows the newest result of each benchmark and verification entry over
  // the runs (per machine when there are several), not only the newest run's: a report of three bench
  // runs and a linalg run shows all of them.
  const where = (run: ResultsFile) => (machines.size > 1 ? `${run.machine.key} · ` : '');
  const facet = (run: ResultsFile, r: { backend: string; threads: number; dtype: string }): Facet => ({
    machine: run.machine.key,
    backend: backendLabel(r),
    dtype: r.dtype,
  });
  const newest = new Map<string, { b: BenchRecord; at: string; facet: Facet }>();
  const newestCheck = new Map<string, VerificationRecord & { at: string; facet: Facet }>();
  const roofs = new Map<string, ReportData['roofline']['roofs'][number]>();
  for (const run of sorted) {
    for (const p of run.peaks ?? []) {
      const series = `${where(run)}${backendLabel(p)} ${p.dtype}`;
      roofs.set(series, {
        series,
        gflops: p.gflops,
        gbps: p.gbps,
        measuredBy: `${p.compute}; ${p.stream}`,
        facet: facet(run, p),
      });
    }
    for (const b of run.benchmarks)
      newest.set(`${where(run)}|${b.case}|${b.label}|${b.backend}|${b.threads}|${b.dtype}`, {
        b,
        at: where(run),
        facet: facet(run, b),
      });
    for (const v of run.verification) {
      newestCheck.set(`${where(run)}|${v.case}|${v.backend}|${v.dtype}|${v.entry}`, {
        ...v,
        at: where(run),
        facet: { machine: run.machine.key, backend: v.backend, dtype: v.dtype },
      });
    }
  }
  const benchmarks = [...newest.values()];
  const machineOf = new Map(benchmarks.map((e) => [e.b, e]));
  const verification = [...newestCheck.values()];
  const speed = new Map<string, ReportData['speed'][number]>();
  const roof: ReportData['roofline']['points'] = [];
  for (const { b, at, facet } of benchmarks) {
    if (b.status !== 'ok' || b.gflops === undefined) continue;
    const backend = `${at}${backendLabel(b)}`;
    const { name, size, variant } = sizeOf(b.params);
    const label = variant === '' ? backend : `${backend} ${variant}`;
    const k = `${b.case}|${b.dtype}|${label}`;
    const series = speed.get(k) ?? { case: b.case, dtype: b.dtype, series: label, sizeParam: name, points: [], facet };
    series.points.push([size, b.gflops]);
    speed.set(k, series);
    if (b.bytes !== undefined && b.flops !== undefined && b.bytes > 0 && b.flops > 0 && b.gflops !== undefined)
      roof.push({
        name: `${b.case} ${b.label} ${backend} ${b.dtype}`,
        series: `${backend} ${b.dtype}`,
        family: b.case.split('/')[0],
        intensity: b.flops / b.bytes,
        gflops: b.gflops,
        facet,
      });
  }
  for (const s of speed.values()) s.points.sort((x, y) => x[0] - y[0]);
  const ok = benchmarks.map(({ b }) => b).filter((b) => b.status === 'ok');
  const cases = [...new Set(verification.map((v) => v.case))];
  const columns = new Map<string, ReportData['accuracy']['columns'][number]>();
  // The worst metric per case and column as [ratio / threshold, as shown]: a NaN ratio or an error is a
  // failure, drawn at the top of the scale and named in the tooltip.
  const worst = new Map<string, [number, string]>();
  for (const v of verification) {
    if (v.status === 'unsupported') continue;
    const column = `${v.at}${v.backend} ${v.dtype}`;
    if (!columns.has(column)) columns.set(column, { name: column, facet: v.facet });
    const scores: Array<[number, string]> =
      v.status === 'error'
        ? [[Infinity, 'error']]
        : v.metrics.map((m) => {
            const value = fromMeasured(m.value);
            if (Number.isNaN(value)) return [Infinity, 'NaN'];
            const r = ratioToThreshold(value, m.threshold);
            return [r, r.toPrecision(3)];
          });
    const k = `${v.case}|${column}`;
    for (const sc of scores) if (sc[0] >= (worst.get(k)?.[0] ?? -1)) worst.set(k, sc);
  }
  const cells: ReportData['accuracy']['cells'] = [];
  const columnNames = [...columns.keys()];
  cases.forEach((c, i) =>
    columnNames.forEach((col, j) => {
      const w = worst.get(`${c}|${col}`);
      if (w !== undefined) cells.push([j, i, Number.isFinite(w[0]) ? w[0] : 10, w[1]]);
    }),
  );
  // History: medians per benchmark over runs, change points by step detection (steps.ts).
  const history = new Map<string, ReportData['history'][number]>();
  for (const run of sorted) {
    for (const b of run.benchmarks) {
      if (b.status !== 'ok' || b.stats === undefined) continue;
      const key = `${where(run)}${b.case} ${b.label} ${backendLabel(b)} ${b.dtype}`;
      const h = history.get(key) ?? { key, points: [], changes: [], facet: facet(run, b) };
      h.points.push([run.startedAt, b.stats.medianMs]);
      history.set(key, h);
    }
  }
  for (const h of history.values()) {
    for (const s of detectSteps(h.points.map((p) => p[1]))) {
      h.changes.push([h.points[s.at][0], h.points[s.at][1], s.after > s.before ? 'slower' : 'faster']);
    }
  }
  const claims = new Map<string, ReportData['claims'][number]>();
  for (const run of sorted) {
    for (const c of run.claims) {
      const backend = `${backendLabel(c)} ${c.dtype}`;
      claims.set(`${where(run)}${c.paper} ${c.claim} ${backend} ${c.mode}`, {
        paper: c.paper,
        claim: c.claim,
        title: c.title,
        backend,
        mode: c.mode,
        status: c.status,
        evidence: evidenceLine(c.predicates),
        paperNumbers: c.paperNumbers,
        predicates: c.predicates.map((p) => ({ name: p.name, kind: p.kind ?? '', holds: p.holds, rule: p.rule })),
        measured: formatMeasured(c),
        message: c.message,
        plot: c.plot,
        at: run.startedAt,
        facet: facet(run, c),
      });
    }
  }
  return {
    generated: new Date().toISOString(),
    machines: [...machines.values()],
    speed: [...speed.values()],
    roofline: {
      roofs: [...roofs.values()].filter((r) => roof.some((p) => p.series === r.series)),
      fallback:
        roofs.size > 0
          ? null
          : { gflops: Math.max(0, ...ok.map((b) => b.gflops ?? 0)), gbps: Math.max(0, ...ok.map((b) => b.gbps ?? 0)) },
      points: roof,
    },
    speedup: speedupTable(
      speedupMatrix({ benchmarks: ok }, (b) => machineOf.get(b)?.at ?? ''),
      new Map(
        benchmarks.map(({ b, at, facet: f }) => [
          `${at}${b.case} ${b.label} ${b.dtype}`,
          { machine: f.machine, dtype: f.dtype },
        ]),
      ),
    ),
    accuracy: { cases, columns: [...columns.values()], cells },
    history: [...history.values()].filter((h) => h.points.length > 1),
    claims: [...claims.values()],
  };
}

/** Writes the report folder; returns the path of index.html. */
export async function writeReport(dir: string, runs: readonly ResultsFile[]): Promise<string> {
  try {
    await mkdir(dir, { recursive: true });
    const echarts = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
    await copyFile(echarts, join(dir, 'echarts.min.js'));
    await writeFileAtomic(join(dir, 'report-data.js'), `window.REPORT = ${JSON.stringify(reportData(runs))};\n`, {
      overwrite: true,
    });
    await writeFileAtomic(join(dir, 'report.js'), SCRIPT, { overwrite: true });
    const index = join(dir, 'index.html');
    await writeFileAtomic(index, PAGE, { overwrite: true });
    return index;
  } catch (cause) {
    throw new ResultsError(`${dir}: cannot write the report (${(cause as Error).message})`, { cause });
  }
}
