/**
 * The checks every primitive's front end makes before a kernel runs, written once: ownership, rank,
 * shape, dtype and finite scalars, and the kernel lookup that turns a missing kernel into an
 * `UnsupportedError` (never a silent fallback) and gives a pending signal its chance to stop the run.
 */
import { supports, type Backend, type DeviceTensor, type PrimitiveName, type PrimitiveSignatures } from '../backend.ts';
import type { DType } from '../dtype.ts';
import { ArgumentError, DTypeError, ShapeError, UnsupportedError } from '../errors.ts';
import { interruptPoint } from '../interrupt.ts';
import { formatShape, type Shape } from '../tensor.ts';

export function kernel<P extends PrimitiveName>(be: Backend, p: P, dtype: DType): PrimitiveSignatures<DeviceTensor>[P] {
  const fn = be.kernels[p] as PrimitiveSignatures<DeviceTensor>[P] | undefined;
  if (fn === undefined || !supports(be, p, dtype)) {
    throw new UnsupportedError(
      `backend '${be.name}' has no ${dtype} kernel for '${p}' (see its capability table: lowrank info)`,
    );
  }
  // Every ~50 ms of kernel calls, one yield to the event loop, where a signal can stop the run (interrupt.ts).
  const pending = interruptPoint();
  if (pending === null) return fn;
  return (async (params: never) => {
    await pending;
    return (fn as (q: never) => unknown)(params);
  }) as unknown as PrimitiveSignatures<DeviceTensor>[P];
}

export function owned(be: Backend, name: string, t: DeviceTensor): void {
  if (t === null || typeof t !== 'object' || t.backend !== be) {
    throw new ArgumentError(`${name} is not a tensor of backend '${be.name}'`);
  }
}

export function sameDType(name: string, t: DeviceTensor, dtype: DType): void {
  if (t.dtype !== dtype) throw new DTypeError(`${name} is ${t.dtype} but the operation is ${dtype}`);
}

export function finiteScalar(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ArgumentError(`${name} must be a finite number, got ${String(v)}`);
}

export function rank(name: string, t: DeviceTensor, r: number): void {
  if (t.shape.length !== r) throw new ShapeError(`${name} must have rank ${r}, got shape ${formatShape(t.shape)}`);
}

export function checkShape(name: string, t: DeviceTensor, expected: Shape): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new ShapeError(`${name} has shape ${formatShape(t.shape)}, expected ${formatShape(expected)}`);
  }
}

export function oneOf<T extends string>(name: string, v: T, allowed: readonly T[]): void {
  if (!allowed.includes(v)) throw new ArgumentError(`${name} must be one of ${allowed.join(', ')}, got '${String(v)}'`);
}

export function square(name: string, t: DeviceTensor): number {
  rank(name, t, 2);
  if (t.shape[0] !== t.shape[1]) throw new ShapeError(`${name} must be square, got ${formatShape(t.shape)}`);
  return t.shape[0];
}

export function vectorPair(be: Backend, x: DeviceTensor, y: DeviceTensor): number {
  owned(be, 'x', x);
  owned(be, 'y', y);
  sameDType('y', y, x.dtype);
  if (x.size !== y.size) throw new ShapeError(`x has ${x.size} elements but y has ${y.size}`);
  return x.size;
}
