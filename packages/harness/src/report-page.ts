/**
 * The report's page: the HTML shell and its script, plain JavaScript reading `window.REPORT` (report.ts
 * writes it beside them) and drawing with ECharts. Everything from the results files is data: the
 * script builds text nodes, never HTML from strings, and tooltip formatters escape what they show.
 */

export const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lowrank-bench report</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px} h2{font-size:17px;margin-top:32px} .chart{height:360px;margin:8px 0 24px}
table{border-collapse:collapse;font-size:13px} td,th{border:1px solid #ccc;padding:4px 8px;text-align:right} th:first-child,td:first-child{text-align:left}
td.claim{text-align:left;max-width:420px} .reproduced{color:#2e7d32} .not{color:#c62828}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:12px} .small{height:280px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;margin:12px 0} .card h3{font-size:15px;margin:4px 0}
.verdict{margin:4px 0 8px;font-size:13px} .card-body{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.2fr);gap:12px}
table.compact td,table.compact th{text-align:left;vertical-align:top;font-size:12px} .claim-plot{height:300px} details{font-size:12px;margin-top:6px}
</style></head><body>
<h1>lowrank-bench report</h1><p id="meta"></p>
<p>Roofline, speed, speedup and accuracy show the newest result of every benchmark and verification entry
(machine × case × parameters × backend × threads × dtype) over the runs read; History shows every run.</p>
<h2>Machines</h2><div id="machines"></div>
<p id="filters">Show: </p>
<h2>Roofline (each backend's points under its roof, from the peaks measured with its run)</h2><div id="roofline" class="chart"></div><div id="roofs"></div>
<h2>Speed against size</h2><div id="speed" class="grid"></div>
<h2>Backend speedup (over wasm on one thread; n/a without that reference, — not run)</h2><div id="speedup"></div>
<h2>Accuracy (worst ratio / threshold; ≤ 1 passes)</h2><div id="accuracy" class="chart"></div>
<h2>History</h2><div id="history" class="grid"></div>
<h2>Papers' claims (the paper's numbers beside ours, and the claim's central relation)</h2><div id="claims"></div>
<script src="echarts.min.js"></script><script src="report-data.js"></script><script src="report.js"></script>
</body></html>
`;

/** The page's script: plain JavaScript reading window.REPORT, one ECharts instance per chart. */
export const SCRIPT = `'use strict';
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
const section = (id) => document.getElementById(id);
const place = (id, child) => section(id).replaceChildren(child);
// A section without data says why instead of drawing an empty frame.
const empty = (id, why) => { section(id).className = ''; place(id, node('p', why, 'empty')); };
const num = (v) => Number(v); // 'NaN' and 'Infinity' come by name from the results file
// Ticks of a log axis span decades: 1e-12, not 0.000000000001.
const tick = (v) => (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) ? v.toExponential(0) : String(Number(v.toPrecision(3))));
section('meta').textContent = 'generated ' + D.generated + ' from ' + D.machines.reduce((s, m) => s + m.runs, 0) + ' run(s)';
place('machines', table(['machine key', 'cpu', 'cores', 'runtime', 'gpu', 'runs'], D.machines.map((m) => [m.key, m.cpu, m.cores, m.runtime, m.gpu, m.runs])));

// The reader picks a machine, a backend and a dtype (or all); every section is drawn again from the
// items whose facet matches.
const F = { machine: '', backend: '', dtype: '' };
// Verification records name the backend without its threads ('wasm'), timed ones with them ('wasm 2t'):
// picking either shows both ('wasm' all of WASM; 'wasm 2t' its benchmarks and WASM's verification).
const sameBackend = (a, b) => a === b || a.startsWith(b + ' ') || b.startsWith(a + ' ');
const keep = (f) => (F.machine === '' || f.machine === F.machine) && (F.backend === '' || f.backend === undefined || sameBackend(f.backend, F.backend)) && (F.dtype === '' || f.dtype === F.dtype);
const allFacets = [].concat(D.speed, D.roofline.points, D.history, D.claims, D.accuracy.columns).map((x) => x.facet);
{
  const bar = section('filters');
  for (const [key, label] of [['machine', 'machine'], ['backend', 'backend'], ['dtype', 'dtype']]) {
    const values = [...new Set(allFacets.map((f) => f[key]))].sort();
    const pick = node('select'); pick.id = 'pick-' + key;
    pick.appendChild(node('option', 'all')).value = '';
    for (const v of values) pick.appendChild(node('option', v)).value = v;
    pick.addEventListener('change', () => { F[key] = pick.value; render(); });
    bar.append(node('label', label + ' '), pick, ' ');
  }
}

const SHAPES = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin', 'arrow'];
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
const families = [...new Set(D.roofline.points.map((p) => p.family))];
const seriesNames = [...new Set(D.roofline.points.map((p) => p.series))];
const colourOf = (name) => COLOURS[seriesNames.indexOf(name) % COLOURS.length];
// A roof min(P, B·I) over the drawn intensities, with its ridge point P/B.
const roofLine = (P, B) => [[0.01, Math.min(P, B * 0.01)], [P / Math.max(B, 1e-9), P], [1000, P]].filter((p, i) => i !== 1 || (p[0] > 0.01 && p[0] < 1000));

function drawRoofline() {
  const points = D.roofline.points.filter((p) => keep(p.facet)), roofs = D.roofline.roofs.filter((r) => keep(r.facet)), fallback = D.roofline.fallback;
  section('roofs').replaceChildren();
  if (points.length === 0) return empty('roofline', 'No benchmark with a cost model in these runs (lowrank bench or lowrank run times them).');
  chart(section('roofline'), {
    tooltip: { formatter: (p) => esc(p.data.name || p.seriesName) }, legend: { type: 'scroll', bottom: 0 }, grid: { bottom: 70 },
    xAxis: { type: 'log', name: 'flop/byte' }, yAxis: { type: 'log', name: 'GFLOP/s' },
    // One colour per backend and dtype, one marker shape per family; three significant digits in tooltips
    // (a software adapter's 0.0123 GFLOP/s does not read 0.0). Each series' roof is drawn dashed in its
    // colour and shares its legend entry, so toggling a backend hides its points and its roof together.
    series: [...new Set(points.map((p) => p.series))].map((name) => ({ name, type: 'scatter', symbolSize: 9, itemStyle: { color: colourOf(name) },
      data: points.filter((p) => p.series === name).map((p) => ({ name: p.name + ': ' + p.gflops.toPrecision(3) + ' GFLOP/s',
        value: [p.intensity, Math.max(p.gflops, 1e-3)], symbol: SHAPES[families.indexOf(p.family) % SHAPES.length] })) })).concat(
      roofs.map((r) => ({ name: r.series, type: 'line', showSymbol: false, silent: true, lineStyle: { type: 'dashed', color: colourOf(r.series) },
        itemStyle: { color: colourOf(r.series) }, data: roofLine(r.gflops, r.gbps) })),
      fallback === null ? [] : [{ name: 'roof: best measured point (no peaks recorded in these runs)', type: 'line', showSymbol: false, data: roofLine(fallback.gflops, fallback.gbps) }]),
  });
  if (roofs.length > 0) place('roofs', table(['roof', 'peak GFLOP/s', 'peak GB/s', 'measured by'],
    roofs.map((r) => [r.series, r.gflops.toPrecision(3), r.gbps.toPrecision(3), r.measuredBy])));
}

function drawSpeed() {
  const byCase = {};
  for (const s of D.speed.filter((x) => keep(x.facet))) (byCase[s.case + ' ' + s.dtype] = byCase[s.case + ' ' + s.dtype] || []).push(s);
  if (Object.keys(byCase).length === 0) return empty('speed', 'No timed benchmark in these runs.');
  for (const [name, series] of Object.entries(byCase)) {
    const el = node('div', undefined, 'small'); section('speed').appendChild(el);
    // The title on top, the legend at the bottom (never over the title); sizes double, so a log axis.
    chart(el, { title: { text: name, textStyle: { fontSize: 13 } }, tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 }, grid: { top: 40, bottom: 70 },
      xAxis: { type: series.every((s) => s.points.every((x) => x[0] > 0)) ? 'log' : 'value', name: series[0].sizeParam, logBase: 2 }, yAxis: { type: 'value', name: 'GFLOP/s' },
      series: series.map((s) => ({ name: s.series, type: 'line', data: s.points })) });
  }
}

function drawSpeedup() {
  const S = D.speedup, cols = S.columns.map((c, j) => [c, j]).filter(([c]) => F.backend === '' || c === F.backend || c === 'wasm 1t');
  const rows = S.rows.filter((r) => keep(r.facet));
  if (rows.length === 0) return empty('speedup', 'No timed benchmark in these runs.');
  place('speedup', table(['benchmark'].concat(cols.map(([c]) => c)), rows.map((r) => [r.benchmark].concat(cols.map(([, j]) => r.cells[j])))));
}

function drawAccuracy() {
  const A = D.accuracy, cols = A.columns.map((c, j) => [c, j]).filter(([c]) => keep(c.facet));
  const index = new Map(cols.map(([, j], k) => [j, k]));
  const cells = A.cells.filter((c) => index.has(c[0])).map((c) => [index.get(c[0]), c[1], c[2], c[3]]);
  if (cells.length === 0) return empty('accuracy', 'No verification in these runs (lowrank verify or lowrank run checks against the goldens).');
  // A row per case, each tall enough for its label: every case is named on the axis.
  section('accuracy').style.height = Math.max(360, 18 * A.cases.length + 140) + 'px';
  chart(section('accuracy'), {
    tooltip: { formatter: (p) => esc(A.cases[p.data[1]] + ' / ' + cols[p.data[0]][0].name + ': ' + p.data[3]) },
    grid: { left: 200, bottom: 80, top: 16 }, xAxis: { type: 'category', data: cols.map(([c]) => c.name) }, yAxis: { type: 'category', data: A.cases, axisLabel: { interval: 0, fontSize: 10 } },
    visualMap: { min: 0, max: 1, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#2e7d32', '#fdd835', '#c62828'] } },
    series: [{ type: 'heatmap', data: cells, label: { show: false } }],
  });
}

// One history chart with a benchmark picker (a chart per benchmark made a page tens of thousands of
// pixels tall), then small multiples only for the benchmarks with a detected change.
const historyOption = (h, fontSize) => ({ title: { text: h.key, textStyle: { fontSize } }, tooltip: { trigger: 'axis' },
  xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'median ms' },
  series: [{ type: 'line', data: h.points, markPoint: { data: h.changes.map((c) => ({ coord: [c[0], c[1]], value: c[2] })) } }] });
function drawHistory() {
  const history = D.history.filter((h) => keep(h.facet));
  if (history.length === 0) return empty('history', 'No benchmark was timed in two or more of these runs, so there is no history to draw.');
  const root = section('history'); root.className = '';
  const picker = node('select'); picker.id = 'history-pick';
  history.forEach((h, i) => { const o = node('option', h.key); o.value = String(i); picker.appendChild(o); });
  const first = Math.max(0, history.findIndex((h) => h.changes.length > 0));
  picker.value = String(first);
  const one = node('div', undefined, 'chart');
  root.replaceChildren(node('label', 'benchmark '), picker, one);
  const c = chart(one, historyOption(history[first], 13));
  picker.addEventListener('change', () => c.setOption(historyOption(history[Number(picker.value)], 13), true));
  const changed = history.filter((h) => h.changes.length > 0);
  root.appendChild(node('h3', changed.length + ' of ' + history.length + ' benchmarks changed'));
  const grid = node('div', undefined, 'grid'); root.appendChild(grid);
  for (const h of changed) { const el = node('div', undefined, 'small'); grid.appendChild(el); chart(el, historyOption(h, 12)); }
}

// Claims: a card each — the verdict and its evidence, the paper's numbers beside our predicates, every
// measured quantity folded away, and the plot the claim declares of its central relation.
const claimPlot = (el, p) => {
  const axis = (a) => (a.categories ? { type: 'category', data: a.categories, name: a.name }
    : { type: a.log ? 'log' : 'value', name: a.name, nameLocation: 'middle', nameGap: 28, scale: true, axisLabel: { formatter: tick } });
  // A mark on a log axis needs a positive value.
  const marks = (p.marks || []).filter((m) => !((m.axis === 'x' ? p.x : p.y).log && !(num(m.at) > 0)))
    .map((m) => ({ [m.axis === 'x' ? 'xAxis' : 'yAxis']: num(m.at), name: m.label,
      // Inside the plot along the line: labels of neighbouring vertical marks do not collide.
      label: { formatter: m.label.replace(/[{}|]/g, ''), fontSize: 10, position: 'insideEndTop' } }));
  chart(el, {
    title: { text: p.title, textStyle: { fontSize: 12, width: 560, overflow: 'break' } },
    tooltip: { trigger: 'item', formatter: (q) => esc(q.seriesName + ': ' + (Array.isArray(q.value) ? q.value.map((v) => typeof v === 'number' ? v.toPrecision(3) : v).join(', ') : q.name)) },
    legend: { type: 'scroll', bottom: 0 }, grid: { top: 56, bottom: 64, left: 64, right: 24 },
    xAxis: axis(p.x), yAxis: Object.assign(axis(p.y), { nameLocation: 'end', nameGap: 12 }),
    series: p.series.map((s, i) => ({
      name: s.name, type: s.style === 'points' ? 'scatter' : 'line', symbolSize: 8,
      lineStyle: s.style === 'reference' ? { type: 'dashed', width: 1 } : undefined, showSymbol: s.style !== 'reference',
      data: s.points.map((q) => [num(q[0]), num(q[1])]),
      markLine: i === 0 && marks.length > 0 ? { silent: true, symbol: 'none', lineStyle: { color: '#888', type: 'dotted' }, data: marks } : undefined,
    })),
  });
};
const held = (status) => status === 'reproduced' || status === 'mechanism verified';
function claimCard(c) {
  const card = node('section', undefined, 'card');
  card.appendChild(node('h3', c.paper + ' · ' + c.title));
  const verdict = node('p', undefined, 'verdict');
  verdict.append(node('b', c.status, held(c.status) ? 'reproduced' : 'not'),
    ' — ' + (c.evidence || 'no predicate ran') + ' · ' + c.backend + ', ' + c.mode + ' run of ' + c.at + ' · ' + c.claim);
  card.appendChild(verdict);
  const body = node('div', undefined, 'card-body');
  const t = node('table', undefined, 'compact');
  const head = node('tr'); head.append(node('th', 'the paper'), node('th', 'ours')); t.appendChild(head);
  const ours = c.message !== undefined ? [node('span', c.message)] : c.predicates.map((q) => node('span', (q.holds ? '✓ ' : '✗ ') + q.kind + ': ' + q.name, q.holds ? 'reproduced' : 'not'));
  for (let i = 0; i < Math.max(c.paperNumbers.length, ours.length); i++) {
    const tr = node('tr'), pn = c.paperNumbers[i];
    tr.appendChild(node('td', pn ? pn.quantity + ': ' + pn.value : ''));
    const td = node('td'); if (ours[i]) td.appendChild(ours[i]); tr.appendChild(td);
    t.appendChild(tr);
  }
  const left = node('div'); left.appendChild(t);
  const all = node('details'); all.append(node('summary', 'all measured quantities'), node('p', c.measured || '(none)'));
  left.appendChild(all);
  const plot = node('div', undefined, 'claim-plot');
  body.append(left, plot);
  card.appendChild(body);
  section('claims').appendChild(card);
  if (c.plot) claimPlot(plot, c.plot);
  else { plot.className = 'claim-plot empty'; plot.textContent = 'No plot recorded: this result was filed before claims declared plots (schema 6).'; }
}
function drawClaims() {
  const claims = D.claims.filter((c) => keep(c.facet));
  if (claims.length === 0) return empty('claims', 'No claims in these runs (lowrank claims or lowrank run checks them).');
  claims.forEach(claimCard);
}

const LAYOUT = { roofline: 'chart', speed: 'grid', speedup: '', accuracy: 'chart', history: 'grid', claims: '' };
function render() {
  for (const c of charts.splice(0)) c.dispose();
  for (const [id, cls] of Object.entries(LAYOUT)) { section(id).className = cls; section(id).replaceChildren(); }
  drawRoofline(); drawSpeed(); drawSpeedup(); drawAccuracy(); drawHistory(); drawClaims();
  window.REPORT_CHARTS = charts.length;
}
render();
`;
