/**
 * Federated weighted least squares by consensus ADMM over noisy links, with and without the dual variable (S32;
 * Lari, Arablouei, Gogineni & Werner, "Noise-robust and resource-efficient ADMM-based federated learning").
 * K clients hold (X_k, Φ_k, y_k); the WLS solution w* = argmin Σ_k (y_k − X_k w)ᵀΦ_k(y_k − X_k w) solves
 * (Σ_k A_k)·w* = Σ_k b_k with A_k = X_kᵀΦ_kX_k and b_k = X_kᵀΦ_ky_k. Each round the server schedules S clients
 * uniformly at random; every transmission adds N(0, σ²I): each scheduled client receives its own noisy copy ẑ of
 * the global model z, and the server receives each upload plus noise. z is the mean over all K clients of the last
 * upload received from each (zero before a client's first).
 *
 * The paper's update equations were not available offline (its abstract only, no public code). What is here is
 * derived from consensus ADMM and named:
 *  - `admm`: scaled-form consensus ADMM (Boyd et al. 2011, §7.1) in its standard order. A scheduled client steps
 *    w_k ← (A_k + ρI)⁻¹(b_k + ρ(ẑ − u_k)), uploads w_k + u_k, then receives the new z — a second noisy copy ẑ′ —
 *    for its dual step u_k ← u_k + w_k − ẑ′: two downlinks per participation.
 *  - `lagged`: the same ADMM with the dual step taken at the client's next participation, from the one copy it
 *    receives then (u_k ← u_k + w_k − ẑ, then the primal step): one downlink.
 *  - `eliminated`: the dual eliminated. The primal step gives ρu_k = b_k + ρẑ_prev − (A_k + ρI)w_k, so the lagged
 *    iteration needs only w_k and the copy ẑ_prev the client received last time:
 *        w_k ← (A_k + ρI)⁻¹(A_k w_k + ρ(2ẑ − ẑ_prev)),   upload ẑ + (b_k − A_k w_k)/ρ  (= w_k + u_k);
 *    with the same draws it is `lagged` exactly (an identity the claim checks); the first participation is the
 *    plain step with u = 0.
 *  - `continuing`: `eliminated` in which clients that are not scheduled keep updating with the copy they hold,
 *    w_k ← (A_k + ρI)⁻¹(A_k w_k + ρẑ_prev) (a dual step against a stale model), and upload nothing.
 * Without noise all four reach w*: at a fixed point w_k = z, ρu_k = b_k − A_k w* and Σ_k u_k = 0.
 *
 * Each round's client steps run on the backend as one batched GEMM. Client k's operator
 * Q_k = [[G, H, c], [A_kG, A_kH, A_kc]] (2d × (2d + 1)) with G = M·A_k, H = ρM, c = M·b_k, M = (A_k + ρI)⁻¹ (a
 * Cholesky solve: A_k + ρI is positive definite for every ρ > 0) maps [w; r; s] to (w′, A_k w′); every variant's
 * step has that form (`admm` and `lagged` take w = 0, r = ẑ − u, s = 1). The variants run in lockstep on one
 * schedule and one set of noise draws (common random numbers), a batch of K clients each.
 */
import {
  ArgumentError,
  NonFiniteError,
  ShapeError,
  fillRandom,
  hostTensor,
  ops,
  type Backend,
  type DType,
} from '@lowrank/core';
import { choleskySolve } from '@lowrank/linalg';

export const ADMM_VARIANTS = ['admm', 'lagged', 'eliminated', 'continuing'] as const;
export type AdmmVariant = (typeof ADMM_VARIANTS)[number];

/** K clients' data: X (K·n·d, client-major, rows row-major), weights Φ (K·n, > 0) and targets y (K·n). */
export interface WlsClients {
  clients: number;
  samples: number;
  d: number;
  x: Float64Array;
  phi: Float64Array;
  y: Float64Array;
}

export interface AdmmFlOptions {
  rounds: number;
  /** Clients scheduled per round, 1 ≤ S ≤ K. */
  scheduled: number;
  /** Variance of the additive link noise, ≥ 0. */
  sigma2: number;
  /** Round t reads uniforms t·S … t·S + S − 1 of stream 10 (the schedule) and normals t·3Sd … of stream 11. */
  seed: number;
  variants: readonly AdmmVariant[];
}

export interface AdmmFlRun {
  variant: AdmmVariant;
  /** ‖z_t − w*‖² after each round. */
  msd: Float64Array;
  /** z after each round (rounds × d, row-major). */
  models: Float64Array;
}

function checkClients(c: WlsClients): void {
  const { clients: K, samples: n, d } = c;
  for (const [name, v] of [
    ['clients', K],
    ['samples', n],
    ['d', d],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`federated WLS: ${name} must be an integer ≥ 1, got ${v}`);
  if (c.x.length !== K * n * d || c.phi.length !== K * n || c.y.length !== K * n)
    throw new ShapeError(`federated WLS: X must hold ${K}·${n}·${d} values and Φ, y ${K}·${n}`);
  for (const [name, v] of [
    ['X', c.x],
    ['Φ', c.phi],
    ['y', c.y],
  ] as const)
    if (!v.every(Number.isFinite)) throw new NonFiniteError(`federated WLS: ${name} has a non-finite value`);
  if (!c.phi.every((p) => p > 0)) throw new ArgumentError('federated WLS: the weights Φ must be > 0');
}

/** Uniforms of the round's stream, a partial Fisher–Yates shuffle: the first S of a permutation of 0 … K − 1. */
export function scheduleRound(clients: number, scheduled: number, seed: number, round: number): number[] {
  const u = fillRandom({ seed, stream: 10 }, 'uniform', 'f64', scheduled, round * scheduled);
  const perm = Array.from({ length: clients }, (_, i) => i);
  for (let j = 0; j < scheduled; j++) {
    const i = j + Math.min(clients - 1 - j, Math.floor(u[j] * (clients - j)));
    [perm[j], perm[i]] = [perm[i], perm[j]];
  }
  return perm.slice(0, scheduled);
}

/** One variant's state: models, duals (explicit or not), the copies last received, the server's stored uploads. */
class VariantState {
  readonly w: Float64Array;
  readonly u: Float64Array;
  readonly zPrev: Float64Array;
  readonly seen: Uint8Array;
  readonly sent: Float64Array;
  z: Float64Array;
  readonly msd: Float64Array;
  readonly models: Float64Array;

  constructor(
    readonly variant: AdmmVariant,
    clients: number,
    d: number,
    rounds: number,
  ) {
    this.w = new Float64Array(clients * d);
    this.u = new Float64Array(clients * d);
    this.zPrev = new Float64Array(clients * d);
    this.seen = new Uint8Array(clients);
    this.sent = new Float64Array(clients * d);
    this.z = new Float64Array(d);
    this.msd = new Float64Array(rounds);
    this.models = new Float64Array(rounds * d);
  }

  get eliminated(): boolean {
    return this.variant === 'eliminated' || this.variant === 'continuing';
  }
}

export class FederatedWls {
  private constructor(
    readonly be: Backend,
    readonly dtype: DType,
    readonly clients: number,
    readonly d: number,
    readonly rho: number,
    /** Q_k for every client, host copy (K·2d·(2d + 1)), replicated per variant on upload. */
    private readonly q: Float64Array,
    /** b_k (K·d), for the eliminated upload. */
    private readonly b: Float64Array,
    /** A_k (K·d·d) as the backend formed them. */
    readonly gram: Float64Array,
    /** w* = (Σ A_k)⁻¹ Σ b_k by a Cholesky solve on the backend. */
    readonly wls: Float64Array,
  ) {}

  /** A_k and b_k by batched GEMM, each client's step operator Q_k by a Cholesky solve, w* from the sums. */
  static async create(be: Backend, dtype: DType, c: WlsClients, rho: number): Promise<FederatedWls> {
    checkClients(c);
    if (!(rho > 0 && Number.isFinite(rho)))
      throw new ArgumentError(`ADMM's penalty ρ must be finite and > 0, got ${rho}`);
    const { clients: K, samples: n, d } = c;
    const release = be.track();
    try {
      const phiX = c.x.map((v, i) => v * c.phi[Math.floor(i / d)]);
      const phiY = c.y.map((v, i) => v * c.phi[i]);
      const x = await be.upload(hostTensor(dtype, [K, n, d], c.x));
      const gramT = await ops.batchedGemm(be, x, await be.upload(hostTensor(dtype, [K, n, d], phiX)), { transA: true });
      const rhsT = await ops.batchedGemm(be, x, await be.upload(hostTensor(dtype, [K, n, 1], phiY)), { transA: true });
      const gram = Float64Array.from((await be.download(gramT)).data);
      const b = Float64Array.from((await be.download(rhsT)).data);
      const w = 2 * d + 1;
      const ghc = new Float64Array(K * d * w);
      for (let k = 0; k < K; k++) {
        const lhs = new Float64Array(d * d),
          rhs = new Float64Array(d * w);
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < d; j++) {
            const a = gram[(k * d + i) * d + j];
            lhs[i * d + j] = a + (i === j ? rho : 0);
            rhs[i * w + j] = a;
          }
          rhs[i * w + d + i] = rho;
          rhs[i * w + 2 * d] = b[k * d + i];
        }
        const sol = await choleskySolve(
          be,
          await be.upload(hostTensor(dtype, [d, d], lhs)),
          await be.upload(hostTensor(dtype, [d, w], rhs)),
        );
        ghc.set((await be.download(sol)).data, k * d * w);
      }
      const aghc = (
        await be.download(await ops.batchedGemm(be, gramT, await be.upload(hostTensor(dtype, [K, d, w], ghc))))
      ).data;
      const q = new Float64Array(K * 2 * d * w);
      for (let k = 0; k < K; k++) {
        q.set(ghc.subarray(k * d * w, (k + 1) * d * w), k * 2 * d * w);
        q.set(aghc.subarray(k * d * w, (k + 1) * d * w), (k * 2 + 1) * d * w);
      }
      const sumA = new Float64Array(d * d),
        sumB = new Float64Array(d);
      gram.forEach((v, i) => (sumA[i % (d * d)] += v));
      b.forEach((v, i) => (sumB[i % d] += v));
      const wls = await choleskySolve(
        be,
        await be.upload(hostTensor(dtype, [d, d], sumA)),
        await be.upload(hostTensor(dtype, [d, 1], sumB)),
      );
      return new FederatedWls(be, dtype, K, d, rho, q, b, gram, Float64Array.from((await be.download(wls)).data));
    } finally {
      release();
    }
  }

  /** Runs the variants in lockstep for the given rounds: one schedule, one set of noise draws. */
  async simulate(o: AdmmFlOptions): Promise<AdmmFlRun[]> {
    const { be, dtype, clients: K, d } = this;
    if (!Number.isInteger(o.rounds) || o.rounds < 1)
      throw new ArgumentError(`rounds must be an integer ≥ 1, got ${o.rounds}`);
    if (!Number.isInteger(o.scheduled) || o.scheduled < 1 || o.scheduled > K)
      throw new ArgumentError(`the clients scheduled per round must be an integer in [1, ${K}], got ${o.scheduled}`);
    if (!(o.sigma2 >= 0 && Number.isFinite(o.sigma2)))
      throw new ArgumentError(`the link noise variance must be finite and ≥ 0, got ${o.sigma2}`);
    if (o.variants.length < 1 || new Set(o.variants).size !== o.variants.length)
      throw new ArgumentError('name each ADMM variant once, at least one');
    for (const v of o.variants)
      if (!ADMM_VARIANTS.includes(v))
        throw new ArgumentError(`unknown ADMM variant '${v}' (${ADMM_VARIANTS.join(', ')})`);
    const V = o.variants.length,
      S = o.scheduled,
      w = 2 * d + 1,
      sigma = Math.sqrt(o.sigma2);
    const states = o.variants.map((v) => new VariantState(v, K, d, o.rounds));
    const release = be.track();
    try {
      const qs = new Float64Array(V * this.q.length);
      for (let v = 0; v < V; v++) qs.set(this.q, v * this.q.length);
      const qt = await be.upload(hostTensor(dtype, [V * K, 2 * d, w], qs));
      for (let t = 0; t < o.rounds; t++) {
        const order = scheduleRound(K, S, o.seed, t);
        const noise = Float64Array.from(
          fillRandom({ seed: o.seed, stream: 11 }, 'normal', 'f64', 3 * S * d, t * 3 * S * d),
          (e) => sigma * e,
        );
        const input = new Float64Array(V * K * w);
        const copies = states.map((st) => order.map((_, j) => st.z.map((z, i) => z + noise[j * d + i])));
        states.forEach((st, v) => this.#stepInputs(st, order, copies[v], input.subarray(v * K * w, (v + 1) * K * w)));
        const stepRelease = be.track();
        let out: Float64Array;
        try {
          const xt = await be.upload(hostTensor(dtype, [V * K, w, 1], input));
          out = Float64Array.from((await be.download(await ops.batchedGemm(be, qt, xt))).data);
        } finally {
          stepRelease();
        }
        states.forEach((st, v) => {
          this.#finishRound(st, order, copies[v], out.subarray(v * K * 2 * d, (v + 1) * K * 2 * d), noise);
          let msd = 0;
          st.z.forEach((z, i) => (msd += (z - this.wls[i]) ** 2));
          st.msd[t] = msd;
          st.models.set(st.z, t * d);
        });
      }
      return states.map((st) => ({ variant: st.variant, msd: st.msd, models: st.models }));
    } finally {
      release();
    }
  }

  /** Writes [w; r; s] for every client that steps this round; the others keep zeros (their output is unread). */
  #stepInputs(st: VariantState, order: number[], copies: Float64Array[], input: Float64Array): void {
    const d = this.d,
      w = 2 * d + 1;
    const put = (k: number, wk: ArrayLike<number> | null, r: ArrayLike<number>, s: number) => {
      const at = k * w;
      if (wk) input.set(wk, at);
      input.set(r, at + d);
      input[at + 2 * d] = s;
    };
    const slice = (a: Float64Array, k: number) => a.subarray(k * d, (k + 1) * d);
    order.forEach((k, j) => {
      const zh = copies[j],
        wk = slice(st.w, k),
        uk = slice(st.u, k);
      if (st.eliminated) {
        if (st.seen[k])
          put(
            k,
            wk,
            zh.map((z, i) => 2 * z - st.zPrev[k * d + i]),
            0,
          );
        else put(k, null, zh, 1);
        return;
      }
      if (st.variant === 'lagged' && st.seen[k]) for (let i = 0; i < d; i++) uk[i] += wk[i] - zh[i];
      put(
        k,
        null,
        zh.map((z, i) => z - uk[i]),
        1,
      );
    });
    if (st.variant !== 'continuing') return;
    const scheduled = new Set(order);
    for (let k = 0; k < this.clients; k++)
      if (st.seen[k] && !scheduled.has(k)) put(k, slice(st.w, k), slice(st.zPrev, k), 0);
  }

  /** Takes the steps' results, the uploads (plus uplink noise), the server's mean and `admm`'s second downlink. */
  #finishRound(
    st: VariantState,
    order: number[],
    copies: Float64Array[],
    out: Float64Array,
    noise: Float64Array,
  ): void {
    const { d, rho, clients: K } = this,
      S = order.length;
    const stepped = (k: number) => st.w.set(out.subarray(k * 2 * d, k * 2 * d + d), k * d);
    if (st.variant === 'continuing') {
      const scheduled = new Set(order);
      for (let k = 0; k < K; k++) if (st.seen[k] && !scheduled.has(k)) stepped(k);
    }
    order.forEach((k, j) => {
      stepped(k);
      const aw = out.subarray(k * 2 * d + d, (k + 1) * 2 * d);
      for (let i = 0; i < d; i++) {
        const at = k * d + i;
        const upload = st.eliminated ? copies[j][i] + (this.b[at] - aw[i]) / rho : st.w[at] + st.u[at];
        st.sent[at] = upload + noise[S * d + j * d + i];
        if (st.eliminated) st.zPrev[at] = copies[j][i];
      }
      st.seen[k] = 1;
    });
    const z = new Float64Array(d);
    st.sent.forEach((v, i) => (z[i % d] += v / K));
    st.z = z;
    if (st.variant === 'admm')
      order.forEach((k, j) => {
        for (let i = 0; i < d; i++) st.u[k * d + i] += st.w[k * d + i] - (z[i] + noise[2 * S * d + j * d + i]);
      });
  }
}
