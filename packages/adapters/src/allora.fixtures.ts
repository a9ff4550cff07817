/**
 * The adapters S01 compares, each as a `TrainableLayer` from LoRA's initialization (A ~ N(0, 1/(3·in)),
 * B = 0; DoRA's m = ‖W₀‖_row): LoRA with its α/r and dropout 0.05 (the paper's baseline recipe) and
 * without the dropout (what is left of the difference once dropout is gone), ALLoRA and its OD ablation
 * (no α/r, no dropout), DoRA (α/r, no dropout here).
 */
import { hostTensor, type Backend, type DeviceTensor, type DType } from '@lowrank/core';
import { AlloraLayer } from './allora.ts';
import { DoraLayer } from './dora.ts';
import { rowNorms } from './layer-ops.ts';
import type { TrainableLayer } from './layer-train.ts';
import { loraInit, LoraLayer } from './lora.ts';

export const METHODS = ['LoRA', 'LoRA without dropout', 'DoRA', 'ALLoRA', 'ALLoRA-OD'] as const;
export type Method = (typeof METHODS)[number];

export interface MethodConfig {
  readonly rank: number;
  /** LoRA's and DoRA's α/r. */
  readonly scale: number;
  readonly dropout: number;
  /** ALLoRA's η. */
  readonly eta: number;
  readonly seed: number;
}

/** LoRA's initial factors on the backend: A ~ N(0, 1/(3·in)) (r×in), B = 0 (out×r). */
export async function initialFactors(
  be: Backend,
  dtype: DType,
  outputs: number,
  inputs: number,
  rank: number,
  seed: number,
): Promise<[DeviceTensor, DeviceTensor]> {
  const theta = loraInit(outputs, inputs, { rank, alpha: rank, seed });
  return [
    await be.upload(hostTensor(dtype, [rank, inputs], theta.subarray(0, rank * inputs))),
    await be.upload(hostTensor(dtype, [outputs, rank], theta.subarray(rank * inputs))),
  ];
}

/** A fresh adapter of `method` on the frozen W₀ (out×in, device; not owned). */
export async function makeMethod(
  be: Backend,
  dtype: DType,
  method: Method,
  w0: DeviceTensor,
  c: MethodConfig,
): Promise<TrainableLayer> {
  const [a, b] = await initialFactors(be, dtype, w0.shape[0], w0.shape[1], c.rank, c.seed);
  if (method === 'LoRA' || method === 'LoRA without dropout') {
    const dropout = method === 'LoRA' ? c.dropout : 0;
    const l = new LoraLayer(be, w0, a, b, { rank: c.rank, alpha: c.scale * c.rank, dropout, seed: c.seed });
    return {
      params: () => ({ a: l.a, b: l.b }),
      setParams: (p) => ((l.a = p.a), (l.b = p.b)),
      forward: (x, step) => l.forward(x, step),
      gradients: async (cache, dy) => {
        const g = await l.backward(cache as Parameters<LoraLayer['backward']>[0], dy);
        return { a: g.da, b: g.db };
      },
      weight: () => l.weight(),
    };
  }
  if (method === 'DoRA') {
    const l = new DoraLayer(be, w0, a, b, await rowNorms(be, w0), { rank: c.rank, alpha: c.scale * c.rank });
    return {
      params: () => ({ a: l.a, b: l.b, m: l.m }),
      setParams: (p) => ((l.a = p.a), (l.b = p.b), (l.m = p.m)),
      forward: (x) => l.forward(x),
      gradients: async (cache, dy) => {
        const g = await l.backward(cache as Parameters<DoraLayer['backward']>[0], dy);
        return { a: g.da, b: g.db, m: g.dm };
      },
      weight: () => l.weight(),
    };
  }
  const l = new AlloraLayer(be, w0, a, b, { eta: c.eta, outputs: method === 'ALLoRA-OD' });
  return {
    params: () => ({ a: l.a, b: l.b }),
    setParams: (p) => ((l.a = p.a), (l.b = p.b)),
    forward: (x) => l.forward(x),
    gradients: async (cache, dy) => {
      const g = await l.backward(cache as Parameters<AlloraLayer['backward']>[0], dy);
      return { a: g.da, b: g.db };
    },
    weight: () => l.weight(),
  };
}
