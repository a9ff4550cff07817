import type { DType } from '@lowrank/core';

/**
 * Element types in WGSL. f16 tensors are stored as f16 (with `enable f16;`) and computed in f32:
 * every load widens (`f32(x)`) and every store narrows once (`f16(v)`), so the arithmetic error is
 * f32's and only the storage rounds to f16.
 */
export type Elem = 'f16' | 'f32';

export function elem(dtype: DType): Elem {
  return dtype === 'f16' ? 'f16' : 'f32';
}

/** The directive an f16 shader must open with. */
export function enable(e: Elem): string {
  return e === 'f16' ? 'enable f16;\n' : '';
}
