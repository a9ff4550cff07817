import type { Nrm2Params } from '@lowrank/core';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem } from '../shared/dtype.ts';
import { reduceToScalar } from '../shared/reduction.ts';

/**
 * ‖x‖₂ in f32 without overflow: m = max|x_i| first, then Σ(x_i·2^-e)² with 2^e ≥ m a power of two
 * (exact scaling), result 2^e·√sum computed on the host in f64.
 */
export async function nrm2(ctx: KernelContext, p: Nrm2Params<WebGpuTensor>): Promise<number> {
  const t = elem(p.x.dtype);
  const m = await reduceToScalar(ctx, t, 'absmax', 'abs(f32(in0[i]))', 'max', [p.x.buffer], p.n);
  if (m === 0 || !Number.isFinite(m)) return m;
  const e = Math.ceil(Math.log2(m)) + (2 ** Math.ceil(Math.log2(m)) === m ? 1 : 0);
  const s = await reduceToScalar(
    ctx,
    t,
    'sumsq-scaled',
    '(f32(in0[i]) * p.scale) * (f32(in0[i]) * p.scale)',
    'sum',
    [p.x.buffer],
    p.n,
    2 ** -e,
  );
  return Math.sqrt(s) * 2 ** e;
}
