import { prune24, quantizeRows } from './weight-compression.ts';

/**
 * The compressions of the EoRA experiment and case (S45), in order: per-row 3-bit quantization, 2:4
 * pruning, and both (pruned, then quantized); `golden` names each in the golden compress/eora.
 */
export const COMPRESSIONS: ReadonlyArray<{
  name: string;
  golden: string;
  compress: (w: Float64Array, m: number, n: number) => Float64Array;
}> = [
  { name: '3-bit', golden: 'quant3', compress: (w, m, n) => quantizeRows(w, m, n, 3) },
  { name: '2:4', golden: 'prune24', compress: (w, m, n) => prune24(w, m, n) },
  { name: '2:4 + 3-bit', golden: 'both', compress: (w, m, n) => quantizeRows(prune24(w, m, n), m, n, 3) },
];
