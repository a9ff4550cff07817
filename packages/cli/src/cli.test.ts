import { EVIDENCE_KINDS, VacuousPredicateError } from '@lowrank/core';
import { goldenCasesMarkdown, readResults, skipTitle } from '@lowrank/harness';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from './args.ts';
import { ALL_CASES, ALL_CLAIMS } from './cases.ts';
import { DEFAULT_GOLDEN, main, type CliIO } from './cli.ts';
import { saveResults } from './save.ts';

function capture(interrupted?: Promise<void>): CliIO & { out: () => string; err: () => string } {
  let out = '', err = '';
  return {
    stdout: { write: (s: string) => { out += s; } },
    stderr: { write: (s: string) => { err += s; } },
    interrupted,
    out: () => out,
    err: () => err,
  };
}

describe('lowrank CLI', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'cli-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('explains itself with --help and no arguments', async () => {
    for (const argv of [['--help'], [], ['help']]) {
      const io = capture();
      expect(await main(argv, io)).toBe(0);
      expect(io.out()).toMatch(/Usage: lowrank <command>/);
    }
  });

  it('docs/papers.md has one row per seed paper, naming every claim the code declares', async () => {
    const doc = await readFile(fileURLToPath(new URL('../../../docs/papers.md', import.meta.url)), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| S\d\d \|/.test(l));
    expect(rows.map((r) => r.slice(2, 5))).toEqual(Array.from({ length: 45 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`));
    for (const c of ALL_CLAIMS) expect(rows.find((r) => r.startsWith(`| ${c.paper} |`)), c.id).toContain(`\`${c.id}\``);
  });

  it('no claim predicate holds on an empty measurement, and each declares its kind of evidence', () => {
    for (const c of ALL_CLAIMS) {
      for (const p of c.predicates) {
        expect(EVIDENCE_KINDS, `${c.id}: ${p.name}`).toContain(p.kind);
        let held: boolean | 'vacuous';
        try {
          held = p.holds({});
        } catch (e) {
          expect(e, `${c.id}: ${p.name}`).toBeInstanceOf(VacuousPredicateError);
          held = 'vacuous';
        }
        expect(held, `${c.id}: ${p.name} holds on nothing`).not.toBe(true);
      }
      // A claim reads 'reproduced' only with an empirical predicate; the declared outcome must be reachable.
      if (c.expected === 'reproduced') expect(c.predicates.some((p) => p.kind === 'empirical'), c.id).toBe(true);
    }
  });

  it('golden/CASES.md is what the cases declare they read (npm run golden:doc writes it)', async () => {
    const doc = await readFile(fileURLToPath(new URL('../../../golden/CASES.md', import.meta.url)), 'utf8');
    expect(doc).toBe(goldenCasesMarkdown(ALL_CASES));
  });

  it('verify names the param or array a user golden lacks, per entry, and checks the rest', async () => {
    const root = join(dir, 'user-golden');
    await cp(join(DEFAULT_GOLDEN, 'primitives', 'gemm'), join(root, 'primitives', 'gemm'), { recursive: true });
    const manifest = join(root, 'primitives', 'gemm', 'manifest.json');
    const m = JSON.parse(await readFile(manifest, 'utf8'));
    delete m.entries[0].params.alpha;
    m.entries[1].params.transA = 'no';
    delete m.entries[2].outputs.c;
    await writeFile(manifest, JSON.stringify(m));
    const io = capture();
    expect(await main(['verify', '--golden', root, '--case', 'primitives/gemm', '--backend', 'ref', '--no-save', '--json'], io)).toBe(1);
    const records = JSON.parse(io.out()).verification as Array<{ entry: string; status: string; message?: string }>;
    const byEntry = (e: string) => records.find((r) => r.entry === e);
    expect(byEntry(m.entries[0].id)?.message).toMatch(/GoldenError: .*manifest\.json: entry '.*' does not have what case primitives\/gemm reads: params\.alpha \(number\) is missing/);
    expect(byEntry(m.entries[1].id)?.message).toMatch(/params\.transA should be a boolean, got "no"/);
    expect(byEntry(m.entries[2].id)?.message).toMatch(/outputs\.c is missing/);
    expect(records.filter((r) => r.status === 'error' || r.status === 'fail').map((r) => r.entry)).toEqual(m.entries.slice(0, 3).map((e: { id: string }) => e.id));
    expect(records.length).toBeGreaterThan(20);
  });

  it.each(COMMANDS.filter((c) => c !== 'help'))('prints the help of %s for CMD --help and help CMD, whatever else is missing', async (cmd) => {
    for (const argv of [[cmd, '--help'], ['help', cmd], [cmd, '-h']]) {
      const io = capture();
      expect(await main(argv, io)).toBe(0);
      expect(io.out()).toMatch(new RegExp(`^Usage: lowrank ${cmd}`));
    }
  });

  it('refuses a run that cannot start with one line and exit 2, writing no results file', async () => {
    for (const [argv, message] of [
      [['bench', '--filter', 'gemm'], /--filter 'gemm' matches no benchmark or case .*closest: primitives\/gemm, .* try --filter '\*gemm\*'/],
      [['verify', '--golden', join(dir, 'nonexistent')], /--golden: '.*nonexistent' is not a folder/],
      [['claims', '--filter', 'nothing*'], /--filter 'nothing\*' matches no claim; closest: /],
      [['claims', '--full', '--reduced'], /--reduced and --full exclude each other/],
    ] as const) {
      const io = capture();
      expect(await main([...argv, '--results-dir', dir], io)).toBe(2);
      expect(io.err()).toMatch(message);
      expect(io.err().trim().split('\n')[0]).toMatch(/^lowrank: error: /);
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('a --backend named but unavailable here exits 2 with a readable reason, before anything runs', async () => {
    // No Vulkan driver (and, for Deno's wgpu, Vulkan only): what a machine without lavapipe or a GPU has.
    const vars = { VK_DRIVER_FILES: '/nonexistent/icd.json', VK_ICD_FILENAMES: '/nonexistent/icd.json', DENO_WEBGPU_BACKEND: 'vulkan' };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const io = capture();
      expect(await main(['verify', '--backend', 'webgpu', '--results-dir', dir], io)).toBe(2);
      expect(io.err()).toMatch(/^lowrank: error: --backend webgpu: .*no Vulkan driver: .*npm run setup:webgpu/);
      expect(io.err()).not.toMatch(/Node\.js v|E_BACKEND_UNAVAILABLE/);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['bench', '--threads', '0'], /--threads: '0' is not an integer in \[1, 256\]/],
    [['verify', '--backend', 'cuda'], /--backend: unknown backend 'cuda'/],
    [['verify', '--dtype', 'f8'], /--dtype: 'f8' is not f16, f32 or f64/],
    [['verify', '--family', 'nope'], /--family: unknown family 'nope'/],
    [['bench', '--sizes', '12,x'], /--sizes: 'x'/],
    [['verify', '--colour'], /Unknown option '--colour'/],
    [['verify', 'extra'], /unexpected argument 'extra'/],
    [['gate', '--baseline', 'x', '--threshold-for', 'nopercent'], /--threshold-for: 'nopercent' is not GLOB=PERCENT/],
  ])('exits 2 with one clear line for %j', async (argv, message) => {
    const io = capture();
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err().split('\n')[0]).toMatch(/^lowrank: error: /);
  });

  it('info --json lists backends and the machine key', async () => {
    const io = capture();
    expect(await main(['info', '--json'], io)).toBe(0);
    const info = JSON.parse(io.out());
    expect(info.backends.map((b: { name: string }) => b.name)).toEqual(['ref', 'wasm', 'webgpu']);
    expect(info.machine.key).toMatch(/-linux-|-darwin-|-win32-/);
    const text = capture();
    expect(await main(['info'], text)).toBe(0);
    expect(text.out()).toMatch(/relaxed-simd/);
  });

  it('verify passes on the committed goldens and saves a results file', async () => {
    const io = capture();
    expect(await main(['verify', '--results-dir', dir, '--dtype', 'f64'], io)).toBe(0);
    expect(io.out()).toMatch(/primitives\/gemm\s+wasm\s+f64\s+pass\s+40\/40/);
    const [key] = await readdir(dir);
    const [file] = await readdir(join(dir, key));
    const r = await readResults(join(dir, key, file));
    expect(r.status).toBe('complete');
    expect(r.verification.filter((v) => v.status !== 'pass').map((v) => `${v.backend} ${v.dtype} ${v.status}`))
      .toEqual(r.verification.filter((v) => v.backend === 'webgpu').map(() => 'webgpu f64 unsupported'));
  });

  it('verify exits 1 and names the golden when one is corrupt', async () => {
    const golden = join(dir, 'golden');
    await cp(DEFAULT_GOLDEN, golden, { recursive: true });
    await writeFile(join(golden, 'primitives', 'nrm2', 'manifest.json'), '{ not json');
    const io = capture();
    expect(await main(['verify', '--golden', golden, '--backend', 'wasm', '--json', '--no-save'], io)).toBe(1);
    const r = JSON.parse(io.out());
    const bad = r.verification.filter((v: { status: string }) => v.status === 'error');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0].message).toMatch(/nrm2\/manifest.json: unreadable golden manifest/);
    expect(r.verification.some((v: { case: string; status: string }) => v.case === 'primitives/gemm' && v.status === 'pass')).toBe(true);
  });

  it('bench --out writes exactly there, with GFLOP/s and accuracy', async () => {
    const out = join(dir, 'gemm.json');
    const io = capture();
    expect(await main(['bench', '--filter', 'primitives/gemm', '--sizes', '32', '--threads', '1', '--time', '20', '--dtype', 'f32,f64', '--out', out], io)).toBe(0);
    const r = await readResults(out);
    expect(r.benchmarks.map((b) => `${b.case} ${b.dtype} ${b.status}`)).toEqual(['primitives/gemm f32 ok', 'primitives/gemm f64 ok']);
    expect(r.benchmarks[0].gflops).toBeGreaterThan(0);
    expect(r.benchmarks[0].accuracy!.value).toBeLessThan(1);
    expect(io.out()).toMatch(/GFLOP\/s/);
    expect(await main(['bench', '--filter', 'primitives/gemm', '--sizes', '32', '--threads', '1', '--time', '20', '--out', out], capture())).toBe(2);
  });

  it('compare, gate and baseline accept work on real runs and name bad input', async () => {
    const dirA = join(dir, 'a'), dirB = join(dir, 'b');
    for (const d of [dirA, dirB]) {
      expect(await main(['run', '--family', 'primitives', '--backend', 'wasm', '--filter', 'primitives/dot', '--sizes', '4096', '--threads', '1', '--dtype', 'f64', '--time', '30', '--results-dir', d], capture())).toBe(0);
    }
    const io = capture();
    expect(await main(['compare', dirA, dirB], io)).toBe(0);
    expect(io.out()).toMatch(/primitives\/dot n=4096 wasm f64 1t/);
    expect(io.out()).toMatch(/geometric mean ratio/);
    const g = capture();
    const code = await main(['gate', '--baseline', dirA, '--current', dirB, '--threshold', '500%', '--threshold-for', 'primitives/dot*=600%'], g);
    expect(g.out()).toMatch(/gate: passed/);
    expect(code).toBe(0);
    const [key] = await readdir(dirA);
    const [file] = await readdir(join(dirA, key));
    const within = capture();
    expect(await main(['compare', `${join(dirA, key, file)}@wasm:1`, `${join(dirB, key, (await readdir(join(dirB, key)))[0])}@wasm`], within)).toBe(0);
    expect(within.out()).toMatch(/primitives\/dot n=4096 \* f64 0t/);
    const to = join(dir, 'baseline.json');
    const acc = capture();
    expect(await main(['baseline', 'accept', join(dirA, key, file), '--to', to], acc)).toBe(0);
    expect(acc.out()).toMatch(/created by run/);
    expect(await main(['baseline', 'accept', join(dirA, key, file), '--to', to], acc)).toBe(0);
    expect(acc.out()).toMatch(/replaced by run/);
    await writeFile(join(dirB, key, 'zz-corrupt.json'), '{ truncated');
    const withBad = capture();
    expect(await main(['compare', dirA, dirB], withBad)).toBe(0);
    expect(withBad.err()).toMatch(/skipped .*zz-corrupt.json: .*not a readable results file/);
    const none = capture();
    expect(await main(['compare', join(dir, 'nowhere'), dirB], none)).toBe(2);
    expect(none.err()).toMatch(/no such results file, folder or machine key/);
    const md = capture();
    expect(await main(['export', dirA, dirB, '--format', 'md'], md)).toBe(0);
    expect(md.out()).toMatch(/\| primitives\/dot \| n=4096 \| wasm 1t \| f64 \|/);
    const csv = capture();
    expect(await main(['export', dirA, '--format', 'csv'], csv)).toBe(0);
    expect(csv.out().split('\n')[0]).toBe('run,machine,case,params,backend,threads,dtype,status,median_ms,mad_ms,p75_ms,p99_ms,samples,gflops,gbps,accuracy');
    const bmf = capture();
    const out = join(dir, 'bmf.json');
    expect(await main(['export', dirA, '--format', 'bmf', '--out', out], bmf)).toBe(0);
    const parsed = JSON.parse(await readFile(out, 'utf8'));
    expect(parsed['primitives/dot n=4096 wasm 1t f64'].latency.value).toBeGreaterThan(0);
    expect(await main(['export', dirA, '--format', 'pdf'], capture())).toBe(2);
    const asCsv = capture();
    expect(await main(['report', dirA, '--format', 'csv'], asCsv)).toBe(0);
    expect(asCsv.out()).toMatch(/^run,machine,case/);
    expect(await main(['compare', dirA], capture())).toBe(2);
    expect(await main(['gate'], capture())).toBe(2);
  });

  it('gate exits 1 with one line per reason on results files crafted as a CI would feed it, 0 on a clean pair', async () => {
    const src = join(dir, 'src');
    expect(await main(['bench', '--backend', 'wasm', '--filter', 'primitives/dot', '--sizes', '4096', '--threads', '1', '--dtype', 'f64', '--time', '30', '--results-dir', src], capture())).toBe(0);
    const [key] = await readdir(src);
    const template = JSON.parse(await readFile(join(src, key, (await readdir(join(src, key)))[0]), 'utf8'));
    let n = 0;
    /** A folder of `count` runs of one clean commit, each edited by `edit`. */
    const folder = async (name: string, count: number, edit: (r: any, i: number) => void = () => {}) => {
      const d = join(dir, 'gate', name);
      await mkdir(d, { recursive: true });
      for (let i = 0; i < count; i++) {
        const r = structuredClone(template);
        r.runId = `fixture${String(n++).padStart(4, '0')}`;
        r.startedAt = new Date(Date.UTC(2026, 10, 30, 9, 0, n)).toISOString();
        r.git = { commit: 'feedface00', dirty: false };
        edit(r, i);
        await writeFile(join(d, `${r.runId}.json`), JSON.stringify(r));
      }
      return d;
    };
    const jitter = (r: any, i: number, f = 1) => { for (const b of r.benchmarks) b.stats.samplesMs = b.stats.samplesMs.map((v: number) => v * f * (1 + 0.01 * i)); };
    const base = await folder('base', 3, (r, i) => jitter(r, i));
    const gateOn = async (current: string, ...extra: string[]) => {
      const io = capture();
      const code = await main(['gate', '--baseline', base, '--current', current, ...extra], io);
      return { code, out: io.out() };
    };
    expect((await gateOn(await folder('same', 3, (r, i) => jitter(r, 2 - i)))).code).toBe(0);
    // Three runs of one commit accepted as a baseline become a folder the gate reads as one run set.
    const accepted = capture();
    expect(await main(['baseline', 'accept', base, '--to', join(dir, 'gate', 'accepted')], accepted)).toBe(0);
    expect(accepted.out()).toMatch(/^baseline .*accepted\/: 3 runs of commit feedfac/);
    expect(await readdir(join(dir, 'gate', 'accepted'))).toHaveLength(3);
    const viaAccepted = capture();
    expect(await main(['gate', '--baseline', join(dir, 'gate', 'accepted'), '--current', await folder('same2', 3, (r, i) => jitter(r, i))], viaAccepted)).toBe(0);
    expect(viaAccepted.out()).toMatch(/baseline: 3 runs of commit feedfac/);
    const slow = await gateOn(await folder('slow', 3, (r, i) => jitter(r, i, 10)));
    expect(slow.code).toBe(1);
    expect(slow.out).toMatch(/current: +3 runs of commit feedfac .*\ngate: FAILED\n  slower: primitives\/dot n=4096 wasm f64 1t: .*3 vs 3 runs\)\n$/);
    const corrupt = await folder('corrupt', 1);
    await writeFile(join(corrupt, 'zz.json'), '{ truncated');
    expect((await gateOn(corrupt)).out).toMatch(/  current unreadable results file: .*zz\.json: not a readable results file/);
    expect((await gateOn(await folder('incomplete', 1, (r) => { r.status = 'incomplete'; }))).out).toMatch(/  incomplete run: fixture\d+ .* was interrupted/);
    expect((await gateOn(await folder('gone', 1, (r) => { r.benchmarks = []; }))).out).toMatch(/  benchmark missing: primitives\/dot n=4096 wasm f64 1t ran in the baseline \(--allow-missing allows it\)/);
    const zeroCal = await gateOn(await folder('zero-cal', 2, (r, i) => { if (i === 1) r.calibrationMs = 0; }));
    expect(zeroCal.code).toBe(1);
    expect(zeroCal.out).toMatch(/  current unreadable results file: .*does not match the results schema: calibrationMs: /);
    // A side with nothing readable cannot be gated at all: one line, exit 2 (bad input).
    const onlyBad = capture();
    expect(await main(['gate', '--baseline', await folder('base-zero-cal', 1, (r) => { r.calibrationMs = 0; }), '--current', base], onlyBad)).toBe(2);
    expect(onlyBad.err()).toMatch(/^lowrank: .*no readable results file there \(1 skipped: .*calibrationMs: .*\)\n$/);
  });

  it('bench --interleave times another build against this one in one process and writes a pair that gate reads', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const out = join(dir, 'ab');
    const io = capture();
    expect(await main(['bench', '--interleave', root, '--backend', 'ref', '--filter', 'primitives/dot', '--sizes', '4096', '--dtype', 'f64', '--time', '30', '--out', out], io)).toBe(0);
    expect(io.out()).toMatch(/Interleaved A\/B \(.*\): base .* against current/);
    expect(io.out()).toMatch(/primitives\/dot n=4096 ref f64 1t .* interleaved /);
    const base = await readResults(join(out, 'base.json')), current = await readResults(join(out, 'current.json'));
    expect(base.interleaved).toEqual({ side: 'base', partnerRunId: current.runId });
    expect(current.interleaved).toEqual({ side: 'current', partnerRunId: base.runId });
    expect(current.benchmarks[0].stats!.samples).toBeGreaterThanOrEqual(10);
    const g = capture();
    await main(['gate', '--baseline', join(out, 'base.json'), '--current', join(out, 'current.json'), '--json'], g);
    expect(JSON.parse(g.out()).comparisons.map((c: { basis: string }) => c.basis)).toEqual(['interleaved']);
    const notBuilt = capture();
    expect(await main(['bench', '--interleave', dir], notBuilt)).toBe(2);
    expect(notBuilt.err()).toMatch(/--interleave .*: no packages\/cli\/(dist|src)\/suite\.(js|ts) there; the base must be a checkout of lowrank-bench/);
    const wrong = capture();
    expect(await main(['run', '--interleave', root], wrong)).toBe(2);
    expect(wrong.err()).toMatch(/--interleave applies to bench only/);
  });

  it('claims runs the papers\' claims, prints the paper\'s numbers beside the measured ones, and files them', async () => {
    const out = join(dir, 'claims.json');
    const io = capture();
    expect(await main(['claims', '--paper', 's27', '--reduced', '--threads', '1', '--out', out], io)).toBe(0);
    expect(io.out()).toMatch(/S27 second-order\/dyn-stability-sgd\/trace-threshold\n.*\n  wasm 1t f64, reduced, seeds 0: MECHANISM VERIFIED/);
    expect(io.out()).toMatch(/  ✓ \[identity\] SGD contracts below the trace threshold: /);
    expect(io.out()).toMatch(/paper: {4}SGD ‖e_T‖\/‖e₀‖ [^]*?\n  measured: trace = 1, lambdaMax = 0\.04\d+, sgd η=1\.8 = /);
    expect(Math.max(...io.out().split('\n').map((l) => l.length))).toBeLessThanOrEqual(160);
    const r = await readResults(out);
    expect(r.command).toBe('claims');
    expect(r.claims.map((c) => `${c.paper} ${c.status} ${c.mode}`)).toEqual(['S27 mechanism verified reduced']);
    // run = verify + bench + claims, each claim once although verify and bench both opened wasm with 2 threads.
    const all = join(dir, 'run.json');
    expect(await main(['run', '--family', 'second-order', '--paper', 'S27,S41', '--reduced', '--backend', 'wasm', '--threads', '2', '--sizes', '2000', '--time', '10', '--out', all], capture())).toBe(0);
    const whole = await readResults(all);
    const summary = capture();
    expect(await main(['run', '--paper', 'S41', '--reduced', '--backend', 'wasm', '--threads', '1', '--sizes', '2000', '--time', '10', '--no-save'], summary)).toBe(0);
    expect(summary.out()).toMatch(/lowrank run: complete in \d+ s on /);
    expect(summary.out()).toMatch(/\nverification  wasm f32 1 case pass · wasm f64 1 case pass\n/);
    expect(summary.out()).toMatch(/\nclaims        1 reduced experiment: 0 reproduced, 1 mechanism verified, 0 not reproduced/);
    expect(summary.out()).toMatch(/\nresults       not saved \(--no-save\)\nnext          npx lowrank report/);
    expect(Math.max(...summary.out().split('\n').map((l) => l.length))).toBeLessThanOrEqual(160);
    expect(whole.claims.map((c) => `${c.paper} ${c.backend} ${c.threads}t ${c.status}`)).toEqual(['S27 wasm 2t mechanism verified', 'S41 wasm 2t mechanism verified']);
    expect(whole.verification.every((v) => v.status === 'pass')).toBe(true);
    expect(whole.benchmarks.map((b) => b.case)).toEqual(['second-order/mfac-ihvp', 'second-order/mfac-ihvp']);
    const cmp = capture();
    expect(await main(['compare', out, out], cmp)).toBe(0);
    expect(cmp.out()).toMatch(/Papers' claims\n.*\n.*\nS27 second-order\/dyn-stability-sgd\/trace-threshold wasm f64 reduced +mechanism verified +mechanism verified/);
    const bad = capture();
    expect(await main(['claims', '--paper', 'S99'], bad)).toBe(2);
    expect(bad.err()).toMatch(/--paper: no claims or cases for 'S99' \(papers implemented: (S\d\d, )*S41(, S\d\d)*\)/);
    const byCase = capture();
    expect(await main(['verify', '--case', 'linalg/qr', '--backend', 'wasm', '--dtype', 'f64', '--no-save'], byCase)).toBe(0);
    expect(byCase.out()).toMatch(/linalg\/qr\s+wasm\s+f64\s+pass/);
    expect(byCase.out()).not.toMatch(/linalg\/svd/);
    const noCase = capture();
    expect(await main(['verify', '--case', 'linalg/qrr'], noCase)).toBe(2);
    expect(noCase.err()).toMatch(/--case: no case 'linalg\/qrr'; closest: linalg\/qr/);
    expect(await main(['bench', '--reduced'], capture())).toBe(2);
  });

  it('--repeats runs the bench in fresh processes, one results file each (the built CLI, end to end)', async () => {
    const { spawnSync } = await import('node:child_process');
    const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'bench', '--filter', 'primitives/dot', '--sizes', '1024', '--threads', '1', '--dtype', 'f64', '--time', '20', '--repeats', '2', '--results-dir', dir], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/repeat 2\/2: a fresh process/);
    const [key] = await readdir(dir);
    expect((await readdir(join(dir, key))).length).toBe(2);
  });

  it.skipIf(!existsSync('/usr/bin/chromium') && process.env.CI !== 'true')(skipTitle('run --browser runs the suite in headless Chromium and files its results', existsSync('/usr/bin/chromium') ? undefined : '/usr/bin/chromium not installed (npm run setup:browser)'), async () => {
    const io = capture();
    const t0 = performance.now();
    const code = await main(['run', '--browser', '--backend', 'wasm', '--family', 'second-order', '--paper', 'S27,S41', '--sizes', '2000', '--time', '50', '--browser-timeout', '110', '--results-dir', dir], io);
    expect(io.err()).not.toMatch(/error:|ERROR/);
    expect(code).toBe(0);
    expect(performance.now() - t0).toBeLessThan(100_000);
    expect(io.out()).toMatch(/lowrank run --browser: complete in /);
    const [key] = await readdir(dir);
    expect(key).toMatch(/^browser-.*-browserchrome-\d+-/);
    const [file] = await readdir(join(dir, key));
    const r = await readResults(join(dir, key, file));
    expect(r.verification.filter((v) => v.status === 'pass').length).toBeGreaterThan(0);
    expect(r.verification.filter((v) => v.status === 'fail' || v.status === 'error')).toEqual([]);
    // One thread and every core the page offers, as lowrank run times them (2 here).
    expect(r.benchmarks.map((b) => `${b.dtype} ${b.threads}t ${b.status}`).sort()).toEqual(['f32 1t ok', 'f32 2t ok', 'f64 1t ok', 'f64 2t ok']);
    expect(r.claims.map((c) => `${c.paper} ${c.mode} ${c.status}`)).toEqual(['S27 reduced mechanism verified', 'S41 reduced mechanism verified']);
    expect(r.options.crossOriginIsolated).toBe(true);
  }, 120_000);

  it.each([
    ['SIGINT', 130, ['claims', '--paper', 'S30', '--backend', 'wasm', '--threads', '1']],
    ['SIGTERM', 143, ['bench', '--backend', 'wasm', '--threads', '1', '--filter', 'linalg/svd*', '--sizes', '384', '--time', '20000']],
    ['SIGINT', 130, ['verify']],
  ] as const)('a real %s (exit %i) stops %j within a second, mid-loop, and saves the run marked incomplete', async (name, code, argv) => {
    const { spawn } = await import('node:child_process');
    const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const out = join(dir, `signal-${name}-${argv[0]}.json`);
    const child = spawn(process.execPath, [bin, ...argv, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    await new Promise((res) => setTimeout(res, 4000)); // well inside the first item's work
    const sent = performance.now();
    child.kill(name);
    const exit = await exited;
    const latencyMs = performance.now() - sent;
    expect(exit, err).toBe(code);
    expect(latencyMs).toBeLessThan(1500);
    expect((await readResults(out)).status).toBe('incomplete');
    expect(err).toMatch(new RegExp(`${name}: stopping at the next kernel call`));
  }, 30_000);

  it('never loses a run to its write: bad destinations refused before running, NaN fields kept as invalid, a fallback file', async () => {
    const out = join(dir, 'zero.json');
    // A cost model's 0/0 at n = 0 used to make the final write refuse all 39 records.
    expect(await main(['bench', '--backend', 'wasm', '--sizes', '0', '--threads', '1', '--dtype', 'f64', '--time', '10', '--filter', 'recovery/*', '--out', out], capture())).toBe(0);
    const r = await readResults(out);
    expect(r.benchmarks.length).toBeGreaterThan(0);
    expect(r.benchmarks.find((b) => b.invalid !== undefined)?.invalid).toEqual(['flops: NaN', 'bytes: NaN']);
    for (const [argv, message] of [
      [['bench', '--sizes', '64', '--out', out], /^lowrank: error: --out: '.*zero\.json' exists; results are never overwritten/],
      [['bench', '--sizes', '64', '--results-dir', join(out, 'sub')], /^lowrank: error: cannot write results to '.*zero\.json\/sub' \(ENOTDIR/],
      [['report', out, '--out', join(out, 'report')], /^lowrank: error: .*zero\.json\/report: cannot write the report \(ENOTDIR/],
    ] as const) {
      const io = capture();
      const t = performance.now();
      expect(await main([...argv], io)).toBe(2);
      expect(io.err()).toMatch(message);
      expect(io.err().trim().split('\n')).toHaveLength(1);
      expect(performance.now() - t).toBeLessThan(2000); // refused before anything ran
    }
    const err = capture();
    const saved = await saveResults({ out: join(out, 'x.json'), resultsDir: dir }, r, err.stderr);
    expect(saved.fallback).toBe(true);
    expect(err.err()).toMatch(/the run was saved to .*lowrank-unsaved-.*\.json instead/);
    expect((await readResults(saved.path)).runId).toBe(r.runId);
    await rm(saved.path);
  });

  it('the browser runner\'s server trusts no request: Host, token, content type, allowlist, dotfiles, bad URLs', async () => {
    const { startSuiteServer } = await import('./browser-run.ts');
    const { request } = await import('node:http');
    const server = await startSuiteServer('s3cret');
    const send = (path: string, o: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {}) => new Promise<number>((res, rej) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, method: o.method ?? 'GET', headers: { host: o.host ?? `127.0.0.1:${server.port}`, ...o.headers } }, (r) => { r.resume(); res(r.statusCode ?? 0); });
      req.on('error', rej);
      req.end(o.body);
    });
    try {
      expect(await send('/packages/cli/browser/index.html')).toBe(200);
      expect(await send('/')).toBe(200);
      expect(await send('/packages/cli/browser/index.html', { host: 'evil.example:80' })).toBe(403); // DNS rebinding
      expect(await send('/%E0%A4%A')).toBe(400); // crashed the server before
      for (const path of ['/.git/config', '/golden/.hidden', '/results/x.json', '/package.json', '/golden/../README.md', '/packages/cli/src/cli.ts']) expect(await send(path), path).toBe(404);
      const post = (headers: Record<string, string>, host?: string) => send('/results', { method: 'POST', headers, host, body: '{"ok":1}' });
      expect(await post({ 'content-type': 'text/plain' })).toBe(403); // a cross-origin simple request: no token
      expect(await post({ 'content-type': 'application/json', 'x-lowrank-token': 'guess' })).toBe(403);
      expect(await post({ 'content-type': 'application/json', 'x-lowrank-token': 's3cret' }, 'localhost.evil:1')).toBe(403);
      expect(await post({ 'content-type': 'text/plain', 'x-lowrank-token': 's3cret' })).toBe(415);
      expect(await post({ 'content-type': 'application/json', 'x-lowrank-token': 's3cret' })).toBe(204);
      expect(await server.posted).toEqual({ ok: 1 });
    } finally {
      server.close();
    }
  });

  it('names from a results file never become paths outside their folder', async () => {
    const src = join(dir, 'paths');
    expect(await main(['bench', '--backend', 'wasm', '--filter', 'primitives/dot', '--sizes', '4096', '--threads', '1', '--dtype', 'f64', '--time', '10', '--results-dir', src], capture())).toBe(0);
    const [key] = await readdir(src);
    const good = join(src, key, (await readdir(join(src, key)))[0]);
    const r = JSON.parse(await readFile(good, 'utf8'));
    for (const [field, value] of [['key', '../../x'], ['startedAt', '../../../tmp/x']] as const) {
      const bad = join(dir, `hostile-${field}.json`);
      await writeFile(bad, JSON.stringify(field === 'key' ? { ...r, machine: { ...r.machine, key: value } } : { ...r, startedAt: value }));
      const io = capture();
      expect(await main(['baseline', 'accept', bad], io)).toBe(2);
      expect(io.err()).toMatch(field === 'key' ? /machine\.key: a machine key/ : /startedAt: an ISO 8601 UTC time/);
    }
    expect(existsSync(join(dir, '..', 'x.json'))).toBe(false);
  });

  it.skipIf(!existsSync('/usr/bin/chromium') && process.env.CI !== 'true')(skipTitle('a real SIGINT stops run --browser at once, closing the page, exit 130', existsSync('/usr/bin/chromium') ? undefined : '/usr/bin/chromium not installed (npm run setup:browser)'), async () => {
    const { spawn } = await import('node:child_process');
    const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'run', '--browser', '--backend', 'wasm', '--no-save', '--full'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    await new Promise((res) => setTimeout(res, 5000));
    const sent = performance.now();
    child.kill('SIGINT');
    expect(await exited, err).toBe(130);
    expect(performance.now() - sent).toBeLessThan(3000);
    expect(err).toMatch(/SIGINT: the browser run was stopped/);
  }, 30_000);

  it('an interrupted run saves what it measured, marked incomplete, and exits 130', async () => {
    const io = capture(Promise.resolve());
    expect(await main(['run', '--results-dir', dir, '--time', '20'], io)).toBe(130);
    const [key] = await readdir(dir);
    const [file] = await readdir(join(dir, key));
    expect((await readResults(join(dir, key, file))).status).toBe('incomplete');
  });
});
