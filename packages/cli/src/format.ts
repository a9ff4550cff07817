import { DTYPES, PRIMITIVES, type Backend } from '@lowrank/core';
import {
  backendLabel,
  formatMeasured,
  formatPaperNumbers,
  fromMeasured,
  scalingSlopes,
  type Measured,
  type BenchRecord,
  type BackendStatus,
  type ClaimRecord,
  type Fingerprint,
  type VerificationRecord,
} from '@lowrank/harness';

/** A plain-text table with right-aligned numeric columns. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every((r) => /^[-+]?[\d.,e+×%-]*$/.test(r[i]) || r[i] === '—' || /^-?(NaN|Infinity)$/.test(r[i])),
  );
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

function num(v: Measured | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string' || !Number.isFinite(v)) return String(v); // NaN and Infinity are data, not missing
  if (v === 0) return '0';
  return Math.abs(v) >= 0.01 && Math.abs(v) < 1e5 ? v.toPrecision(digits) : v.toExponential(1);
}

/** The capability tables side by side: which (primitive, dtype) each backend has a kernel for. */
export function formatCapabilities(backends: readonly Backend[]): string {
  const cols = backends.flatMap((b) => DTYPES.map((d) => ({ b, d })));
  const rows = PRIMITIVES.map((p) => [
    p,
    ...cols.map(({ b, d }) => (b.capabilities[p]?.includes(d) ? 'yes' : 'no kernel')),
  ]);
  return table(['primitive', ...cols.map(({ b, d }) => `${b.name} ${d}`)], rows);
}

export function formatInfo(fp: Fingerprint, backends: readonly BackendStatus[]): string {
  const s = fp.stable;
  const lines = [
    `machine   ${fp.key}`,
    `cpu       ${s.cpuModel} × ${s.cpuCount}, ${s.memoryGiB} GiB, ${s.os}/${s.arch}`,
    `runtime   ${s.runtime} ${s.runtimeVersion}${fp.volatile.runtimeFlags.length > 0 ? ` (${fp.volatile.runtimeFlags.join(' ')})` : ''}`,
    `wasm      simd ${s.wasm.simd ? 'yes' : 'no'}, relaxed-simd ${s.wasm.relaxedSimd ? 'yes' : 'no (Node 20: --experimental-wasm-relaxed-simd)'}, threads ${s.wasm.threads ? 'yes' : 'no'}`,
    `gpu       ${s.gpu === null ? 'none (no WebGPU adapter opened)' : `${s.gpu.description} (${s.gpu.vendor}, ${s.gpu.architecture}, via ${s.gpu.device})`}`,
    '',
    table(
      ['backend', 'available', 'description / reason'],
      backends.map((b) => [b.name, b.available ? 'yes' : 'no', b.available ? b.description : (b.reason ?? '')]),
    ),
  ];
  return lines.join('\n');
}

/**
 * One row per case × backend × dtype: entries passed, worst ratio against its threshold. Pairs the
 * backend has no kernel for are folded into one line per backend and dtype under the table.
 */
export function formatVerification(records: readonly VerificationRecord[]): string {
  const groups = new Map<string, VerificationRecord[]>();
  for (const r of records) {
    if (r.status === 'unsupported') continue;
    const k = `${r.case}\u0000${r.backend}\u0000${r.dtype}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const rows = [...groups.values()].map((rs) => {
    const r0 = rs[0];
    const passed = rs.filter((r) => r.status === 'pass').length;
    // The metric furthest over its threshold; a NaN one is the worst of all (and prints as NaN).
    const score = (m: VerificationRecord['metrics'][number]) => {
      const v = fromMeasured(m.value);
      return Number.isNaN(v) ? Infinity : v / Math.max(m.threshold, 1e-300);
    };
    const worst = rs
      .flatMap((r) => r.metrics)
      .reduce<VerificationRecord['metrics'][number] | null>(
        (w, m) => (w === null || score(m) > score(w) ? m : w),
        null,
      );
    const status = rs.some((r) => r.status === 'error')
      ? 'ERROR'
      : rs.some((r) => r.status === 'fail')
        ? 'FAIL'
        : 'pass';
    return [
      r0.case,
      r0.backend,
      r0.dtype,
      status,
      `${passed}/${rs.length}`,
      worst === null ? '—' : num(worst.value),
      worst === null ? '—' : num(worst.threshold),
    ];
  });
  return [
    table(['case', 'backend', 'dtype', 'status', 'passed', 'worst ratio', 'threshold'], rows),
    ...foldNotRun(records, 'case'),
  ].join('\n');
}

/**
 * The records a backend could not run, one line per reason with a count ("not run: f16 on wasm:
 * WebAssembly has no f16 arithmetic (58 benchmarks)"), instead of a table row each.
 */
export function foldNotRun(records: ReadonlyArray<{ status: string; message?: string }>, noun: string): string[] {
  const counts = new Map<string, number>();
  for (const r of records)
    if (r.status === 'unsupported') counts.set(r.message ?? 'not run', (counts.get(r.message ?? 'not run') ?? 0) + 1);
  return [...counts].map(([why, n]) => `${why} (${n} ${noun}${n > 1 ? 's' : ''})`);
}

export function formatBench(records: readonly BenchRecord[]): string {
  const rows = records
    .filter((r) => r.status !== 'unsupported')
    .map((r) => [
      r.case.replace(/^[^/]+\//, ''),
      r.label,
      r.backend,
      r.dtype,
      String(r.threads),
      r.status === 'ok' ? num(r.stats?.medianMs, 4) : r.status,
      r.status === 'ok' ? num(r.stats?.madMs, 2) : '—',
      r.status === 'ok' ? num(r.gflops) : '—',
      r.status === 'ok' ? num(r.gbps) : '—',
      r.accuracy === undefined ? '—' : num(r.accuracy.value, 2),
    ]);
  return [
    table(
      ['case', 'params', 'backend', 'dtype', 'threads', 'median ms', 'MAD ms', 'GFLOP/s', 'GB/s', 'accuracy'],
      rows,
    ),
    ...foldNotRun(records, 'benchmark'),
  ].join('\n');
}

/** Words folded into lines of at most `width` characters; the lines after the first start with `indent`. */
export function wrap(text: string, width = 110, indent = '            '): string {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    if (line.length > lead.length && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.length === lead.length ? line + word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

/**
 * One block per claim × backend: the verdict, the paper's numbers beside the measured ones, each
 * predicate with ✓ or ✗ and its evidence kind (identity, mechanism, empirical), the seeds and the time.
 * A claim that is not reproduced is a result, shown with its numbers like any other; one whose
 * predicates hold but include no empirical one reads MECHANISM VERIFIED, not REPRODUCED.
 */
export function formatClaims(records: readonly ClaimRecord[]): string {
  return [
    ...records
      .filter((c) => c.status !== 'unsupported')
      .map((c) => {
        const where = `${backendLabel(c)} ${c.dtype}`;
        const verdict = c.status.toUpperCase();
        const lines = [
          `${c.paper} ${c.claim}`,
          `  ${c.title}`,
          `  ${where}, ${c.mode}, seeds ${c.seeds.join(',') || '—'}: ${verdict} in ${(c.durationMs / 1000).toFixed(1)} s`,
          wrap(`  paper:    ${formatPaperNumbers(c)}`),
          wrap(c.message !== undefined ? `  message:  ${c.message}` : `  measured: ${formatMeasured(c)}`),
          ...c.predicates.map((p) =>
            wrap(`  ${p.holds ? '✓' : '✗'} [${p.kind ?? '?'}] ${p.name}: ${p.rule}`, 110, '      '),
          ),
        ];
        if (c.calibration !== undefined) lines.push(wrap(`  calibration: ${c.calibration}`, 110, '               '));
        return lines.join('\n');
      }),
    ...foldNotRun(records, 'claim'),
  ].join('\n\n');
}

/** The log-log slope of time against size per series (three sizes or more), or nothing. */
export function formatScaling(records: readonly BenchRecord[]): string {
  const rows = scalingSlopes(records);
  if (rows.length === 0) return '';
  return `\nScaling (log-log slope of median time against the size parameter)\n${table(
    ['series', 'parameter', 'sizes', 'slope'],
    rows.map((r) => [r.series, r.param, r.sizes.join(','), r.slope.toFixed(2)]),
  )}\n`;
}
