import { UNARY_OPS, type UnaryParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from '../kernel-context.ts';

// Op codes are indices into the op lists of @lowrank/core; assembly/unary.ts, binary.ts and reduce.ts
// switch on the same indices (the cross-backend tests check every op against the reference).
export function unary(ctx: KernelContext, p: UnaryParams<WasmTensor>): void {
  ctx.call(exportName('unary', p.x.dtype), UNARY_OPS.indexOf(p.op), p.x.ptr, p.out.ptr, p.n);
}
