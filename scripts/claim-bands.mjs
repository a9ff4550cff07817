// Derives a claim's bands (ClaimDef.bands) from measurement (npm run claims:bands -- [--sets N] [--write] [ID-PART...]):
// the reduced experiment on every test backend and dtype with the declared seeds, and on WASM (1 thread,
// f64 and f32) with N − 1 more seed sets (each seed + 1000·k). For every quantity a predicate reads it
// prints [lo, hi]: for positive values [min/f, max·f], f = max(√(max/min), 1.05) (half the spread in
// decades each side), else [min − pad, max + pad], pad = max(span/2, 5% of the largest magnitude);
// rounded outward to 3 significant digits; +Infinity when any run blew up; [0, 10·max] for values at
// rounding level (≤ 1000ε of the dtype); one band per dtype when the dtypes' bands are apart (disjoint,
// or upper ends a decade apart: an error that follows ε), else their union. A quantity named for time
// (time, seconds, wall-clock, speed) is 'timed': tests do not time things. Read the literal before
// pasting it: a band is a statement about the method, so one that admits a failing and a passing
// outcome says the reduced run cannot tell them apart. --write puts the literal into the claim's file
// (the `bands:` entry after the claim's `id:`) and what was measured into docs/claim-bands.json (the
// bands' evidence: a results file, not comments that go stale), both for review in the diff.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { ALL_CLAIMS } from '../packages/cli/dist/cases.js';
import { measuredValues, quantitiesRead, runClaims, TEST_BACKENDS } from '../packages/harness/dist/index.js';
import { notRunReason } from '../packages/core/dist/index.js';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(`usage: npm run claims:bands -- [--sets N] [--write] [ID-PART|PAPER ...]
  derives each matching claim's bands from its reduced run on every test backend (N seed sets on WASM, default 4)
  and prints them as a literal with what was measured; --write puts the literal into the claim's
  <algo>.claims.ts file and the measurements into docs/claim-bands.json`);
  process.exit(0);
}
const setsAt = argv.indexOf('--sets');
const sets = setsAt < 0 ? 4 : Number(argv[setsAt + 1]);
const write = argv.includes('--write');
const parts = argv.filter((a, i) => a !== '--write' && (setsAt < 0 || (i !== setsAt && i !== setsAt + 1)));

/** Replaces the `bands:` entry of the claim `id` in its source file with `literal` (two-space indented, ends with `},`). */
async function writeBands(id, literal) {
  const root = new URL('../packages/', import.meta.url);
  for (const pkg of readdirSync(root)) {
    const dir = new URL(`${pkg}/src/`, root);
    let files;
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('claims.ts'));
    } catch {
      continue;
    }
    for (const f of files) {
      const path = new URL(f, dir),
        text = readFileSync(path, 'utf8');
      const at = text.indexOf(`id: '${id}'`);
      if (at < 0) continue;
      const start = text.indexOf('\n  bands: ', at);
      const end = text.startsWith('\n  bands: {},', start)
        ? start + '\n  bands: {},'.length
        : text.indexOf('\n  },', start) + '\n  },'.length;
      // Formatted as the repository's prettier config has it, so `npm run lint` passes on the written file.
      const edited = `${text.slice(0, start)}\n${literal}${text.slice(end)}`;
      writeFileSync(
        path,
        await prettier.format(edited, { ...(await prettier.resolveConfig(path)), filepath: path.pathname }),
      );
      return path.pathname;
    }
  }
  throw new Error(`no claims file declares id '${id}'`);
}
/** Records what the reduced runs measured for claim `id` in docs/claim-bands.json (Infinity and NaN as strings). */
function writeEvidence(id, entry) {
  const path = new URL('../docs/claim-bands.json', import.meta.url);
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  doc.claims[id] = entry;
  const sorted = Object.fromEntries(Object.entries(doc.claims).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(
    path,
    `${JSON.stringify({ ...doc, claims: sorted }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1)}\n`,
  );
  return path.pathname;
}

const claims = ALL_CLAIMS.filter((c) => parts.length === 0 || parts.some((p) => c.id.includes(p) || c.paper === p));
if (claims.length === 0) throw new Error(`no claim matches ${parts.join(' ')}`);

const shifted = (c, k) => ({
  ...c,
  experiment: {
    ...c.experiment,
    reduced: { ...c.experiment.reduced, seeds: c.experiment.reduced.seeds.map((s) => s + 1000 * k) },
  },
});

const round = (v, dir) => {
  if (!Number.isFinite(v) || v === 0) return v;
  const e = 10 ** (Math.floor(Math.log10(Math.abs(v))) - 2);
  return (dir < 0 ? Math.floor(v / e) : Math.ceil(v / e)) * e;
};
const tidy = (v) => {
  if (!Number.isFinite(v) || v === 0) return v;
  const a = Math.abs(v);
  return a >= 1e6 || a < 1e-3 ? Number(v.toPrecision(3)).toExponential().replace('e+', 'e') : Number(v.toPrecision(3));
};

/** ε of each dtype: a quantity within 1000ε is rounding, whose size varies between machines. */
const EPS = { f64: 2 ** -52, f32: 2 ** -23, f16: 2 ** -10 };

/**
 * [lo, hi] around measured values (see the header), +Infinity at the top when one blew up; for values
 * at rounding level in `dtype` (all within [0, 1000ε]), [0, 10·max]: rounding differs between machines.
 */
function bandOf(vs, dtype) {
  const finite = vs.filter(Number.isFinite);
  const flo = Math.min(...finite),
    fhi = Math.max(...finite);
  if (dtype !== undefined && flo >= 0 && fhi <= 1e3 * EPS[dtype]) return [0, round(10 * fhi, 1)];
  const pad = Math.max((fhi - flo) / 2, 0.05 * Math.max(Math.abs(flo), Math.abs(fhi)));
  const f = Math.max(Math.sqrt(fhi / flo), 1.05);
  const [lo, hi] = flo > 0 ? [flo / f, fhi * f] : [flo - pad, fhi + pad];
  return [vs.includes(-Infinity) ? -Infinity : round(lo, -1), vs.includes(Infinity) ? Infinity : round(hi, 1)];
}

const opened = [];
for (const tb of TEST_BACKENDS) {
  if ((await tb.unavailable()) === null) opened.push({ label: tb.label, be: await tb.open() });
}
for (const c of claims) {
  const runs = [];
  for (const { label, be } of opened) {
    for (const dtype of c.dtypes) {
      if (notRunReason(be, c.primitives, dtype) !== undefined) continue;
      const extra = label === 'wasm (1 thread)' ? sets - 1 : 0;
      for (let k = 0; k <= extra; k++) {
        const [r] = await runClaims({ claims: [shifted(c, k)], backends: [be], dtypes: [dtype], mode: 'reduced' });
        if (r.status === 'error' || r.status === 'unsupported')
          throw new Error(`${c.id} ${label} ${dtype} seeds+${1000 * k}: ${r.message}`);
        const m = measuredValues(r);
        runs.push({ dtype, m, status: r.status });
        process.stderr.write(
          `${c.paper} ${label} ${dtype} seeds+${1000 * k}: ${r.status} (${(r.durationMs / 1000).toFixed(1)} s)\n`,
        );
      }
    }
  }
  const quantities = [...new Set(runs.flatMap((r) => [...quantitiesRead(c, r.m)]))];
  const measured = {};
  const lines = quantities.map((q) => {
    const vs = runs.map((r) => r.m[q]);
    if (/\b(time|seconds|wall-clock|speed)/i.test(q)) {
      measured[q] = { values: vs.map(tidy) };
      return `    ${JSON.stringify(q)}: 'timed',`;
    }
    if (vs.some((v) => Number.isNaN(v) || v === undefined))
      return `    // ${JSON.stringify(q)}: NaN or unmeasured in some run; no band derived`;
    measured[q] = { min: tidy(Math.min(...vs)), max: tidy(Math.max(...vs)) };
    // Per dtype when the dtypes' bands do not overlap (an error or tolerance that follows ε), else their union.
    const dtypes = [...new Set(runs.map((r) => r.dtype))];
    const per = dtypes.map((dt) => [
      dt,
      bandOf(
        runs.filter((r) => r.dtype === dt).map((r) => r.m[q]),
        dt,
      ),
    ]);
    // Apart: disjoint, or upper ends a decade or more apart (errors at each dtype's rounding level both start at 0).
    const apart = (x, y) =>
      x[1] < y[0] ||
      y[1] < x[0] ||
      (Math.min(x[0], y[0]) >= 0 && Math.min(x[1], y[1]) > 0 && Math.max(x[1], y[1]) >= 10 * Math.min(x[1], y[1]));
    const disjoint = per.length > 1 && per.every(([, x], i) => per.every(([, y], j) => i === j || apart(x, y)));
    const union = [Math.min(...per.map(([, b]) => b[0])), Math.max(...per.map(([, b]) => b[1]))];
    const text = disjoint
      ? `{ ${per.map(([dt, bd]) => `${dt}: [${bd.map(tidy).join(', ')}]`).join(', ')} }`
      : `[${union.map(tidy).join(', ')}]`;
    return `    ${JSON.stringify(q)}: ${text},`;
  });
  const verdicts = [...new Set(runs.map((r) => r.status))].join(', ');
  const literal = `  bands: {\n${lines.join('\n')}\n  },`;
  console.log(
    `// ${c.paper} ${c.id}: ${runs.length} reduced runs (${verdicts})\n${literal}\n// measured: ${JSON.stringify(measured)}`,
  );
  if (write) {
    console.log(
      `// written to ${await writeBands(
        c.id,
        literal.replace(/"([^"\\]*)":/g, (_, k) => `'${k.replace(/'/g, "\\'")}':`),
      )}`,
    );
    console.log(
      `// and ${writeEvidence(c.id, { derived: new Date().toISOString().slice(0, 10), runs: runs.length, verdicts, measured })}`,
    );
  }
}
await Promise.all(opened.map((o) => o.be.close()));
