/**
 * The main job's last screen: verification per backend, the benchmark highlights, the claims'
 * verdicts, where the results went and what to run next. Everything else is in the results file
 * (`lowrank claims`, `lowrank report` and `lowrank export` read it).
 */
import type { BenchRecord, ResultsFile } from '@lowrank/harness';
import { foldNotRun } from './format.ts';

const LABEL = 14;
const row = (label: string, lines: readonly string[]) =>
  lines.map((l, i) => `${(i === 0 ? label : '').padEnd(LABEL)}${l}`).join('\n');

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function verificationLines(r: ResultsFile): string[] {
  const groups = new Map<string, { pass: Set<string>; failing: Set<string> }>();
  for (const v of r.verification) {
    if (v.status === 'unsupported') continue;
    const k = `${v.backend} ${v.dtype}`;
    const g = groups.get(k) ?? { pass: new Set(), failing: new Set() };
    (v.status === 'pass' ? g.pass : g.failing).add(v.case);
    groups.set(k, g);
  }
  if (groups.size === 0) return ['none run'];
  const parts = [...groups].map(([k, g]) => {
    for (const c of g.failing) g.pass.delete(c);
    return g.failing.size === 0
      ? `${k} ${g.pass.size} case${g.pass.size === 1 ? '' : 's'} pass`
      : `${k} ${g.pass.size} pass, ${g.failing.size} FAIL (${[...g.failing].slice(0, 3).join(', ')}${g.failing.size > 3 ? ', …' : ''})`;
  });
  const lines: string[] = [];
  for (let i = 0; i < parts.length; i += 2) lines.push(parts.slice(i, i + 2).join(' · '));
  return [
    ...lines,
    ...foldNotRun(
      r.verification.filter((v) => v.entry === '*'),
      'case',
    ),
  ];
}

const size = (b: BenchRecord) => Number(b.params.m ?? b.params.n ?? 0) * Number(b.params.n ?? 0);

/** The records of a case at its largest square size that ran, the best per dtype by `better`. */
function best(
  records: readonly BenchRecord[],
  caseId: string,
  better: (a: BenchRecord, b: BenchRecord) => boolean,
): BenchRecord[] {
  const ok = records.filter(
    (b) => b.case === caseId && b.status === 'ok' && (b.params.m === undefined || b.params.m === b.params.n),
  );
  const top = Math.max(0, ...ok.map(size));
  const byDtype = new Map<string, BenchRecord>();
  for (const b of ok.filter((x) => size(x) === top)) {
    const cur = byDtype.get(b.dtype);
    if (cur === undefined || better(b, cur)) byDtype.set(b.dtype, b);
  }
  return [...byDtype.values()];
}

const where = (b: BenchRecord) =>
  `${b.backend}${b.backend === 'wasm' ? ` ${b.threads} thread${b.threads > 1 ? 's' : ''}` : ''}`;

function benchLines(r: ResultsFile): string[] {
  const timed = r.benchmarks.filter((b) => b.status === 'ok').length;
  const errors = r.benchmarks.filter((b) => b.status === 'error').length;
  if (r.benchmarks.length === 0) return ['none run'];
  const lines = [`${timed} timed${errors > 0 ? `, ${errors} ERROR` : ''}`];
  const gemm = best(r.benchmarks, 'primitives/gemm', (a, b) => (a.gflops ?? 0) > (b.gflops ?? 0));
  if (gemm.length > 0)
    lines.push(
      `GEMM n=${gemm[0].params.n}: ${gemm.map((b) => `${b.dtype} ${(b.gflops ?? 0).toFixed(1)} GFLOP/s (${where(b)})`).join(', ')}`,
    );
  const svd = best(
    r.benchmarks,
    'linalg/svd',
    (a, b) => (a.stats?.medianMs ?? Infinity) < (b.stats?.medianMs ?? Infinity),
  );
  if (svd.length > 0) {
    lines.push(
      `SVD ${svd[0].params.n}×${svd[0].params.n}: ${svd.map((b) => `${b.dtype} ${(b.stats?.medianMs ?? 0).toFixed(1)} ms (${where(b)})`).join(', ')}`,
    );
    lines.push('anchors (tfjs-backend-wasm, ml-matrix, LAPACK): npm run bench:anchors, npm run bench:linalg');
  }
  return [...lines, ...foldNotRun(r.benchmarks, 'benchmark')];
}

function claimLines(r: ResultsFile, mode: string): string[] {
  const c = r.claims;
  if (c.length === 0) return ['none run'];
  const papers = (status: string) => [...new Set(c.filter((x) => x.status === status).map((x) => x.paper))];
  const reproduced = papers('reproduced'),
    mechanism = papers('mechanism verified'),
    not = papers('not reproduced'),
    errors = papers('error');
  return [
    `${c.length} ${mode} experiment${c.length === 1 ? '' : 's'}: ${reproduced.length} reproduced, ${mechanism.length} mechanism verified, ${not.length} not reproduced${not.length > 0 ? ` (${not.join(', ')})` : ''}${errors.length > 0 ? `, ${errors.length} ERROR (${errors.join(', ')})` : ''}`,
    `each claim's numbers: npx lowrank claims${mode === 'full' ? ' --full' : ''} --paper ID; the full experiments: npx lowrank claims --full`,
    ...foldNotRun(c, 'claim'),
  ];
}

export function formatSummary(r: ResultsFile, o: { savedTo: string | null; elapsedMs: number; mode: string }): string {
  return [
    `lowrank run${r.options.browser === undefined ? '' : ' --browser'}: ${r.status} in ${duration(o.elapsedMs)} on ${r.machine.key}`,
    row('verification', verificationLines(r)),
    row('benchmarks', benchLines(r)),
    row('claims', claimLines(r, o.mode)),
    row('results', [o.savedTo ?? 'not saved (--no-save)']),
    row('next', ['npx lowrank report   (an HTML report with plots of this run and earlier ones)']),
  ].join('\n');
}
