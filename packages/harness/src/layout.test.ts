/**
 * The tree's promise: given a primitive's name, its file on every backend is a fixed path
 * (core/src/primitives/<name>.ts, backend-ref/src/kernels/<name>.ts, backend-wasm/assembly/<name>.ts and
 * src/kernels/<name>.ts, backend-webgpu/src/kernels/<name>.ts), each exporting the kernel under that
 * name; helpers live in each package's shared/ and never in kernels/. And the test plan reads each
 * backend's own capability table, so what is skipped is what the backend says it lacks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { PRIMITIVES } from '@lowrank/core';
import { assemblyIndex } from '@lowrank/backend-wasm/abi';
import { beforeAll, describe, expect, it } from 'vitest';
import { planTestBackends, type PlannedBackend } from './testing.ts';

const root = new URL('../../', import.meta.url);
const names = (dir: string) => readdirSync(new URL(dir, root)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3)).sort();
const sorted = (xs: readonly string[]) => [...xs].sort();

/** Primitives whose WASM glue calls another primitive's export (batchedGemm runs gemm_* per batch). */
const GLUE_ONLY = ['batchedGemm'];

const KERNEL_DIRS = ['backend-ref/src/kernels/', 'backend-wasm/src/kernels/', 'backend-webgpu/src/kernels/'];

describe('one primitive, one file per column', () => {
  it('core declares each primitive in primitives/<name>.ts, beside the shared checks and costs', () => {
    expect(names('core/src/primitives/')).toEqual(sorted([...PRIMITIVES, 'check', 'cost', 'index']));
  });

  it.each(KERNEL_DIRS)('%s holds exactly one file per primitive, each exporting the kernel by its name', async (dir) => {
    expect(names(dir)).toEqual(sorted(PRIMITIVES));
    for (const p of PRIMITIVES) {
      const mod = (await import(new URL(`${dir}${p}.ts`, root).href)) as Record<string, unknown>;
      expect(typeof mod[p], `${dir}${p}.ts exports ${p}`).toBe('function');
    }
  });

  it('backend-wasm/assembly holds one file per primitive with a kernel export, and the generated index', () => {
    expect(names('backend-wasm/assembly/')).toEqual(sorted([...PRIMITIVES.filter((p) => !GLUE_ONLY.includes(p)), 'index']));
    for (const p of PRIMITIVES.filter((q) => !GLUE_ONLY.includes(q))) {
      expect(readFileSync(new URL(`backend-wasm/assembly/${p}.ts`, root), 'utf8')).toMatch(new RegExp(`export function ${p}_f(32|64)\\(`));
    }
  });

  it('assembly/index.ts is what the ABI table generates (npm run abi:exports)', () => {
    expect(readFileSync(new URL('backend-wasm/assembly/index.ts', root), 'utf8')).toBe(assemblyIndex(PRIMITIVES));
  });
});

describe('the test plan reads each backend\'s own capability table', () => {
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
