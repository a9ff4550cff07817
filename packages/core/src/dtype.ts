/**
 * Element types. Matrices are row-major; f64 is the reference precision. f16 (binary16) is offered by
 * GPU backends whose adapter has shader-f16; on the host its values live in a Float32Array.
 */
export type DType = 'f16' | 'f32' | 'f64';
export const DTYPES: readonly DType[] = ['f16', 'f32', 'f64'];

export type TypedArrayOf<D extends DType> = D extends 'f64' ? Float64Array : Float32Array;
export type FloatArray = Float32Array | Float64Array;

/** Unit roundoff u = 2^-p (half the machine epsilon), the ε of LAPACK's `dlamch('E')`. */
export const UNIT_ROUNDOFF: Readonly<Record<DType, number>> = {
  f16: 2 ** -11,
  f32: 2 ** -24,
  f64: 2 ** -53,
};

/** Machine epsilon (spacing of floats at 1): the ε used in LAPACK-style ratios (`dlamch('P')`). */
export const EPSILON: Readonly<Record<DType, number>> = {
  f16: 2 ** -10,
  f32: 2 ** -23,
  f64: 2 ** -52,
};

export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { f16: 2, f32: 4, f64: 8 };

export function allocArray(dtype: DType, length: number): FloatArray {
  return dtype === 'f64' ? new Float64Array(length) : new Float32Array(length);
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float32Array ? 'f32' : 'f64';
}

export function isDType(x: unknown): x is DType {
  return x === 'f16' || x === 'f32' || x === 'f64';
}
