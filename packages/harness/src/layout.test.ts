/**
 * The tree's promise: given a primitive's name, its file on every backend is a fixed path
 * (core/src/primitives/<name>.ts, backend-ref/src/kernels/<name>.ts, backend-wasm/assembly/<name>.ts and
 * src/kernels/<name>.ts, backend-webgpu/src/kernels/<name>.ts), each exporting the kernel under that
 * name; helpers live in each package's shared/ and never in kernels/. The test plan reads each
 * backend's own capability table, so what is skipped is what the backend says it lacks. And the
 * imports stay a tree: no circle among source files, every workspace import declared.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { PRIMITIVES } from '@lowrank/core';
import { assemblyIndex } from '@lowrank/backend-wasm/abi';
import { beforeAll, describe, expect, it } from 'vitest';
import { planTestBackends, type PlannedBackend } from './testing.ts';

const root = new URL('../../', import.meta.url);
const names = (dir: string) =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
const sorted = (xs: readonly string[]) => [...xs].sort();

const KERNEL_DIRS = ['backend-ref/src/kernels/', 'backend-wasm/src/kernels/', 'backend-webgpu/src/kernels/'];

describe('one primitive, one file per column', () => {
  it('core declares each primitive in primitives/<name>.ts, beside the shared checks and costs', () => {
    expect(names('core/src/primitives/')).toEqual(sorted([...PRIMITIVES, 'check', 'cost', 'index']));
  });

  it.each(KERNEL_DIRS)(
    '%s holds exactly one file per primitive, each exporting the kernel by its name',
    async (dir) => {
      expect(names(dir)).toEqual(sorted(PRIMITIVES));
      for (const p of PRIMITIVES) {
        const mod = (await import(new URL(`${dir}${p}.ts`, root).href)) as Record<string, unknown>;
        expect(typeof mod[p], `${dir}${p}.ts exports ${p}`).toBe('function');
      }
    },
  );

  it('backend-wasm/assembly holds one file per primitive with its kernel exports, and the generated index', () => {
    expect(names('backend-wasm/assembly/')).toEqual(sorted([...PRIMITIVES, 'index']));
    // The primitive's own name, or the names of the phases its glue calls in order (syevReduce_f64, …).
    for (const p of PRIMITIVES) {
      expect(readFileSync(new URL(`backend-wasm/assembly/${p}.ts`, root), 'utf8')).toMatch(
        new RegExp(`export function ${p}(?:[A-Z]\\w*)?_f(32|64)\\(`),
      );
    }
  });

  it('assembly/index.ts is what the ABI table generates (npm run abi:exports)', () => {
    expect(readFileSync(new URL('backend-wasm/assembly/index.ts', root), 'utf8')).toBe(assemblyIndex(PRIMITIVES));
  });
});

describe("the test plan reads each backend's own capability table", () => {
  let planned: PlannedBackend[];
  beforeAll(async () => {
    planned = await planTestBackends();
  });

  it('every available backend serves the table and the reasons its plan was read from', async () => {
    for (const tb of planned.filter((b) => b.support !== null)) {
      const be = await tb.open();
      try {
        expect(be.capabilities, tb.label).toEqual(tb.support!.capabilities);
        for (const p of PRIMITIVES) {
          for (const d of ['f16', 'f32', 'f64'] as const) {
            const served = be.capabilities[p]?.includes(d) ?? false;
            expect(tb.skip(p, d), `${tb.label} ${p} ${d}`).toBe(served ? undefined : be.noKernelReason(p, d));
          }
        }
      } finally {
        await be.close();
      }
    }
  });
});

/** Source files of a package (tests included when asked), as paths relative to packages/. */
function sources(pkg: string, tests: boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(new URL(dir, root))) {
      const rel = `${dir}${f}`;
      if (statSync(new URL(rel, root)).isDirectory()) walk(`${rel}/`);
      else if (f.endsWith('.ts') && !f.endsWith('.d.ts') && (tests || !f.endsWith('.test.ts'))) out.push(rel);
    }
  };
  walk(`${pkg}/src/`);
  return out;
}

const PACKAGES = readdirSync(new URL('.', root)).filter(
  (d) => statSync(new URL(`${d}/package.json`, root), { throwIfNoEntry: false }) !== undefined,
);
const IMPORT = /^(?:import|export)\s(?:[^'"]*?from\s+)?'([^']+)'/gm;
const importsOf = (file: string) => [...readFileSync(new URL(file, root), 'utf8').matchAll(IMPORT)].map((m) => m[1]);

/** Family packages: a paper's algorithm, its cases and its claims side by side. */
const FAMILIES = PACKAGES.filter(
  (p) => !['core', 'harness', 'cli', 'primitives'].includes(p) && !p.startsWith('backend-'),
);

describe('papers', () => {
  it.each(FAMILIES)(
    '%s: <algo>.case.ts, <algo>.claims.ts and <algo>.fixtures.ts sit beside <algo>.ts, and no case imports a claims file',
    (pkg) => {
      const files = readdirSync(new URL(`${pkg}/src/`, root));
      const roles = files.filter((f) => /\.(case|claims|fixtures)\.ts$/.test(f));
      expect(
        roles.filter((f) => !files.includes(f.replace(/\.(case|claims|fixtures)\.ts$/, '.ts'))),
        'without their algorithm file',
      ).toEqual([]);
      expect(
        files.filter((f) => /(-claims|-cases|^cases)\.ts$/.test(f)),
        'named by the old rule',
      ).toEqual([]);
      const cases = files.filter((f) => f.endsWith('.case.ts'));
      expect(
        cases.filter((f) => importsOf(`${pkg}/src/${f}`).some((m) => m.endsWith('.claims.ts'))),
        'cases importing claims',
      ).toEqual([]);
    },
  );
});

describe('sources every runtime parses', () => {
  it('no source file raises an awaited value to a power (Deno refuses it at parse time)', () => {
    const offenders = PACKAGES.flatMap((pkg) =>
      sources(pkg, true).filter((f) =>
        /\(await [^()]*(?:\([^()]*\))?[^()]*\)\s*\*\*/.test(readFileSync(new URL(f, root), 'utf8')),
      ),
    );
    expect(offenders).toEqual([]);
  });
});

describe('imports', () => {
  it('no source file reaches itself through relative imports (no import circle)', () => {
    const graph = new Map<string, string[]>();
    for (const pkg of PACKAGES) {
      for (const f of sources(pkg, false)) {
        graph.set(
          f,
          importsOf(f)
            .filter((m) => m.startsWith('.'))
            .map((m) => new URL(m, new URL(f, root)).href.slice(root.href.length)),
        );
      }
    }
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...path.slice(path.indexOf(f)), f].join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) visit(g, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(circles).toEqual([]);
  });

  it.each(PACKAGES)('%s declares every workspace package it imports (tests included)', (pkg) => {
    const json = JSON.parse(readFileSync(new URL(`${pkg}/package.json`, root), 'utf8')) as {
      name: string;
      dependencies?: object;
      devDependencies?: object;
    };
    const declared = new Set([
      json.name,
      ...Object.keys(json.dependencies ?? {}),
      ...Object.keys(json.devDependencies ?? {}),
    ]);
    const used = new Set(
      sources(pkg, true)
        .flatMap(importsOf)
        .filter((m) => m.startsWith('@lowrank/'))
        .map((m) => m.split('/').slice(0, 2).join('/')),
    );
    expect([...used].filter((u) => !declared.has(u))).toEqual([]);
  });
});
