import { BYTES_PER_ELEMENT, type DType } from '../dtype.ts';

/** Work and traffic of one call: flops counted as in LAPACK working notes (a multiply-add = 2). */
export interface CostModel {
  flops: number;
  bytes: number;
}

/** Level-1 and elementwise: `flopsPerElement` per element, `arrays` arrays of n elements moved. */
export function streamCost(n: number, dtype: DType, flopsPerElement: number, arrays: number): CostModel {
  return { flops: n * flopsPerElement, bytes: n * arrays * BYTES_PER_ELEMENT[dtype] };
}
