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
import { formatMeasured, formatPaperNumbers } from './claims.ts';
import type { BenchRecord } from './bench.ts';
import { backendLabel, speedupCell, speedupMatrix } from './export.ts';
import { fromMeasured } from './measured.ts';
import type { ResultsFile } from './results.ts';
import { detectSteps } from './steps.ts';
import { writeFileAtomic } from './storage.ts';
import type { VerificationRecord } from './verify.ts';

export interface ReportData {
  generated: string;
  machines: Array<{ key: string; cpu: string; cores: number; runtime: string; gpu: string; runs: number }>;
  /**
   * One series per case × dtype × backend × variant (the parameters other than the size, e.g. gemv's
   * trans or unary's op), so variants at one size are not drawn as one zig-zag line.
   */
  speed: Array<{ case: string; dtype: string; series: string; sizeParam: string; points: Array<[number, number]> }>;
  roofline: {
    /**
     * Each backend and dtype's roof from the peaks measured with its newest run (peaks.ts); `fallback`,
     * the best measured point, only when no run read recorded peaks (files from before schema 6).
     */
    roofs: Array<{ series: string; gflops: number; gbps: number; measuredBy: string }>;
    fallback: { gflops: number; gbps: number } | null;
    /** `series`: backend and dtype (one colour each); `family`: the case's family (one marker shape each). */
    points: Array<{ name: string; series: string; family: string; intensity: number; gflops: number }>;
  };
  /** Rows of the speedup matrix with their cells as shown (ratio, n/a without a wasm 1-thread reference, — not run). */
  speedup: { columns: string[]; rows: Array<{ benchmark: string; cells: string[] }> };
  accuracy: { cases: string[]; columns: string[]; cells: Array<[number, number, number]> };
  history: Array<{ key: string; points: Array<[string, number]>; changes: Array<[string, number, string]> }>;
  /** The latest result of each claim (paper × claim × backend × dtype × mode) over the runs. */
  claims: Array<{
    paper: string;
    claim: string;
    backend: string;
    mode: string;
    status: string;
    paperNumbers: string;
    measured: string;
    at: string;
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

function speedupTable(m: ReturnType<typeof speedupMatrix>): ReportData['speedup'] {
  return {
    columns: m.columns,
    rows: m.rows.map((r) => ({ benchmark: r.benchmark, cells: m.columns.map((c) => speedupCell(r, c)) })),
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
  const newest = new Map<string, { b: BenchRecord; at: string }>();
  const newestCheck = new Map<string, VerificationRecord & { at: string }>();
  const roofs = new Map<string, ReportData['roofline']['roofs'][number]>();
  for (const run of sorted) {
    for (const p of run.peaks ?? []) {
      const series = `${where(run)}${backendLabel(p)} ${p.dtype}`;
      roofs.set(series, { series, gflops: p.gflops, gbps: p.gbps, measuredBy: `${p.compute}; ${p.stream}` });
    }
    for (const b of run.benchmarks)
      newest.set(`${where(run)}|${b.case}|${b.label}|${b.backend}|${b.threads}|${b.dtype}`, { b, at: where(run) });
    for (const v of run.verification) {
      newestCheck.set(`${where(run)}|${v.case}|${v.backend}|${v.dtype}|${v.entry}`, { ...v, at: where(run) });
    }
  }
  const benchmarks = [...newest.values()];
  const machineOf = new Map(benchmarks.map(({ b, at }) => [b, at]));
  const verification = [...newestCheck.values()];
  const speed = new Map<string, ReportData['speed'][number]>();
  const roof: ReportData['roofline']['points'] = [];
  for (const { b, at } of benchmarks) {
    if (b.status !== 'ok' || b.gflops === undefined) continue;
    const backend = `${at}${backendLabel(b)}`;
    const { name, size, variant } = sizeOf(b.params);
    const label = variant === '' ? backend : `${backend} ${variant}`;
    const k = `${b.case}|${b.dtype}|${label}`;
    const series = speed.get(k) ?? { case: b.case, dtype: b.dtype, series: label, sizeParam: name, points: [] };
    series.points.push([size, b.gflops]);
    speed.set(k, series);
    if (b.bytes !== undefined && b.flops !== undefined && b.bytes > 0 && b.flops > 0 && b.gflops !== undefined)
      roof.push({
        name: `${b.case} ${b.label} ${backend} ${b.dtype}`,
        series: `${backend} ${b.dtype}`,
        family: b.case.split('/')[0],
        intensity: b.flops / b.bytes,
        gflops: b.gflops,
      });
  }
  for (const s of speed.values()) s.points.sort((x, y) => x[0] - y[0]);
  const ok = benchmarks.map(({ b }) => b).filter((b) => b.status === 'ok');
  const cases = [...new Set(verification.map((v) => v.case))];
  const columns = [
    ...new Set(verification.filter((v) => v.status !== 'unsupported').map((v) => `${v.at}${v.backend} ${v.dtype}`)),
  ];
  const worst = new Map<string, number>();
  for (const v of verification) {
    if (v.status === 'unsupported') continue;
    const k = `${v.case}|${v.at}${v.backend} ${v.dtype}`;
    const score =
      v.status === 'error'
        ? Infinity
        : Math.max(
            0,
            ...v.metrics.map((m) =>
              // A NaN ratio is a failure, drawn at the top of the scale.
              Number.isNaN(fromMeasured(m.value)) ? Infinity : ratioToThreshold(fromMeasured(m.value), m.threshold),
            ),
          );
    worst.set(k, Math.max(worst.get(k) ?? 0, score));
  }
  const cells: Array<[number, number, number]> = [];
  cases.forEach((c, i) =>
    columns.forEach((col, j) => {
      const w = worst.get(`${c}|${col}`);
      if (w !== undefined) cells.push([j, i, Number.isFinite(w) ? w : 10]);
    }),
  );
  // History: medians per benchmark over runs, change points by step detection (steps.ts).
  const history = new Map<string, ReportData['history'][number]>();
  for (const run of sorted) {
    for (const b of run.benchmarks) {
      if (b.status !== 'ok' || b.stats === undefined) continue;
      const key = `${b.case} ${b.label} ${backendLabel(b)} ${b.dtype}`;
      const h = history.get(key) ?? { key, points: [], changes: [] };
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
      claims.set(`${c.paper} ${c.claim} ${backend} ${c.mode}`, {
        paper: c.paper,
        claim: c.claim,
        backend,
        mode: c.mode,
        status: c.status,
        paperNumbers: formatPaperNumbers(c),
        measured: c.message ?? formatMeasured(c),
        at: run.startedAt,
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
    speedup: speedupTable(speedupMatrix({ benchmarks: ok }, (b) => machineOf.get(b) ?? '')),
    accuracy: { cases, columns, cells },
    history: [...history.values()].filter((h) => h.points.length > 1),
    claims: [...claims.values()],
  };
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lowrank-bench report</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px} h2{font-size:17px;margin-top:32px} .chart{height:360px;margin:8px 0 24px}
table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #ccc;padding:4px 8px;text-align:right} th:first-child,td:first-child{text-align:left}
td.claim{text-align:left;max-width:420px} .reproduced{color:#2e7d32} .not{color:#c62828}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:12px} .small{height:280px}
</style></head><body>
<h1>lowrank-bench report</h1><p id="meta"></p>
<p>Roofline, speed, speedup and accuracy show the newest result of every benchmark and verification entry
(machine × case × parameters × backend × threads × dtype) over the runs read; History shows every run.</p>
<h2>Machines</h2><div id="machines"></div>
<h2>Roofline (each backend's points under its roof, from the peaks measured with its run)</h2><div id="roofline" class="chart"></div>
<h2>Speed against size</h2><div id="speed" class="grid"></div>
<h2>Backend speedup (over wasm on one thread; n/a without that reference, — not run)</h2><div id="speedup"></div>
<h2>Accuracy (worst ratio / threshold; ≤ 1 passes)</h2><div id="accuracy" class="chart"></div>
<h2>History</h2><div id="history" class="grid"></div>
<h2>Papers' claims (the paper's numbers beside ours)</h2><div id="claims"></div>
<script src="echarts.min.js"></script><script src="report-data.js"></script><script src="report.js"></script>
</body></html>
`;

/** The page's script: plain JavaScript reading window.REPORT, one ECharts instance per chart. */
const SCRIPT = `'use strict';
const D = window.REPORT;
const charts = [];
const chart = (el, option) => { const c = echarts.init(el); c.setOption(Object.assign({ animation: false }, option)); charts.push(c); return c; };
// Everything from the results files is data: tables are built as DOM nodes with textContent (never
// innerHTML), and tooltip formatters, whose strings ECharts renders as HTML, escape what they show.
const esc = (x) => String(x).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
const node = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = String(text); if (cls) e.className = cls; return e; };
const table = (head, rows, cellClass) => {
  const t = node('table'), h = node('tr');
  for (const x of head) h.appendChild(node('th', x));
  t.appendChild(h);
  rows.forEach((r, i) => { const tr = node('tr'); r.forEach((c, j) => tr.appendChild(node('td', c, cellClass && cellClass(i, j)))); t.appendChild(tr); });
  return t;
};
const place = (id, child) => document.getElementById(id).replaceChildren(child);
// A section without data says why instead of drawing an empty frame.
const empty = (id, why) => { const el = document.getElementById(id); el.className = ''; place(id, node('p', why, 'empty')); };
document.getElementById('meta').textContent = 'generated ' + D.generated + ' from ' + D.machines.reduce((s, m) => s + m.runs, 0) + ' run(s)';
place('machines', table(['machine key', 'cpu', 'cores', 'runtime', 'gpu', 'runs'], D.machines.map((m) => [m.key, m.cpu, m.cores, m.runtime, m.gpu, m.runs])));
const R = D.roofline;
const SHAPES = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin', 'arrow'];
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
const families = [...new Set(R.points.map((p) => p.family))];
const seriesNames = [...new Set(R.points.map((p) => p.series))];
const colourOf = (name) => COLOURS[seriesNames.indexOf(name) % COLOURS.length];
// A roof min(P, B·I) over the drawn intensities, with its ridge point P/B.
const roofLine = (P, B) => [[0.01, Math.min(P, B * 0.01)], [P / Math.max(B, 1e-9), P], [1000, P]].filter((p, i) => i !== 1 || (p[0] > 0.01 && p[0] < 1000));
if (R.points.length === 0) empty('roofline', 'No benchmark with a cost model in these runs (lowrank bench or lowrank run times them).');
else chart(document.getElementById('roofline'), {
  tooltip: { formatter: (p) => esc(p.data.name || p.seriesName) }, legend: { type: 'scroll', bottom: 0 }, grid: { bottom: 70 },
  xAxis: { type: 'log', name: 'flop/byte' }, yAxis: { type: 'log', name: 'GFLOP/s' },
  // One colour per backend and dtype, one marker shape per family; three significant digits in tooltips
  // (a software adapter's 0.0123 GFLOP/s does not read 0.0). Each series' roof is drawn dashed in its
  // colour and shares its legend entry, so toggling a backend hides its points and its roof together.
  series: seriesNames.map((name) => ({ name, type: 'scatter', symbolSize: 9, itemStyle: { color: colourOf(name) },
    data: R.points.filter((p) => p.series === name).map((p) => ({ name: p.name + ': ' + p.gflops.toPrecision(3) + ' GFLOP/s',
      value: [p.intensity, Math.max(p.gflops, 1e-3)], symbol: SHAPES[families.indexOf(p.family) % SHAPES.length] })) })).concat(
    R.roofs.map((r) => ({ name: r.series, type: 'line', showSymbol: false, silent: true, lineStyle: { type: 'dashed', color: colourOf(r.series) },
      itemStyle: { color: colourOf(r.series) }, data: roofLine(r.gflops, r.gbps) })),
    R.fallback === null ? [] : [{ name: 'roof: best measured point (no peaks recorded in these runs)', type: 'line', showSymbol: false, data: roofLine(R.fallback.gflops, R.fallback.gbps) }]),
});
if (R.roofs.length > 0) document.getElementById('roofline').after(table(['roof', 'peak GFLOP/s', 'peak GB/s', 'measured by'],
  R.roofs.map((r) => [r.series, r.gflops.toPrecision(3), r.gbps.toPrecision(3), r.measuredBy])));
const byCase = {};
for (const s of D.speed) (byCase[s.case + ' ' + s.dtype] = byCase[s.case + ' ' + s.dtype] || []).push(s);
if (D.speed.length === 0) empty('speed', 'No timed benchmark in these runs.');
for (const [name, series] of Object.entries(byCase)) {
  const el = document.createElement('div'); el.className = 'small'; document.getElementById('speed').appendChild(el);
  // The title on top, the legend at the bottom (never over the title); sizes double, so a log axis.
  chart(el, { title: { text: name, textStyle: { fontSize: 13 } }, tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', bottom: 0 }, grid: { top: 40, bottom: 70 },
    xAxis: { type: series.every((s) => s.points.every((x) => x[0] > 0)) ? 'log' : 'value', name: series[0].sizeParam, logBase: 2 }, yAxis: { type: 'value', name: 'GFLOP/s' },
    series: series.map((s) => ({ name: s.series, type: 'line', data: s.points })) });
}
const S = D.speedup;
if (S.rows.length === 0) empty('speedup', 'No timed benchmark in these runs.');
else place('speedup', table(['benchmark'].concat(S.columns), S.rows.map((r) => [r.benchmark].concat(r.cells))));
const A = D.accuracy;
if (A.cells.length === 0) empty('accuracy', 'No verification in these runs (lowrank verify or lowrank run checks against the goldens).');
else chart(document.getElementById('accuracy'), {
  tooltip: { formatter: (p) => esc(A.cases[p.data[1]] + ' / ' + A.columns[p.data[0]] + ': ' + p.data[2].toPrecision(3)) },
  grid: { left: 180 }, xAxis: { type: 'category', data: A.columns }, yAxis: { type: 'category', data: A.cases },
  visualMap: { min: 0, max: 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#2e7d32', '#fdd835', '#c62828'] } },
  series: [{ type: 'heatmap', data: A.cells, label: { show: false } }],
});
if (D.history.length === 0) empty('history', 'No benchmark was timed in two or more of these runs, so there is no history to draw.');
// One history chart with a benchmark picker (a chart per benchmark made a page tens of thousands of
// pixels tall), then small multiples only for the benchmarks with a detected change.
const historyOption = (h, fontSize) => ({ title: { text: h.key, textStyle: { fontSize } }, tooltip: { trigger: 'axis' },
  xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'median ms' },
  series: [{ type: 'line', data: h.points, markPoint: { data: h.changes.map((c) => ({ coord: [c[0], c[1]], value: c[2] })) } }] });
if (D.history.length > 0) {
  const root = document.getElementById('history'); root.className = '';
  const picker = node('select'); picker.id = 'history-pick';
  D.history.forEach((h, i) => { const o = node('option', h.key); o.value = String(i); picker.appendChild(o); });
  const first = Math.max(0, D.history.findIndex((h) => h.changes.length > 0));
  picker.value = String(first);
  const one = node('div', undefined, 'chart');
  root.replaceChildren(node('label', 'benchmark '), picker, one);
  const c = chart(one, historyOption(D.history[first], 13));
  picker.addEventListener('change', () => c.setOption(historyOption(D.history[Number(picker.value)], 13), true));
  const changed = D.history.filter((h) => h.changes.length > 0);
  root.appendChild(node('h3', changed.length + ' of ' + D.history.length + ' benchmarks changed'));
  const grid = node('div', undefined, 'grid'); root.appendChild(grid);
  for (const h of changed) { const el = node('div', undefined, 'small'); grid.appendChild(el); chart(el, historyOption(h, 12)); }
}
if (D.claims.length === 0) place('claims', node('p', 'No claims in these runs (lowrank claims runs them).'));
else place('claims', table(['paper', 'claim', 'backend', 'mode', 'status', 'paper', 'measured', 'run'],
  D.claims.map((c) => [c.paper, c.claim, c.backend, c.mode, c.status, c.paperNumbers, c.measured, c.at]),
  (i, j) => (j === 4 ? (D.claims[i].status === 'reproduced' || D.claims[i].status === 'mechanism verified' ? 'reproduced' : 'not') : j === 1 || j === 5 || j === 6 ? 'claim' : '')));
window.REPORT_CHARTS = charts.length;
`;

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
