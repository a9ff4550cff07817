import { createRefBackend } from '@lowrank/backend-ref';
import { defineClaim, forAll, msPerCall } from '@lowrank/core';
import { describe, expect, it } from 'vitest';
import { checkBands, plotProblems, runClaims, type ClaimRecord } from './claims.ts';
import { fromMeasured, toMeasured } from './measured.ts';
import { gate } from './gate.ts';
import { toMarkdown } from './export.ts';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './results.ts';

const threshold = defineClaim({
  id: 'test/threshold',
  paper: 'S00',
  family: 'test',
  title: 'x stays below one',
  statement: 'x < 1 (a test claim)',
  paperNumbers: [{ quantity: 'x', value: '0.5' }],
  primitives: ['dot'],
  dtypes: ['f64', 'f32'],
  experiment: { full: { x: 0.5 }, reduced: { x: 2 } },
  predicates: [{ name: 'below one', rule: 'x < 1', kind: 'empirical', holds: (m) => m.x < 1 }],
  bands: { x: [0, 3] },
  plot: (m) => ({
    title: 'x',
    x: { name: 'i' },
    y: { name: 'x', log: true },
    series: [
      {
        name: 'x',
        points: [
          [0, m.x],
          [1, m.blowup],
        ],
      },
    ],
    marks: [{ axis: 'y', at: 1, label: 'one' }],
  }),
  run: async (_be, _dtype, e) => ({ measured: { x: e.x, blowup: Infinity }, seeds: [7] }),
});
const broken = defineClaim({
  ...threshold,
  id: 'test/broken',
  run: async () => {
    throw new Error('diverged');
  },
});

function run(claims: ClaimRecord[]): ResultsFile {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    interleaved: null,
    claims,
    tool: { name: 'lowrank-bench', version: '0' },
    runId: 'abcdefgh12',
    command: 'claims',
    status: 'complete',
    startedAt: '',
    finishedAt: '',
    git: null,
    machine: {} as never,
    options: {},
    backends: [],
    verification: [],
    benchmarks: [],
  };
}

describe('claims runner', () => {
  const be = createRefBackend();

  it('decides by the predicates: the full experiment reproduces, the reduced one (x = 2) does not; both keep the numbers', async () => {
    const [full] = await runClaims({ claims: [threshold as never], backends: [be], mode: 'full' });
    expect(full).toMatchObject({
      status: 'reproduced',
      measured: { x: 0.5, blowup: 'Infinity' },
      seeds: [7],
      mode: 'full',
      dtype: 'f64',
      paper: 'S00',
    });
    const [reduced] = await runClaims({ claims: [threshold as never], backends: [be], mode: 'reduced' });
    expect(reduced.status).toBe('not reproduced');
    expect(reduced.predicates).toEqual([{ name: 'below one', rule: 'x < 1', kind: 'empirical', holds: false }]);
  });

  it("files the claim's plot on the run's numbers, and names a plot that reads what the run did not measure", async () => {
    const [r] = await runClaims({ claims: [threshold as never], backends: [be], mode: 'reduced' });
    expect(r.plot).toEqual({
      title: 'x',
      x: { name: 'i' },
      y: { name: 'x', log: true },
      series: [
        {
          name: 'x',
          points: [
            [0, 2],
            [1, 'Infinity'],
          ],
        },
      ],
      marks: [{ axis: 'y', at: 1, label: 'one' }],
    });
    expect(plotProblems(threshold as never, r)).toEqual([]);
    const misspelt = {
      ...threshold,
      plot: (m: Record<string, number>) => ({
        ...threshold.plot(m, {} as never),
        series: [{ name: 'typo', points: [[0, m.xx]] }],
      }),
    };
    const [bad] = await runClaims({ claims: [misspelt as never], backends: [be], mode: 'reduced' });
    expect(plotProblems(misspelt as never, bad)).toEqual([
      "the plot reads 'xx', which the run did not measure",
      "series 'typo' has no finite point",
    ]);
  });

  it('a test checks measured quantities against bands, whatever the verdict: unbanded reads, misses and missing quantities are named', async () => {
    const [reduced] = await runClaims({ claims: [threshold as never], backends: [be], mode: 'reduced' });
    expect(checkBands(threshold as never, reduced)).toEqual({ unbanded: [], outside: [] }); // not reproduced, x = 2 in [0, 3]
    expect(checkBands({ ...threshold, bands: { x: [0, 1], y: [0, 1] } } as never, reduced)).toEqual({
      unbanded: [],
      outside: ['x = 2 ∉ [0, 1]', 'y = not measured ∉ [0, 1]'],
    });
    expect(checkBands({ ...threshold, bands: {} } as never, reduced)).toEqual({ unbanded: ['x'], outside: [] });
    expect(checkBands({ ...threshold, bands: { blowup: [1e300, Infinity] } } as never, reduced).outside).toEqual([]);
    expect(checkBands({ ...threshold, bands: { x: 'timed', blowup: 'timed' } } as never, reduced).outside).toEqual([
      'blowup = Infinity ∉ finite (timed)',
    ]);
    // Per dtype: the f64 run is held to the f64 band; a dtype without one leaves the quantity unbanded.
    expect(checkBands({ ...threshold, bands: { x: { f64: [1.5, 2.5], f32: [0, 1] } } } as never, reduced)).toEqual({
      unbanded: [],
      outside: [],
    });
    expect(checkBands({ ...threshold, bands: { x: { f64: [0, 1] } } } as never, reduced).outside).toEqual([
      'x = 2 ∉ [0, 1]',
    ]);
    expect(checkBands({ ...threshold, bands: { x: { f32: [0, 1] } } } as never, reduced)).toEqual({
      unbanded: ['x'],
      outside: [],
    });
    const [err] = await runClaims({ claims: [broken as never], backends: [be] });
    expect(checkBands(broken as never, err)).toEqual({ error: 'Error: diverged', unbanded: [], outside: [] });
  });

  it('a missing kernel is unsupported and an exception an error, with the message', async () => {
    const r = await runClaims({ claims: [threshold, broken] as never, backends: [be], dtypes: ['f32', 'f64'] });
    expect(r.map((x) => `${x.claim} ${x.dtype} ${x.status}`)).toEqual([
      'test/threshold f64 reproduced',
      'test/threshold f32 unsupported',
      'test/broken f64 error',
      'test/broken f32 unsupported',
    ]);
    expect(r[2].message).toBe('Error: diverged');
    const f32First = defineClaim({ ...threshold, id: 'test/f32-first', dtypes: ['f32', 'f64'] });
    expect((await runClaims({ claims: [f32First as never], backends: [be] })).map((x) => x.dtype)).toEqual(['f64']); // ref has no f32
  });

  it('a predicate over an empty measurement is an error of the claim; identity and mechanism alone read "mechanism verified"', async () => {
    const vacuous = defineClaim({
      ...threshold,
      id: 'test/vacuous',
      predicates: [
        {
          name: 'all small',
          rule: 'every y < 1',
          kind: 'empirical',
          holds: (m) =>
            forAll(
              Object.keys(m).filter((k) => k.startsWith('y')),
              (k) => m[k] < 1,
              'y values',
            ),
        },
      ],
    });
    const [r] = await runClaims({ claims: [vacuous as never], backends: [be], mode: 'full' });
    expect(r.status).toBe('error');
    expect(r.message).toBe("VacuousPredicateError: predicate 'all small': the rule quantifies over no y values");
    const identity = defineClaim({
      ...threshold,
      id: 'test/identity',
      predicates: [{ ...threshold.predicates[0], kind: 'identity' }],
    });
    const [m] = await runClaims({ claims: [identity as never], backends: [be], mode: 'full' });
    expect(m.status).toBe('mechanism verified');
    expect(m.predicates).toEqual([{ name: 'below one', rule: 'x < 1', kind: 'identity', holds: true }]);
  });

  it('msPerCall repeats a timed call in synced fours for at least the asked time', async () => {
    let calls = 0,
      syncs = 0;
    const counted = {
      ...be,
      sync: async () => {
        syncs++;
      },
    } as typeof be;
    const ms = await msPerCall(
      counted,
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 1));
      },
      5,
    );
    expect(calls % 4).toBe(0);
    expect(syncs).toBe(1 + calls / 4); // once before the clock starts, then every fourth call
    expect(ms).toBeGreaterThan(0);
  });

  it('keeps non-finite measurements by name through JSON', () => {
    for (const v of [1.5, Infinity, -Infinity, NaN])
      expect(Object.is(fromMeasured(JSON.parse(JSON.stringify(toMeasured(v)))), v)).toBe(true);
  });

  it('the gate fails on a claim reproduced in the baseline and not now, and on an erroring claim; Markdown lists claims', async () => {
    const [ok] = await runClaims({ claims: [threshold as never], backends: [be], mode: 'full' });
    const [lost] = await runClaims({ claims: [threshold as never], backends: [be], mode: 'full' }).then((r) =>
      r.map((c) => ({ ...c, status: 'not reproduced' as const })),
    );
    const [err] = await runClaims({ claims: [broken as never], backends: [be] });
    expect(gate([run([ok])], [run([ok])]).passed).toBe(true);
    expect(gate([run([ok])], [run([lost, err])]).reasons).toEqual([
      'claim error: S00 test/broken ref f64 full',
      'claim regression: S00 test/threshold ref f64 full: reproduced in the baseline, not reproduced now',
    ]);
    expect(gate([run([lost])], [run([lost])]).passed).toBe(true); // not reproduced both times: a finding, not a regression
    expect(toMarkdown([run([ok])])).toMatch(
      /\| S00 \| test\/threshold \| ref \| f64 \| full \| reproduced \| x: 0.5 \| x = 0.5, blowup = Infinity \|/,
    );
  });
});
