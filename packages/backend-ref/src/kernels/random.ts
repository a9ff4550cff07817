import { fillRandom, type RandomParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

export function random(p: RandomParams<RefTensor>): void {
  p.out.data.set(fillRandom({ seed: p.seed, stream: p.stream }, p.dist, p.out.dtype, p.n, p.offset));
}
