import type { Backend, DeviceTensor } from '../backend.ts';
import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';
import { NumericalError, ShapeError } from '../errors.ts';
import { formatShape } from '../tensor.ts';
import { finiteScalar, kernel, owned, sameDType, square } from './check.ts';
import type { CostModel } from './cost.ts';

/**
 * Triangular solve with many right-hand sides, in place: B (n×m) ← α·op(T)⁻¹·B, T n×n lower or
 * upper, op(T) = T or Tᵀ, unit diagonal optional. Returns 0, or j + 1 for the first zero on T's diagonal.
 */
export interface TrsmParams<T = DeviceTensor> {
  t: T;
  b: T;
  n: number;
  m: number;
  lower: boolean;
  trans: boolean;
  unitDiag: boolean;
  alpha: number;
}

declare module '../backend.ts' {
  interface PrimitiveSignatures<T> {
    trsm(p: TrsmParams<T>): number | Promise<number>;
  }
}

/** Triangular solve with m right-hand sides: n²·m flops. */
export function trsmCost(n: number, m: number, dtype: DType): CostModel {
  return { flops: n * n * m, bytes: BYTES_PER_ELEMENT[dtype] * ((n * n) / 2 + 2 * n * m) };
}

export interface TrsmOptions {
  lower?: boolean;
  trans?: boolean;
  unitDiag?: boolean;
  alpha?: number;
}

/** Solves op(T)·X = α·B for X, overwriting B (n×m, or a vector of length n). Returns B. Throws NumericalError on a zero diagonal. */
export async function trsm(be: Backend, t: DeviceTensor, b: DeviceTensor, o: TrsmOptions = {}): Promise<DeviceTensor> {
  owned(be, 't', t);
  owned(be, 'b', b);
  sameDType('b', b, t.dtype);
  const n = square('t', t);
  if (b.shape.length !== 1 && b.shape.length !== 2)
    throw new ShapeError(`b must be a vector or a matrix, got ${formatShape(b.shape)}`);
  if (b.shape[0] !== n) throw new ShapeError(`b has ${b.shape[0]} rows but t is ${n}×${n}`);
  const alpha = o.alpha ?? 1;
  finiteScalar('alpha', alpha);
  const m = b.shape.length === 1 ? 1 : b.shape[1];
  const info = await kernel(
    be,
    'trsm',
    t.dtype,
  )({ t, b, n, m, lower: o.lower ?? true, trans: o.trans ?? false, unitDiag: o.unitDiag ?? false, alpha });
  if (info !== 0) throw new NumericalError(`trsm: t is singular: diagonal element ${info - 1} is zero`);
  return b;
}
