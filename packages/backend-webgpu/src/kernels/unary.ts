import type { UnaryOp, UnaryParams } from '@lowrank/core';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { elem } from '../shared/dtype.ts';
import { mapProgram } from '../shared/map.ts';

/** The WGSL expression of each op on `x` (exp, log, tanh from wgsl-math.ts, not WGSL's builtins). */
const UNARY_WGSL: Readonly<Record<UnaryOp, string>> = {
  neg: '-x',
  abs: 'abs(x)',
  square: 'x * x',
  sqrt: 'sqrt(x)',
  exp: 'expAccurate(x)',
  log: 'logAccurate(x)',
  tanh: 'tanhAccurate(x)',
  relu: 'select(x, 0.0, x < 0.0)',
  reciprocal: '1.0 / x',
};

export function unary(ctx: KernelContext, p: UnaryParams<WebGpuTensor>): Promise<void> {
  return ctx.run([mapProgram(elem(p.x.dtype), `unary-${p.op}`, UNARY_WGSL[p.op], [p.x.buffer], p.out.buffer, p.n)]);
}
