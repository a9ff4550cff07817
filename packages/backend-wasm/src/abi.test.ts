import { builtModule as bytes } from './built.fixtures.ts';
import { describe, expect, it } from 'vitest';
import { ABI } from './abi.ts';
import { abiMismatches, checkAbi, exportedSignatures } from './abi-check.ts';

const VARIANTS = ['simd-private', 'simd-shared', 'relaxed-private', 'relaxed-shared'] as const;

describe('kernel ABI', () => {
  it.each(VARIANTS)('every export of the %s build matches abi.ts, and every entry is exported', (v) => {
    expect(abiMismatches(bytes(v))).toEqual([]);
    expect(exportedSignatures(bytes(v)).get('geev_f32')).toBe('(i32, i32, i32, i32, i32, i32) -> i32');
    expect(exportedSignatures(bytes(v)).get('spmm_f64')).toMatch(/, f64\) -> void$/);
  });

  it('reports work sizes past 2 GiB whole (an i32 would wrap to a small or negative scratch)', async () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536 });
    const { instance } = await WebAssembly.instantiate(bytes('simd-private'), { env: { memory } });
    const call = (name: string, ...args: number[]) => (instance.exports[name] as (...a: number[]) => number)(...args);
    const k = 2 ** 15;
    // W, Vᵀ, G (f32) and the pairs' u32 stamps, the f64 norms and u32 rotation stamps, the state, GEMM's packing: 2³⁶ + …
    expect(call('svdWorkBytes', k, k, 4)).toBe(4 * k * k * 4 + 12 * k + 32 + call('gemmScratchBytes_f32'));
    expect(call('syevWorkBytes', 16384, 8)).toBeGreaterThan(5 * 16384 ** 2 * 8); // W, Q, U, Q gathered, λ differences
    expect(call('batchedGemmScratchBytes_f64', 2 ** 16, 2 ** 12)).toBe(2 ** 31 + 4 * 4 * 8);
  });

  it('names an export whose parameter type, count or result differs, a missing one and an undeclared one', () => {
    const { trsm, geev, nrm2, philoxBlock: _undeclared, ...rest } = ABI;
    const edited = {
      ...rest,
      trsm: { ...trsm, params: trsm.params.map((p) => (p[0] === 'alpha' ? (['alpha', 'f64'] as const) : p)) },
      geev: { ...geev, params: geev.params.slice(1) },
      nrm2: { ...nrm2, result: 'i32' as const },
      notThere: { params: [], result: 'void' as const, generic: false },
    };
    const problems = abiMismatches(bytes('simd-private'), edited);
    expect(problems).toContain(
      'trsm_f32: declared (i32, i32, i32, i32, i32, i32, i32, f64) -> i32, module has (i32, i32, i32, i32, i32, i32, i32, f32) -> i32',
    );
    expect(problems.filter((p) => p.startsWith('geev_f'))).toHaveLength(2);
    expect(problems).toContain('nrm2_f64: declared (i32, i32) -> i32, module has (i32, i32) -> f64');
    expect(problems).toContain('notThere: declared () -> void, missing from the module');
    expect(problems).toContain(
      'philoxBlock: exported as (i32, i32, i32, i32, i32, i32, i32) -> void, not declared in abi.ts',
    );
  });

  it('refuses a truncated or foreign module with a typed error instead of reading past it', () => {
    const b = bytes('simd-private');
    expect(() => checkAbi(b.subarray(0, b.length >> 1), 'half.wasm')).toThrow(
      /wasm: cannot read half\.wasm: section \d+ runs past the end/,
    );
    expect(() => checkAbi(new TextEncoder().encode('<html>'), 'page.wasm')).toThrow(/not a WebAssembly module/);
    expect(() => checkAbi(b, 'ok.wasm')).not.toThrow();
  });
});
