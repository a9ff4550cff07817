import { defineCase, hostTensor, kalmanCost, ops, prose, scaledRatio, type Backend, type DType } from '@lowrank/core';
import { epsFor, get, put } from './io.ts';

/**
 * max over the blocks of ‖x̂_j − x_j‖ / (√N·m·ε·κ·s): m×m products at each of N steps (errors ≤ m·ε relative), κ
 * the covariances' condition (how far a rounding of a covariance moves the gain), s the scale of the quantity (the
 * largest mean norm, or covariance norm). √N, not N: the steps' roundings are independent and the filter's update
 * contracts, so they do not add up linearly (the probabilistic bound of Higham & Mary, SIAM J. Sci. Comput. 41(5),
 * 2019); with N the long f32 entry could not fail.
 */
function blockRatio(got: ArrayLike<number>, want: ArrayLike<number>, block: number, unit: number): number {
  let worst = 0,
    scale = 0;
  for (let i = 0; i < want.length; i += block) {
    let s = 0;
    for (let j = i; j < i + block; j++) s += want[j] * want[j];
    scale = Math.max(scale, Math.sqrt(s));
  }
  for (let i = 0; i < want.length; i += block) {
    let e = 0;
    for (let j = i; j < i + block; j++) e += (got[j] - want[j]) ** 2;
    const r = scaledRatio(Math.sqrt(e), unit * scale);
    if (!(r <= worst)) worst = Number.isNaN(r) ? Infinity : r;
  }
  return worst;
}

/** Matérn-3/2 dynamics between coordinates spaced `dt` (expm(FΔ) in closed form), for timing. */
async function maternModel(be: Backend, dtype: DType, steps: number, batch: number) {
  const ell = 0.3,
    lam = Math.sqrt(3) / ell,
    dt = 0.01;
  const e = Math.exp(-lam * dt);
  const a1 = [e * (1 + lam * dt), e * dt, -e * lam * lam * dt, e * (1 - lam * dt)];
  const pinf = [1, 0, 0, lam * lam];
  const q1 = [0, 0, 0, 0];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      let s = 0;
      for (let k = 0; k < 2; k++) for (let l = 0; l < 2; l++) s += a1[i * 2 + k] * pinf[k * 2 + l] * a1[j * 2 + l];
      q1[i * 2 + j] = pinf[i * 2 + j] - s;
    }
  const a = new Float64Array(steps * 4),
    q = new Float64Array(steps * 4);
  for (let j = 0; j < steps; j++) {
    a.set(j === 0 ? [1, 0, 0, 1] : a1, j * 4);
    q.set(j === 0 ? [0, 0, 0, 0] : q1, j * 4);
  }
  const up = (shape: number[], data: ArrayLike<number>) => be.upload(hostTensor(dtype, shape, Float64Array.from(data)));
  return {
    a: await up([steps, 2, 2], a),
    q: await up([steps, 2, 2], q),
    h: await up([2], [1, 0]),
    y: await ops.random(be, dtype, [batch, steps], { dist: 'normal', seed: 24, stream: 0 }),
    w: await up([batch, steps], new Float64Array(batch * steps).fill(25)),
    m0: await up([2], [0, 0]),
    p0: await up([2, 2], pinf),
  };
}

export const kalmanCase = defineCase({
  id: 'primitives/kalman',
  family: 'primitives',
  title: 'Kalman filter + RTS smoother over independent sequences: smoothed means, covariances, log-likelihoods',
  primitives: ['kalman', 'random'],
  dtypes: ['f32', 'f64'],
  verify: {
    golden: 'primitives/kalman',
    reads: {
      params: { condition: 'number' },
      inputs: ['a', 'q', 'h', 'y', 'w', 'm0', 'p0'],
      outputs: ['mean', 'cov', 'logLik'],
      conventions: prose`
        a, q [N, m, m] (a[0], q[0] map the prior N(m0, p0) to step 0), h [m], y and w [batch, N] (w the observation's
        precision, 0 unobserved); mean [batch, N, m], cov [batch, N, m, m] and logLik [batch] by dense conditioning of
        the joint prior; condition = the largest condition number of p0 and the posterior covariances
      `,
    },
    thresholds: {
      mean: {
        value: 30,
        why: prose`
          max_j ‖m̂_j − m_j‖ / (√N·m·ε·κ·max_j ‖m_j‖): each step's update is m×m products (errors ≤ m·ε relative), N
          independent steps' roundings add as a random walk, and a gain from covariances of condition κ moves by κ times
          their error
        `,
      },
      cov: { value: 30, why: 'the same bound for ‖P̂_j − P_j‖_F against max_j ‖P_j‖_F' },
      logLik: {
        value: 30,
        why: prose`
          |ℓ̂ − ℓ| / (√N·m·ε·κ·(|ℓ| + N)): N terms log σ²_j + v²_j/σ²_j, each of order one plus its share of |ℓ|,
          computed from the filter's quantities with the same relative error
        `,
      },
    },
    async check(be, dtype, entry) {
      const i = entry.inputs;
      const args = Object.fromEntries(
        await Promise.all(Object.entries(i).map(async ([k, v]) => [k, await put(be, dtype, v)] as const)),
      );
      const out = await ops.kalman(be, args as never);
      const [N, m] = i.a.shape;
      const unit = Math.sqrt(Math.max(1, N)) * m * epsFor(be, dtype) * (entry.params.condition as number);
      const ll = entry.outputs.logLik.data;
      const llGot = await get(be, out.logLik);
      let logLik = 0;
      for (let b = 0; b < ll.length; b++) {
        const r = scaledRatio(Math.abs(llGot[b] - ll[b]), unit * (Math.abs(ll[b]) + N));
        if (!(r <= logLik)) logLik = Number.isNaN(r) ? Infinity : r;
      }
      return {
        mean: blockRatio(await get(be, out.mean), entry.outputs.mean.data, m, unit),
        cov: blockRatio(await get(be, out.cov), entry.outputs.cov.data, m * m, unit),
        logLik,
      };
    },
  },
  bench: {
    // Matérn-3/2 paths (m = 2): 8 sequences of 10⁴ steps, 64 of 10⁵ at the default sizes (S24's scaling in n).
    params: (sizes) => (sizes ?? [10_000, 100_000]).map((steps) => ({ steps, batch: steps >= 100_000 ? 64 : 8 })),
    cost: ({ steps, batch }, dtype) => kalmanCost(batch, steps, 2, dtype),
    async setup(be, dtype, { steps, batch }) {
      const model = await maternModel(be, dtype, steps, batch);
      return {
        async run() {
          const out = await ops.kalman(be, model);
          be.dispose(out.mean);
          be.dispose(out.cov);
          be.dispose(out.logLik);
        },
        dispose: () => Object.values(model).forEach((t) => be.dispose(t)),
      };
    },
  },
});
