/** Tensor primitives on every backend (golden: numpy.einsum), and the HOSVD's exactness on a Tucker tensor. */
import { createRefBackend } from '@lowrank/backend-ref';
import { ops } from '@lowrank/core';
import { familySuite } from '@lowrank/harness/vitest';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cases, hosvd, modeProduct, tuckerReconstruct } from './index.ts';

const GOLDEN = fileURLToPath(new URL('../../../golden', import.meta.url));

describe('Tucker algebra (reference backend)', () => {
  const be = createRefBackend();

  it('the truncated HOSVD of a tensor of multilinear rank r reconstructs it to rounding', async () => {
    const shape = [6, 5, 4],
      ranks = [3, 2, 2];
    const core = await ops.random(be, 'f64', [12], { dist: 'normal', seed: 4, stream: 0 });
    const factors = await Promise.all(
      shape.map((n, k) => ops.random(be, 'f64', [n, ranks[k]], { dist: 'normal', seed: 4, stream: 1 + k })),
    );
    const x = (await tuckerReconstruct(be, core, ranks, factors)).tensor;
    const h = await hosvd(be, x, shape, ranks);
    expect(h.coreShape).toEqual(ranks);
    const back = (await tuckerReconstruct(be, h.core, h.coreShape, h.factors)).tensor;
    const d = await ops.binary(be, 'sub', back, x);
    expect((await ops.nrm2(be, d)) / (await ops.nrm2(be, x))).toBeLessThan(1e-13);
  });

  it('shapes and modes are checked by name', async () => {
    const x = await ops.random(be, 'f64', [24], { dist: 'normal', seed: 1 });
    const a = await ops.random(be, 'f64', [2, 3], { dist: 'normal', seed: 2 });
    await expect(modeProduct(be, x, [2, 3, 4], a, 3)).rejects.toThrow(/mode 3 is not in \[0, 3\)/);
    await expect(modeProduct(be, x, [2, 3, 5], a, 1)).rejects.toThrow(/24 values cannot have shape \[2×3×5\]/);
    await expect(modeProduct(be, x, [2, 3, 4], a, 0)).rejects.toThrow(/A must be J×2 for mode 0/);
    await expect(hosvd(be, x, [2, 3, 4], [1, 4, 1])).rejects.toThrow(
      /ranks \[1, 4, 1\] must be integers in \[1, n_k\]/,
    );
  });
});

await familySuite({ family: 'tensor', cases, goldenRoot: GOLDEN });
