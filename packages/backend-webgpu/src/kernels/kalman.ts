import { UnsupportedError, type KalmanParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';
import { entry1d, grid1d } from '../shared/grid.ts';

/** The largest state the shader's private m×m arrays hold (Matérn-½, -3/2, -5/2 SDEs have m = 1, 2, 3). */
export const KALMAN_MAX_STATE = 4;

/** Scratch slot of the small buffer: h (m), m₀ (m), P₀ (m²), then one status word per sequence. */
const SMALL_SLOT = 6;

/**
 * One invocation per sequence runs the filter forward and the smoother back (core/primitives/kalman.ts), in f32,
 * with its m×m blocks in private arrays: sequences are independent and each is sequential in its steps. Eight
 * storage buffers (WebGPU's default per stage): a, q, y, w read; the small one (h, m₀, P₀ and the statuses),
 * mean, cov and logLik written. A status is −1, or the step whose predicted covariance lost definiteness.
 */
const code = (uniforms: string) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> w: array<f32>;
@group(0) @binding(4) var<storage, read_write> small: array<f32>;
@group(0) @binding(5) var<storage, read_write> mean: array<f32>;
@group(0) @binding(6) var<storage, read_write> cov: array<f32>;
@group(0) @binding(7) var<storage, read_write> logLik: array<f32>;
${uniforms}

const M = ${KALMAN_MAX_STATE}u;
var<private> mp: array<f32, ${KALMAN_MAX_STATE}>;
var<private> pp: array<f32, ${KALMAN_MAX_STATE ** 2}>;
var<private> t: array<f32, ${KALMAN_MAX_STATE ** 2}>;
var<private> c: array<f32, ${KALMAN_MAX_STATE ** 2}>;
var<private> gn: array<f32, ${KALMAN_MAX_STATE ** 2}>;
var<private> fac: array<f32, ${KALMAN_MAX_STATE ** 2}>;
var<private> pg: array<f32, ${KALMAN_MAX_STATE}>;
var<private> kg: array<f32, ${KALMAN_MAX_STATE}>;
var<private> d: array<f32, ${KALMAN_MAX_STATE}>;

// The previous step's mean and covariance entries: the prior (in small) at step 0, else mean/cov at mo, po.
fn prevMean(prior: bool, mo: u32, l: u32) -> f32 {
  if (prior) { return small[p.m + l]; }
  return mean[mo + l];
}
fn prevCov(prior: bool, po: u32, r: u32, l: u32) -> f32 {
  if (prior) { return small[2u * p.m + r * p.m + l]; }
  return cov[po + r * p.m + l];
}

// mp = A_j·m and pp = A_j·P·A_jᵀ + Q_j (symmetrized), from the previous step's (or the prior's) m and P.
fn predict(j: u32, mo: u32, po: u32, prior: bool) {
  let m = p.m;
  let ao = j * m * m;
  for (var i = 0u; i < m; i++) {
    var s = 0.0;
    for (var l = 0u; l < m; l++) { s += a[ao + i * m + l] * prevMean(prior, mo, l); }
    mp[i] = s;
  }
  for (var i = 0u; i < m; i++) {
    for (var l = 0u; l < m; l++) {
      var s = 0.0;
      for (var r = 0u; r < m; r++) { s += a[ao + i * m + r] * prevCov(prior, po, r, l); }
      t[i * M + l] = s;
    }
  }
  for (var i = 0u; i < m; i++) {
    for (var l = 0u; l <= i; l++) {
      var s = 0.0;
      var s2 = 0.0;
      for (var r = 0u; r < m; r++) {
        s += t[i * M + r] * a[ao + l * m + r];
        s2 += t[l * M + r] * a[ao + i * m + r];
      }
      let e = 0.5 * (s + s2) + 0.5 * (q[ao + i * m + l] + q[ao + l * m + i]);
      pp[i * M + l] = e;
      pp[l * M + i] = e;
    }
  }
}

${entry1d('b', 'p.batch')}
  let m = p.m;
  let N = p.steps;
  let mm = m * m;
  let statusAt = 2u * m + mm + b;
  small[statusAt] = -1.0;
  var ll = 0.0;
  for (var j = 0u; j < N; j++) {
    let mo = (b * N + j) * m;
    let po = (b * N + j) * mm;
    predict(j, select(mo - m, 0u, j == 0u), select(po - mm, 0u, j == 0u), j == 0u);
    let wj = w[b * N + j];
    if (wj == 0.0) {
      for (var i = 0u; i < m; i++) { mean[mo + i] = mp[i]; }
      for (var i = 0u; i < m; i++) { for (var l = 0u; l < m; l++) { cov[po + i * m + l] = pp[i * M + l]; } }
      continue;
    }
    var hg = 0.0;
    var v = y[b * N + j];
    for (var i = 0u; i < m; i++) {
      var s = 0.0;
      for (var l = 0u; l < m; l++) { s += pp[i * M + l] * small[l]; }
      pg[i] = s;
    }
    for (var i = 0u; i < m; i++) {
      hg += small[i] * pg[i];
      v -= small[i] * mp[i];
    }
    let s = wj * hg + 1.0;
    if (!(s > 0.0)) { small[statusAt] = f32(j); return; }
    for (var i = 0u; i < m; i++) {
      kg[i] = wj * pg[i] / s;
      mean[mo + i] = mp[i] + kg[i] * v;
    }
    // Joseph: B = I − K hᵀ (in c), P = B P⁻ Bᵀ + K Kᵀ / w.
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l < m; l++) { c[i * M + l] = select(0.0, 1.0, i == l) - kg[i] * small[l]; }
    }
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l < m; l++) {
        var e = 0.0;
        for (var r = 0u; r < m; r++) { e += c[i * M + r] * pp[r * M + l]; }
        t[i * M + l] = e;
      }
    }
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l <= i; l++) {
        var e = 0.0;
        var e2 = 0.0;
        for (var r = 0u; r < m; r++) {
          e += t[i * M + r] * c[l * M + r];
          e2 += t[l * M + r] * c[i * M + r];
        }
        let v2 = 0.5 * (e + e2) + kg[i] * kg[l] / wj;
        cov[po + i * m + l] = v2;
        cov[po + l * m + i] = v2;
      }
    }
    ll -= 0.5 * (log(2.0 * 3.14159265358979) + log(s) - log(wj) + wj * v * v / s);
  }
  logLik[b] = ll;
  for (var jj = 1u; jj < N; jj++) {
    let j = N - 1u - jj;
    let mo = (b * N + j) * m;
    let po = (b * N + j) * mm;
    let ao = (j + 1u) * mm;
    predict(j + 1u, mo, po, false);
    // C = P_j A_{j+1}ᵀ; G = C (P⁻)⁻¹ by the Cholesky factor of P⁻ (in fac).
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l < m; l++) {
        var e = 0.0;
        for (var r = 0u; r < m; r++) { e += cov[po + i * m + r] * a[ao + l * m + r]; }
        c[i * M + l] = e;
      }
    }
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l <= i; l++) {
        var e = pp[i * M + l];
        for (var r = 0u; r < l; r++) { e -= fac[i * M + r] * fac[l * M + r]; }
        if (l < i) { fac[i * M + l] = e / fac[l * M + l]; }
        else {
          if (!(e > 0.0)) { small[statusAt] = f32(j + 1u); return; }
          fac[i * M + i] = sqrt(e);
        }
      }
    }
    for (var r = 0u; r < m; r++) {
      for (var i = 0u; i < m; i++) {
        var e = c[r * M + i];
        for (var l = 0u; l < i; l++) { e -= fac[i * M + l] * d[l]; }
        d[i] = e / fac[i * M + i];
      }
      for (var ii = 0u; ii < m; ii++) {
        let i = m - 1u - ii;
        var e = d[i];
        for (var l = i + 1u; l < m; l++) { e -= fac[l * M + i] * d[l]; }
        d[i] = e / fac[i * M + i];
      }
      for (var i = 0u; i < m; i++) { gn[r * M + i] = d[i]; }
    }
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l < m; l++) { t[i * M + l] = cov[po + mm + i * m + l] - pp[i * M + l]; }
    }
    for (var i = 0u; i < m; i++) {
      var e = 0.0;
      for (var l = 0u; l < m; l++) { e += gn[i * M + l] * (mean[mo + m + l] - mp[l]); }
      pg[i] = e;
    }
    for (var i = 0u; i < m; i++) { mean[mo + i] += pg[i]; }
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l < m; l++) {
        var e = 0.0;
        for (var r = 0u; r < m; r++) { e += gn[i * M + r] * t[r * M + l]; }
        c[i * M + l] = e;
      }
    }
    for (var i = 0u; i < m; i++) {
      for (var l = 0u; l <= i; l++) {
        var e = 0.0;
        var e2 = 0.0;
        for (var r = 0u; r < m; r++) {
          e += c[i * M + r] * gn[l * M + r];
          e2 += c[l * M + r] * gn[i * M + r];
        }
        let v2 = cov[po + i * m + l] + 0.5 * (e + e2);
        cov[po + i * m + l] = v2;
        cov[po + l * m + i] = v2;
      }
    }
  }
}`;

/** h, m₀, P₀ gathered into the small buffer on the host (a few values), one dispatch, the statuses read back. */
export async function kalman(ctx: KernelContext, p: KalmanParams<WebGpuTensor>): Promise<number> {
  const { m, batch, steps } = p;
  if (m > KALMAN_MAX_STATE)
    throw new UnsupportedError(
      `kalman on webgpu keeps the m×m blocks in private arrays of a fixed size: a state of at most ${KALMAN_MAX_STATE} dimensions, got ${m}`,
    );
  const head = new Float32Array(2 * m + m * m + batch);
  head.set(await ctx.readScalars(p.h.buffer, m), 0);
  head.set(await ctx.readScalars(p.m0.buffer, m), m);
  head.set(await ctx.readScalars(p.p0.buffer, m * m), 2 * m);
  const small = ctx.writeScratch(new Uint32Array(head.buffer), SMALL_SLOT);
  await ctx.run([
    {
      name: 'kalman',
      key: 'kalman',
      code,
      dispatch: grid1d(batch),
      buffers: [p.a.buffer, p.q.buffer, p.y.buffer, p.w.buffer, small, p.mean.buffer, p.cov.buffer, p.logLik.buffer],
      uniforms: [u32('batch', batch), u32('steps', steps), u32('m', m)],
    },
  ]);
  const status = await ctx.readScalars(small, 2 * m + m * m + batch);
  for (let b = 0; b < batch; b++) if (status[2 * m + m * m + b] >= 0) return status[2 * m + m * m + b];
  return -1;
}
