import { EPSILON, computeEps, defineCase, hostTensor, ops, prose } from '@lowrank/core';
import { hippoLegS } from './hippo.ts';
import { worstRatio } from './ratios.ts';
import {
  bilinearKernelDense,
  bilinearKernelDiagonal,
  diagonalForm,
  transferDense,
  transferDiagonal,
  type ComplexSeries,
} from './s4-ptd.ts';

/** Worst |ĝ(iω) − g(iω)| / unit(ω) against a golden stored as [2, count] (real parts, then imaginary). */
function worstComplex(got: ComplexSeries, want: ArrayLike<number>, unit: (i: number) => number): number {
  const count = got.re.length;
  const gap = Float64Array.from({ length: count }, (_, i) =>
    Math.hypot(got.re[i] - want[i], got.im[i] - want[count + i]),
  );
  return worstRatio(gap, new Float64Array(count), unit);
}

/** Split complex values sorted by imaginary part, then real part (the golden's order). */
function sortedEigenvalues(re: ArrayLike<number>, im: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: re.length }, (_, i) => i).sort((a, b) => im[a] - im[b] || re[a] - re[b]);
  return Float64Array.from([...idx.map((i) => re[i]), ...idx.map((i) => im[i])]);
}

export const s4PtdCase = defineCase({
  id: 'ssm/s4-ptd',
  family: 'ssm',
  paper: 'S06',
  title: "HiPPO-LegS's transfer function by dense solves, and its PTD and S4D diagonal forms",
  primitives: ['geev', 'svd', 'syev', 'gemm', 'reduce', 'lu', 'trsm'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'ssm/s4-ptd',
    reads: {
      params: {
        n: 'number',
        epsilon: 'number',
        dt: 'number',
        kappaPtd: 'number',
        kernelScale: 'number',
        kernelPtdScale: 'number',
      },
      inputs: ['c', 'e', 'omegas'],
      outputs: [
        'a',
        'b',
        'normal',
        's4dEigenvalues',
        'transfer',
        'transferScale',
        'transferPtd',
        'transferPtdScale',
        'transferS4d',
        'transferS4dScale',
        'kernel',
        'kernelPtd',
      ],
      conventions: prose`
        c (n) and e (n×n, ‖e‖₂ = epsilon) stored; omegas (64) the frequencies; transfer* [2, 64] real then imaginary
        parts of G(iω) with their per-frequency error scales; s4dEigenvalues [2, n] of A_N sorted by imaginary then
        real part; kernel and kernelPtd (256) the bilinear kernels with step dt
      `,
    },
    thresholds: {
      matrices: {
        value: 4,
        why: prose`
          |Â − A| / (ε₆₄·max|A|) for A, B and A_N on the host: exact formulas, A_N written in closed form here and
          summed as A + PPᵀ in the golden, so the two differ by the sum's rounding, one unit
        `,
      },
      eigenvalues: {
        value: 30,
        why: prose`
          |λ̂ − λ| / (n·ε·‖A_N‖_F): A_N = −½I + S is normal, so its eigenvalues are perfectly conditioned and a
          backward-stable QR iteration (backward error n·ε·‖A‖) moves them by as much
        `,
      },
      transfer: {
        value: 30,
        why: prose`
          |Ĝ(iω) − G(iω)| / (n·ε·κ₂(iωI − A)·‖C‖·‖x‖) per frequency: LU with partial pivoting of the real
          embedding is backward stable, so the solution x moves by κ times its backward error
        `,
      },
      diagonal: {
        value: 30,
        why: prose`
          |Ĝ − G| / (n·ε·κ₂(V)·Σ_j|C̃_jB̃_j|/|iω − λ_j|) for the PTD (A + E) and S4D (A_N, κ = 1) forms: the
          eigenbasis is accurate to κ(V)·ε and the poles' sum cancels terms of that size
        `,
      },
      kernels: {
        value: 30,
        why: prose`
          |K̂_k − K_k| / (√L·n·ε·s) with s = ‖C‖·max_k‖Ā^kB̄‖ for HiPPO's dense kernel (one LU, then L matrix
          powers) and s = κ₂(Ṽ)·Σ_j|C̃_jB̄_j| for the PTD diagonal kernel (|λ̄_j| < 1): each step's rounding (n·ε·s)
          carried forward by the stable Ā, the L steps' errors adding as a random walk (√L), not all in one direction
        `,
      },
    },
    async check(be, dtype, entry) {
      const p = entry.params as Record<string, number>;
      const { c, e, omegas } = entry.inputs;
      const o = entry.outputs,
        n = p.n;
      const eps = computeEps(be, dtype),
        e64 = EPSILON.f64;
      const h = hippoLegS(n);
      const peak = (x: ArrayLike<number>) => Math.max(...Array.from(x, Math.abs));
      const matrices = Math.max(
        worstRatio(h.a, o.a.data, () => e64 * peak(o.a.data)),
        worstRatio(h.b, o.b.data, () => e64 * peak(o.b.data)),
        worstRatio(h.normal, o.normal.data, () => e64 * peak(o.normal.data)),
      );

      const release = be.track();
      let eigenvalues: number;
      try {
        const eig = await ops.geev(be, await be.upload(hostTensor(dtype, [n, n], h.normal)));
        const got = sortedEigenvalues((await be.download(eig.valuesRe)).data, (await be.download(eig.valuesIm)).data);
        const normF = Math.hypot(...Array.from(h.normal));
        const want = o.s4dEigenvalues.data;
        const gap = Float64Array.from({ length: n }, (_, i) => Math.hypot(got[i] - want[i], got[n + i] - want[n + i]));
        eigenvalues = worstRatio(gap, new Float64Array(n), () => n * eps * normF);
      } finally {
        release();
      }

      const w = omegas.data;
      const dense = await transferDense(be, dtype, h.a, n, h.b, c.data, w);
      const transfer = worstComplex(dense, o.transfer.data, (i) => n * eps * o.transferScale.data[i]);
      const perturbed = h.a.map((v, i) => v + e.data[i]);
      const ptd = await diagonalForm(be, dtype, perturbed, n, h.b, c.data);
      const s4d = await diagonalForm(be, dtype, h.normal, n, h.b, c.data);
      const diagonal = Math.max(
        worstComplex(transferDiagonal(ptd, w), o.transferPtd.data, (i) => n * eps * o.transferPtdScale.data[i]),
        worstComplex(transferDiagonal(s4d, w), o.transferS4d.data, (i) => n * eps * o.transferS4dScale.data[i]),
      );
      const length = o.kernel.data.length;
      const kd = await bilinearKernelDense(be, dtype, h.a, n, h.b, c.data, p.dt, length);
      const kp = bilinearKernelDiagonal(ptd, p.dt, length);
      const kernels = Math.max(
        worstRatio(kd, o.kernel.data, () => Math.sqrt(length) * n * eps * p.kernelScale),
        worstRatio(kp, o.kernelPtd.data, () => Math.sqrt(length) * n * eps * p.kernelPtdScale),
      );
      return { matrices, eigenvalues, transfer, diagonal, kernels };
    },
  },
});
