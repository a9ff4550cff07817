import { BYTES_PER_ELEMENT, defineCase, errorOverLargest, fillRandom, hostTensor, ops } from '@lowrank/core';

/**
 * The factorized layer's forward pass (x·B)·A against the dense x·W, for ranks on both sides of the
 * break-even r = mn/(m + n) (S18's matvec micro-benchmark; LoRD claims the factorized form is faster
 * below half of it). Verified by the dense pass on W = B·A in the same dtype.
 */
export const factorizedLayerCase = defineCase({
  id: 'compress/factorized-layer',
  family: 'compress',
  paper: 'S18',
  title: 'Factorized layer forward (x·B)·A versus dense x·W, ranks around the break-even mn/(m + n)',
  primitives: ['gemm'],
  dtypes: ['f32', 'f64'],
  bench: {
    params: (sizes) =>
      (sizes ?? [1024]).flatMap((n) =>
        [0.125, 0.25, 0.5, 1].flatMap((share) => [
          { n, batch: 64, share, form: 'factorized' },
          ...(share === 1 ? [{ n, batch: 64, share, form: 'dense' }] : []),
        ]),
      ),
    // share: r as a fraction of the break-even rank n·n/(2n) = n/2. Dense 2·batch·n²; factorized 2·batch·r·2n.
    cost: ({ n, batch, share, form }, dtype) => {
      const r = Math.max(1, Math.round(((share as number) * (n as number)) / 2));
      return form === 'dense'
        ? { flops: 2 * batch * n * n, bytes: (n * n + 2 * batch * n) * BYTES_PER_ELEMENT[dtype] }
        : { flops: 4 * batch * r * n, bytes: (2 * n * r + 2 * batch * n + batch * r) * BYTES_PER_ELEMENT[dtype] };
    },
    async setup(be, dtype, { n, batch, share, form }) {
      const r = Math.max(1, Math.round(((share as number) * (n as number)) / 2));
      const x = await be.upload(
        hostTensor(dtype, [batch, n], fillRandom({ seed: 0, stream: 84 }, 'normal', 'f64', batch * n)),
      );
      const b = await be.upload(hostTensor(dtype, [n, r], fillRandom({ seed: 0, stream: 85 }, 'normal', 'f64', n * r)));
      const a = await be.upload(hostTensor(dtype, [r, n], fillRandom({ seed: 0, stream: 86 }, 'normal', 'f64', r * n)));
      const w = form === 'dense' ? await ops.gemm(be, b, a) : null;
      const hidden = be.zeros(dtype, [batch, r]),
        y = be.zeros(dtype, [batch, n]);
      return {
        async run() {
          if (w) await ops.gemm(be, x, w, { c: y });
          else await ops.gemm(be, await ops.gemm(be, x, b, { c: hidden }), a, { c: y });
        },
        async accuracy() {
          // Both forms against the dense product with W = B·A, relative max-norm difference.
          const ref = await ops.gemm(be, x, w ?? (await ops.gemm(be, b, a)));
          const value = errorOverLargest((await be.download(y)).data, (await be.download(ref)).data);
          be.dispose(ref);
          return { metric: 'max |y − x·(B·A)| / max |y|', value };
        },
        dispose() {
          for (const t of [x, b, a, hidden, y, ...(w ? [w] : [])]) be.dispose(t);
        },
      };
    },
  },
});
