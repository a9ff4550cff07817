import { BYTES_PER_ELEMENT, type AxpyParams, type DotParams, type GemvParams, type Nrm2Params, type ScalParams } from '@lowrank/core';
import { exportName, type KernelContext, type WasmTensor } from './context.ts';

/** Memory-bound level-1/2 kernels run on one thread: at these sizes a second core adds only latency. */
export function gemv(ctx: KernelContext, p: GemvParams<WasmTensor>): void {
  const acc = ctx.scratch(0, p.n * BYTES_PER_ELEMENT[p.a.dtype]);
  ctx.call(exportName('gemv', p.a.dtype), +p.trans, p.m, p.n, p.alpha, p.a.ptr, p.x.ptr, p.beta, p.y.ptr, acc);
}

export function dot(ctx: KernelContext, p: DotParams<WasmTensor>): number {
  return ctx.call(exportName('dot', p.x.dtype), p.x.ptr, p.y.ptr, p.n);
}

export function axpy(ctx: KernelContext, p: AxpyParams<WasmTensor>): void {
  ctx.call(exportName('axpy', p.x.dtype), p.alpha, p.x.ptr, p.y.ptr, p.n);
}

export function scal(ctx: KernelContext, p: ScalParams<WasmTensor>): void {
  ctx.call(exportName('scal', p.x.dtype), p.alpha, p.x.ptr, p.n);
}

export function nrm2(ctx: KernelContext, p: Nrm2Params<WasmTensor>): number {
  return ctx.call(exportName('nrm2', p.x.dtype), p.x.ptr, p.n);
}
