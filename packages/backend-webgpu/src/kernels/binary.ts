import type { BinaryOp, BinaryParams } from '@lowrank/core';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem } from '../shared/dtype.ts';
import { mapProgram } from '../shared/map.ts';

/** The WGSL expression of each op on `x` and `y`. NaN-propagating max/min are spelled out with bit tests. */
const BINARY_WGSL: Readonly<Record<BinaryOp, string>> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'x / y',
  max: 'select(max(x, y), x + y, isNan32(x) || isNan32(y))',
  min: 'select(min(x, y), x + y, isNan32(x) || isNan32(y))',
};

export function binary(ctx: KernelContext, p: BinaryParams<WebGpuTensor>): Promise<void> {
  return ctx.run([
    mapProgram(elem(p.x.dtype), `binary-${p.op}`, BINARY_WGSL[p.op], [p.x.buffer, p.y.buffer], p.out.buffer, p.n),
  ]);
}
