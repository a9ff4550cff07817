import {
  BINARY_OPS, REDUCE_OPS, UNARY_OPS,
  type BinaryParams, type ReduceParams, type TransposeParams, type UnaryParams,
} from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from './context.ts';

// Op codes are indices into the op lists of @lowrank/core; assembly/elementwise.ts and reduce.ts
// switch on the same indices (the cross-backend tests check every op against the reference).

export function unary(ctx: KernelContext, p: UnaryParams<WasmTensor>): void {
  ctx.call(exportName('unary', p.x.dtype), UNARY_OPS.indexOf(p.op), p.x.ptr, p.out.ptr, p.n);
}

export function binary(ctx: KernelContext, p: BinaryParams<WasmTensor>): void {
  ctx.call(exportName('binary', p.x.dtype), BINARY_OPS.indexOf(p.op), p.x.ptr, p.y.ptr, p.out.ptr, p.n);
}

export function reduce(ctx: KernelContext, p: ReduceParams<WasmTensor>): void {
  ctx.call(exportName('reduce', p.x.dtype), REDUCE_OPS.indexOf(p.op), p.axis === 'rows' ? 0 : 1, p.x.ptr, p.out.ptr, p.rows, p.cols);
}

export function transpose(ctx: KernelContext, p: TransposeParams<WasmTensor>): void {
  ctx.call(exportName('transpose', p.x.dtype), p.x.ptr, p.out.ptr, p.rows, p.cols);
}
