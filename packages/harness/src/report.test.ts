/**
 * The report in a real browser: Debian's Chromium driven by playwright-core (no browser download),
 * opening the folder from disk, checking that every chart rendered with data and the console stayed
 * clean. Skipped with a reason where Chromium is not installed, except under CI=true.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchRecord } from './bench.ts';
import { reportData, writeReport } from './report.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './results.ts';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);

function run(startedAt: string, scale: number): ResultsFile {
  const rec = (backend: string, threads: number, n: number, ms: number): BenchRecord => ({
    case: 'primitives/gemm',
    params: { n },
    label: `n=${n}`,
    backend,
    backendDescription: backend,
    dtype: 'f32',
    threads,
    status: 'ok',
    flops: 2 * n ** 3,
    bytes: 12 * n * n,
    gflops: (2 * n ** 3) / (ms * 1e6),
    gbps: (12 * n * n) / (ms * 1e6),
    stats: {
      samples: 20,
      medianMs: ms,
      madMs: ms / 100,
      meanMs: ms,
      minMs: ms,
      maxMs: ms,
      p75Ms: ms,
      p99Ms: ms,
      rme: 1,
      samplesMs: Array.from({ length: 20 }, (_, i) => ms * (1 + (i - 10) / 1000)),
    },
  });
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    interleaved: null,
    tool: { name: 'lowrank-bench', version: '0' },
    runId: `run${startedAt.replace(/\D/g, '')}`.slice(0, 12),
    command: 'run',
    status: 'complete',
    startedAt,
    finishedAt: startedAt,
    git: null,
    options: {},
    backends: [],
    machine: {
      key: 'test-machine',
      stable: {
        cpuModel: 'CPU',
        cpuCount: 2,
        memoryGiB: 1,
        os: 'linux',
        arch: 'x64',
        runtime: 'node',
        runtimeVersion: '20',
        wasm: { simd: true, relaxedSimd: false, threads: true },
        gpu: null,
      },
      volatile: {},
    } as never,
    verification: [
      {
        case: 'primitives/gemm',
        entry: 'e1',
        backend: 'wasm',
        dtype: 'f32',
        status: 'pass',
        durationMs: 1,
        metrics: [{ name: 'componentwise', value: 0.2, threshold: 30, passed: true }],
      },
      {
        case: 'primitives/dot',
        entry: 'e1',
        backend: 'wasm',
        dtype: 'f64',
        status: 'fail',
        durationMs: 1,
        metrics: [{ name: 'relative', value: 45, threshold: 30, passed: false }],
      },
    ],
    claims: [
      {
        claim: 'second-order/dyn-stability-sgd/trace-threshold',
        paper: 'S27',
        family: 'second-order',
        title: 't',
        statement: 's',
        backend: 'wasm',
        backendDescription: 'wasm',
        dtype: 'f64',
        threads: 2,
        mode: 'full',
        status: scale < 1.2 ? 'reproduced' : 'not reproduced',
        expected: 'reproduced',
        experiment: {},
        paperNumbers: [{ quantity: 'ratio <η>', value: '6e-5' }],
        measured: { 'sgd η=1.95': 6.16e-5, blowup: 'Infinity' },
        predicates: [
          { name: 'SGD blows up above the trace threshold', rule: 'r', kind: 'identity', holds: scale < 1.2 },
          { name: 'GD needs only λ_max ≤ 2/η', rule: 'r', kind: 'identity', holds: true },
        ],
        plot: {
          title: 'Error growth against the step size',
          x: { name: 'η·Tr H / 2', log: true },
          y: { name: '‖e_T‖ / ‖e₀‖', log: true },
          series: [
            {
              name: 'SGD',
              points: [
                [0.3, 1e-3],
                [0.9, 1e-2],
                [1.2, 1e12],
                [5, 'Infinity'],
              ],
            },
            { name: 'GD', points: [[9, 1e-15]] },
          ],
          marks: [{ axis: 'x', at: 1, label: 'η = 2/Tr H' }],
        },
        seeds: [0],
        durationMs: 1,
      },
    ],
    peaks: [1, 2].map((threads) => ({
      backend: 'wasm',
      threads,
      dtype: 'f32' as const,
      gflops: 60 * threads,
      gbps: 40 + threads,
      compute: 'primitives/gemm n=512',
      stream: 'primitives/axpy n=8388608',
    })),
    benchmarks: [
      rec('wasm', 1, 256, 0.7 * scale),
      rec('wasm', 1, 512, 5.5 * scale),
      rec('wasm', 2, 256, 0.4 * scale),
      rec('wasm', 2, 512, 2.8 * scale),
    ],
  };
}
const RUNS = [1, 1.001, 0.999, 1.002, 1.5, 1.499, 1.501].map((scale, i) => run(`2026-11-0${i + 1}T00:00:00Z`, scale));

/** A later run that timed only primitives/dot on WebGPU and verified nothing. */
function webgpuDotOnly(startedAt: string): ResultsFile {
  const r = run(startedAt, 1);
  const b = r.benchmarks[0];
  return {
    ...r,
    verification: [],
    claims: [],
    benchmarks: [{ ...b, case: 'primitives/dot', backend: 'webgpu', threads: 1 }],
  };
}

describe('report data', () => {
  it("has speed series, a roofline under each backend's measured roof, the heat map and the marked change", () => {
    const d = reportData(RUNS);
    expect(d.speed.map((s) => s.series).sort()).toEqual(['wasm 1t', 'wasm 2t']);
    expect(d.speed.every((s) => s.sizeParam === 'n')).toBe(true);
    expect(d.roofline.roofs.map((r) => [r.series, r.gflops, r.gbps])).toEqual([
      ['wasm 1t f32', 60, 41],
      ['wasm 2t f32', 120, 42],
    ]);
    expect(d.roofline.fallback).toBeNull();
    for (const p of d.roofline.points) {
      const roof = d.roofline.roofs.find((r) => r.series === p.series)!;
      expect(p.gflops).toBeLessThanOrEqual(Math.min(roof.gflops, roof.gbps * p.intensity));
    }
    // One roofline series (colour) per backend and dtype, one marker shape per family.
    expect([...new Set(d.roofline.points.map((p) => `${p.series} / ${p.family}`))].sort()).toEqual([
      'wasm 1t f32 / primitives',
      'wasm 2t f32 / primitives',
    ]);
    expect(d.accuracy.cells.find((c) => d.accuracy.cases[c[1]] === 'primitives/dot')?.[2]).toBeCloseTo(1.5);
    const h = d.history.find((x) => x.key === 'primitives/gemm n=512 wasm 1t f32');
    expect(h?.changes.map((c) => [c[0], c[2]])).toEqual([['2026-11-05T00:00:00Z', 'slower']]);
  });

  it("shows each benchmark's and entry's newest result over all runs, not only the newest run's", () => {
    const d = reportData([...RUNS, webgpuDotOnly('2026-11-09T00:00:00Z')]);
    expect(d.speed.map((s) => `${s.case} ${s.series}`).sort()).toEqual([
      'primitives/dot webgpu',
      'primitives/gemm wasm 1t',
      'primitives/gemm wasm 2t',
    ]);
    expect(d.accuracy.cases).toEqual(['primitives/gemm', 'primitives/dot']);
    // The newest gemm n=512 on one thread is the last of RUNS (scale 1.501).
    expect(d.roofline.points.find((p) => p.name === 'primitives/gemm n=512 wasm 1t f32')?.gflops).toBeCloseTo(
      (2 * 512 ** 3) / (5.5 * 1.501 * 1e6),
    );
  });

  it('without recorded peaks (files before schema 6) the roof is the best measured point, and says so', () => {
    const d = reportData(RUNS.map((r) => ({ ...r, peaks: undefined })));
    expect(d.roofline.roofs).toEqual([]);
    expect(d.roofline.fallback?.gflops).toBeCloseTo(Math.max(...d.roofline.points.map((p) => p.gflops)));
  });

  it('draws one speed series per variant (the parameters other than the size), named by them', () => {
    const r = run('2026-11-09T00:00:00Z', 1);
    const b = r.benchmarks[0];
    const gemv = (trans: boolean, n: number) => ({
      ...b,
      case: 'primitives/gemv',
      params: { n, trans },
      label: `n=${n},trans=${trans}`,
    });
    const d = reportData([
      { ...r, benchmarks: [gemv(false, 256), gemv(true, 256), gemv(false, 512), gemv(true, 512)] },
    ]);
    expect(d.speed.map((s) => [s.series, s.points.map((p) => p[0])])).toEqual([
      ['wasm 1t trans=false', [256, 512]],
      ['wasm 1t trans=true', [256, 512]],
    ]);
  });

  it('a speedup without a wasm 1-thread reference reads n/a, never a backend divided by itself', () => {
    const d = reportData([webgpuDotOnly('2026-11-09T00:00:00Z')]);
    expect(d.speedup).toEqual({
      columns: ['webgpu'],
      rows: [
        {
          benchmark: 'primitives/dot n=256 f32',
          cells: ['n/a'],
          facet: { machine: 'test-machine', dtype: 'f32' },
        },
      ],
    });
    const both = reportData([RUNS[0]]);
    expect(both.speedup.rows.find((r) => r.benchmark === 'primitives/gemm n=256 f32')?.cells).toEqual([
      '1.00×',
      '1.75×',
    ]);
  });
});

/** The folder the browser test writes its screenshots to, for a reviewer to look at (git ignores it). */
const SCREENSHOTS = fileURLToPath(new URL('../../../test-output/report-screenshots/', import.meta.url));

/** Opens a report in headless Chromium and hands the page and its console errors to `f`. */
async function withPage<T>(index: string, f: (page: Page, errors: string[]) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(index).href);
    await page.waitForFunction(() => (window as unknown as { REPORT_CHARTS?: number }).REPORT_CHARTS !== undefined);
    return await f(page, errors);
  } finally {
    await browser.close();
  }
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every chart on the page: its container, whether a series has data, and its title's and legend's boxes. */
function chartLayout(page: Page) {
  return page.evaluate(() => {
    interface View {
      group: { getBoundingRect(): Box & { applyTransform(m: unknown): void }; transform: unknown };
    }
    interface Instance {
      getOption(): { series: Array<{ data?: unknown[] }>; title?: Array<{ text?: string }> };
      getModel(): { getComponent(type: string): unknown };
      getViewOfComponentModel(model: unknown): View | undefined;
    }
    const w = window as unknown as { echarts: { getInstanceByDom(e: Element): Instance | undefined } };
    const box = (c: Instance, type: string): Box | null => {
      const model = c.getModel().getComponent(type);
      const view = model === undefined ? undefined : c.getViewOfComponentModel(model);
      if (view === undefined) return null;
      const r = view.group.getBoundingRect();
      if (view.group.transform) r.applyTransform(view.group.transform);
      return r.width > 0 && r.height > 0 ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
    };
    return [...document.querySelectorAll('div')].flatMap((el) => {
      const c = w.echarts.getInstanceByDom(el);
      if (c === undefined) return [];
      const o = c.getOption();
      return [
        {
          where: el.id || el.className,
          title: o.title?.[0]?.text ?? '',
          hasData: o.series.some((x) => (x.data ?? []).length > 0),
          titleBox: box(c, 'title'),
          legendBox: box(c, 'legend'),
        },
      ];
    });
  });
}

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/** Page height budget for the fixture (7 runs, 4 benchmarks, 1 claim): one screen per section, not a chart per benchmark. */
const HEIGHT_BUDGET_PX = 6000;

describe.skipIf(!haveChromium && process.env.CI !== 'true')(
  `report in headless Chromium${haveChromium ? '' : ' (skipped: /usr/bin/chromium not installed)'}`,
  () => {
    let dir = '';
    afterAll(() => rm(dir, { recursive: true, force: true }));
    it(`renders every chart with data and no console errors, no legend over a title, within ${HEIGHT_BUDGET_PX} px; screenshots in test-output/report-screenshots`, async () => {
      expect(haveChromium).toBe(true);
      dir = await mkdtemp(join(tmpdir(), 'report-'));
      const index = await writeReport(dir, RUNS);
      await withPage(index, async (page, errors) => {
        const charts = await page.evaluate(() => (window as unknown as { REPORT_CHARTS: number }).REPORT_CHARTS);
        // roofline, one speed chart (gemm f32), heat map, the history picker's chart, four changed histories, the claim's plot
        expect(charts).toBe(1 + 1 + 1 + 1 + 4 + 1);
        expect(await page.locator('#history-pick option').count()).toBe(4);
        expect(await page.locator('#history h3').textContent()).toBe('4 of 4 benchmarks changed');
        await page.selectOption('#history-pick', { index: 3 });
        // The roofline draws each backend's measured roof and lists the peaks.
        expect(await page.locator('#roofs table tr').count()).toBe(3);
        expect(await page.locator('#speedup table tr').count()).toBe(3);
        // The latest result of the one claim as a card: verdict with evidence, the paper's '<η>' as text, the plot.
        expect(await page.locator('#claims .card').count()).toBe(1);
        expect(await page.locator('#claims .verdict b.not').textContent()).toBe('not reproduced');
        expect(await page.locator('#claims .verdict').textContent()).toContain('identity 1/2 hold');
        expect(await page.locator('#claims .card').textContent()).toContain('ratio <η>: 6e-5');
        expect(await page.locator('#claims .card td').allTextContents()).toContain(
          '✗ identity: SGD blows up above the trace threshold',
        );
        const layout = await chartLayout(page);
        expect(layout).toHaveLength(charts);
        for (const c of layout) {
          expect(c.hasData, `${c.where} ${c.title}: no data`).toBe(true);
          if (c.titleBox !== null && c.legendBox !== null)
            expect(overlap(c.titleBox, c.legendBox), `${c.where} ${c.title}: legend over the title`).toBe(0);
        }
        expect(layout.filter((c) => c.legendBox !== null).length).toBeGreaterThanOrEqual(3);
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        expect(height).toBeLessThanOrEqual(HEIGHT_BUDGET_PX);
        expect(errors).toEqual([]);
        await mkdir(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, 'page.png'), fullPage: true });
        for (const id of ['roofline', 'speed', 'history', 'claims'])
          await page.locator(`#${id}`).screenshot({ path: join(SCREENSHOTS, `${id}.png`) });
        // The reader picks a backend: every section is drawn again from its items alone.
        await page.selectOption('#pick-backend', 'wasm 2t');
        expect(await page.locator('#roofs table tr').count()).toBe(2);
        expect(await page.locator('#history-pick option').count()).toBe(2);
        expect(await page.locator('#speedup th').allTextContents()).toEqual(['benchmark', 'wasm 1t', 'wasm 2t']);
        expect(await page.locator('#claims .card').count()).toBe(1);
        // Verification names the backend without threads: WASM's checks stay beside either thread count.
        expect(await page.locator('#accuracy p.empty').count()).toBe(0);
        await page.selectOption('#pick-backend', 'wasm');
        expect(await page.locator('#roofs table tr').count()).toBe(3);
        await page.selectOption('#pick-backend', 'wasm 1t');
        expect(await page.locator('#claims p.empty').textContent()).toMatch(/^No claims/);
        await page.selectOption('#pick-dtype', 'f64');
        expect(await page.locator('#roofline p.empty').count()).toBe(1);
        await page.selectOption('#pick-backend', '');
        await page.selectOption('#pick-dtype', '');
        expect(await page.evaluate(() => (window as unknown as { REPORT_CHARTS: number }).REPORT_CHARTS)).toBe(charts);
        expect(errors).toEqual([]);
      });
    }, 60_000);

    it('says why a section is empty instead of drawing an empty frame', async () => {
      const index = await writeReport(join(dir, 'sparse'), [webgpuDotOnly('2026-11-09T00:00:00Z')]);
      await withPage(index, async (page, errors) => {
        expect(await page.locator('#accuracy p.empty').textContent()).toMatch(/^No verification in these runs/);
        expect(await page.locator('#history p.empty').textContent()).toMatch(/two or more of these runs/);
        expect(await page.locator('#claims p.empty').textContent()).toMatch(/^No claims in these runs/);
        expect(await page.locator('#speedup td').allTextContents()).toEqual(['primitives/dot n=256 f32', 'n/a']);
        // A claim filed before claims declared plots gets its card and says why it has no plot.
        const old = await writeReport(join(dir, 'old-claim'), [
          { ...RUNS[0], claims: RUNS[0].claims.map((c) => ({ ...c, plot: undefined })) },
        ]);
        await page.goto(pathToFileURL(old).href);
        await page.waitForFunction(() => (window as unknown as { REPORT_CHARTS?: number }).REPORT_CHARTS !== undefined);
        expect(await page.locator('#claims .claim-plot.empty').textContent()).toMatch(/^No plot recorded/);
        expect(errors).toEqual([]);
      });
    }, 60_000);
    it('names every case on the accuracy axis (40 cases), not every other one', async () => {
      const r = RUNS[0];
      const many = {
        ...r,
        verification: Array.from({ length: 40 }, (_, i) => ({ ...r.verification[0], case: `family/case-${i}` })),
      };
      const index = await writeReport(join(dir, 'many-cases'), [many]);
      await withPage(index, async (page, errors) => {
        const labels = await page.evaluate(() => {
          const w = window as unknown as {
            echarts: {
              getInstanceByDom(e: Element): {
                getModel(): { getComponent(t: string): { axis: { getViewLabels(): unknown[] } } };
              };
            };
          };
          return w.echarts
            .getInstanceByDom(document.getElementById('accuracy')!)
            .getModel()
            .getComponent('yAxis')
            .axis.getViewLabels().length;
        });
        expect(labels).toBe(40);
        expect(errors).toEqual([]);
      });
    }, 60_000);

    it('runs no script from a hostile results file: tables, titles and every tooltip show the text as text', async () => {
      const evil = (tag: string) => `<img src=x onerror="window.__pwned = (window.__pwned || []).concat('${tag}')">`;
      const hostile = RUNS.slice(0, 3).map((r) => ({
        ...r,
        machine: {
          ...r.machine,
          key: evil('key'),
          stable: {
            ...r.machine.stable,
            cpuModel: evil('cpu'),
            runtime: evil('runtime'),
            runtimeVersion: '1',
            gpu: { description: evil('gpu') },
          },
        },
        benchmarks: r.benchmarks.map((b) => ({
          ...b,
          case: evil('case'),
          label: evil('label'),
          backend: b.threads === 1 ? evil('backend') : b.backend,
        })),
        verification: r.verification.map((v) => ({ ...v, case: evil('vcase'), backend: evil('vbackend') })),
        claims: r.claims.map((c) => ({
          ...c,
          paper: evil('paper'),
          claim: evil('claim'),
          title: evil('title'),
          message: evil('message'),
          predicates: c.predicates.map((q) => ({ ...q, name: evil('predicate'), kind: evil('kind') })),
          paperNumbers: [{ quantity: evil('quantity'), value: evil('value') }],
          plot: {
            ...c.plot!,
            title: evil('plot'),
            series: c.plot!.series.map((x) => ({ ...x, name: evil('series') })),
            marks: [{ axis: 'x', at: 1, label: evil('mark') }],
          },
        })),
      })) as ResultsFile[];
      const hdir = await mkdtemp(join(tmpdir(), 'report-hostile-'));
      const index = await writeReport(hdir, hostile);
      try {
        await withPage(index, async (page) => {
          // Open every chart's tooltip on its first data point (ECharts renders tooltip strings as HTML).
          const shown = await page.evaluate(async () => {
            const w = window as unknown as {
              echarts: {
                getInstanceByDom(
                  e: Element,
                ): { dispatchAction(a: object): void; getOption(): { series: unknown[] } } | undefined;
              };
            };
            let n = 0;
            for (const el of document.querySelectorAll('div')) {
              const c = w.echarts.getInstanceByDom(el);
              if (c === undefined) continue;
              for (let s = 0; s < c.getOption().series.length; s++) {
                c.dispatchAction({ type: 'showTip', seriesIndex: s, dataIndex: 0 });
                n++;
                await new Promise((r) => setTimeout(r, 30));
              }
            }
            return n;
          });
          expect(shown).toBeGreaterThan(4);
          await page.waitForTimeout(300);
          expect(await page.evaluate(() => (window as unknown as { __pwned?: string[] }).__pwned)).toBeUndefined();
          expect(await page.locator('#machines img, #speedup img, #claims img').count()).toBe(0);
          expect(await page.locator('#machines').textContent()).toContain('<img src=x onerror=');
        });
      } finally {
        await rm(hdir, { recursive: true, force: true });
      }
    }, 60_000);
  },
);
