/** Element types. Matrices are row-major; f64 is the reference precision. */
export type DType = 'f32' | 'f64';
export const DTYPES: readonly DType[] = ['f32', 'f64'];

export type TypedArrayOf<D extends DType> = D extends 'f32' ? Float32Array : Float64Array;
export type FloatArray = Float32Array | Float64Array;

/** Unit roundoff u = 2^-p (half the machine epsilon), the ε of LAPACK's `dlamch('E')`. */
export const UNIT_ROUNDOFF: Readonly<Record<DType, number>> = {
  f32: 2 ** -24,
  f64: 2 ** -53,
};

/** Machine epsilon (spacing of floats at 1): the ε used in LAPACK-style ratios (`dlamch('P')`). */
export const EPSILON: Readonly<Record<DType, number>> = {
  f32: 2 ** -23,
  f64: 2 ** -52,
};

export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { f32: 4, f64: 8 };

export function allocArray(dtype: DType, length: number): FloatArray {
  return dtype === 'f32' ? new Float32Array(length) : new Float64Array(length);
}

export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float32Array ? 'f32' : 'f64';
}

export function isDType(x: unknown): x is DType {
  return x === 'f32' || x === 'f64';
}
