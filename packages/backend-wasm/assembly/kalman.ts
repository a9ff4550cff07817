// Kalman filter + RTS smoother per sequence (core/primitives/kalman.ts): m×m blocks, row-major, the state small
// (m = 1…3 for Matérn SDEs), so plain loops; the sequences of [b0, b1) one after another, the threads taking
// disjoint ranges. Work: 5m² + 4m elements of this thread's scratch. Joseph's form keeps P symmetric positive
// semidefinite under rounding; the smoother's gain solves with the Cholesky factor of the recomputed P⁻.
import { at } from './shared/memory';

// @ts-ignore: decorator
@inline function el<T>(base: usize, i: i32): usize { return base + <usize>i * sizeof<T>(); }

/** C ← A·B, or A·Bᵀ with `tb` (m×m). */
function mul<T>(m: i32, a: usize, b: usize, tb: bool, c: usize): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = <T>0;
      for (let k = 0; k < m; k++) s += load<T>(at<T>(a, i, k, m)) * load<T>(tb ? at<T>(b, j, k, m) : at<T>(b, k, j, m));
      store<T>(at<T>(c, i, j, m), s);
    }
}

/** m⁻ = A m, P⁻ = A P Aᵀ + Q (symmetrized), for the step's A and Q. */
function predict<T>(m: i32, a: usize, q: usize, mIn: usize, pIn: usize, mOut: usize, pOut: usize, t: usize): void {
  for (let i = 0; i < m; i++) {
    let s = <T>0;
    for (let k = 0; k < m; k++) s += load<T>(at<T>(a, i, k, m)) * load<T>(el<T>(mIn, k));
    store<T>(el<T>(mOut, i), s);
  }
  mul<T>(m, a, pIn, false, t);
  mul<T>(m, t, a, true, pOut);
  for (let i = 0; i < m; i++)
    for (let k = 0; k <= i; k++) {
      const s = <T>0.5 * (load<T>(at<T>(pOut, i, k, m)) + load<T>(at<T>(pOut, k, i, m))) +
        <T>0.5 * (load<T>(at<T>(q, i, k, m)) + load<T>(at<T>(q, k, i, m)));
      store<T>(at<T>(pOut, i, k, m), s);
      store<T>(at<T>(pOut, k, i, m), s);
    }
}

/** Lower Cholesky factor of the m×m s in place (the upper part is left as it was); false on a pivot ≤ 0. */
function factor<T>(m: i32, s: usize): bool {
  for (let i = 0; i < m; i++)
    for (let j = 0; j <= i; j++) {
      let v = load<T>(at<T>(s, i, j, m));
      for (let k = 0; k < j; k++) v -= load<T>(at<T>(s, i, k, m)) * load<T>(at<T>(s, j, k, m));
      if (j < i) store<T>(at<T>(s, i, j, m), v / load<T>(at<T>(s, j, j, m)));
      else if (!(v > <T>0)) return false;
      else store<T>(at<T>(s, i, i, m), <T>Math.sqrt(<f64>v));
    }
  return true;
}

/** One sequence: filter forward, smooth backward; −1, or the step whose predicted covariance is not definite. */
function sequence<T>(
  a: usize, q: usize, h: usize, y: usize, w: usize, m0: usize, p0: usize,
  mean: usize, cov: usize, logLik: usize, N: i32, m: i32, work: usize,
): i32 {
  const mm = m * m;
  const mPred = work, pPred = el<T>(mPred, m), t = el<T>(pPred, mm), g = el<T>(t, mm), k = el<T>(g, m);
  const c = el<T>(k, m), gain = el<T>(c, mm), fac = el<T>(gain, mm), d = el<T>(fac, mm);
  let ll: f64 = 0;
  for (let j = 0; j < N; j++) {
    const mo = el<T>(mean, j * m), po = el<T>(cov, j * mm);
    if (j == 0) predict<T>(m, a, q, m0, p0, mPred, pPred, t);
    else predict<T>(m, el<T>(a, j * mm), el<T>(q, j * mm), el<T>(mean, (j - 1) * m), el<T>(cov, (j - 1) * mm), mPred, pPred, t);
    const wj = load<T>(el<T>(w, j));
    if (wj == <T>0) {
      memory.copy(mo, mPred, <usize>m * sizeof<T>());
      memory.copy(po, pPred, <usize>mm * sizeof<T>());
      continue;
    }
    let hg = <T>0, v = load<T>(el<T>(y, j));
    for (let i = 0; i < m; i++) {
      let s = <T>0;
      for (let l = 0; l < m; l++) s += load<T>(at<T>(pPred, i, l, m)) * load<T>(el<T>(h, l));
      store<T>(el<T>(g, i), s);
    }
    for (let i = 0; i < m; i++) {
      hg += load<T>(el<T>(h, i)) * load<T>(el<T>(g, i));
      v -= load<T>(el<T>(h, i)) * load<T>(el<T>(mPred, i));
    }
    const s = wj * hg + <T>1;
    if (!(s > <T>0)) return j;
    for (let i = 0; i < m; i++) {
      const ki = (wj * load<T>(el<T>(g, i))) / s;
      store<T>(el<T>(k, i), ki);
      store<T>(el<T>(mo, i), load<T>(el<T>(mPred, i)) + ki * v);
    }
    // Joseph: B = I − K hᵀ, P = B P⁻ Bᵀ + K Kᵀ / w.
    for (let i = 0; i < m; i++)
      for (let l = 0; l < m; l++)
        store<T>(at<T>(c, i, l, m), (i == l ? <T>1 : <T>0) - load<T>(el<T>(k, i)) * load<T>(el<T>(h, l)));
    mul<T>(m, c, pPred, false, t);
    mul<T>(m, t, c, true, gain);
    for (let i = 0; i < m; i++)
      for (let l = 0; l <= i; l++) {
        const e = <T>0.5 * (load<T>(at<T>(gain, i, l, m)) + load<T>(at<T>(gain, l, i, m))) +
          (load<T>(el<T>(k, i)) * load<T>(el<T>(k, l))) / wj;
        store<T>(at<T>(po, i, l, m), e);
        store<T>(at<T>(po, l, i, m), e);
      }
    ll -= 0.5 * (Math.log(2 * Math.PI) + Math.log(<f64>s) - Math.log(<f64>wj) + (<f64>wj * <f64>v * <f64>v) / <f64>s);
  }
  store<T>(logLik, <T>ll);
  for (let j = N - 2; j >= 0; j--) {
    const mo = el<T>(mean, j * m), po = el<T>(cov, j * mm);
    const a1 = el<T>(a, (j + 1) * mm);
    predict<T>(m, a1, el<T>(q, (j + 1) * mm), mo, po, mPred, pPred, t);
    // C = P_j A_{j+1}ᵀ; G = C (P⁻)⁻¹: row r of G solves P⁻ x = (row r of C) by the factor of P⁻.
    mul<T>(m, po, a1, true, c);
    memory.copy(fac, pPred, <usize>mm * sizeof<T>());
    if (!factor<T>(m, fac)) return j + 1;
    for (let r = 0; r < m; r++) {
      for (let i = 0; i < m; i++) {
        let s = load<T>(at<T>(c, r, i, m));
        for (let l = 0; l < i; l++) s -= load<T>(at<T>(fac, i, l, m)) * load<T>(el<T>(d, l));
        store<T>(el<T>(d, i), s / load<T>(at<T>(fac, i, i, m)));
      }
      for (let i = m - 1; i >= 0; i--) {
        let s = load<T>(el<T>(d, i));
        for (let l = i + 1; l < m; l++) s -= load<T>(at<T>(fac, l, i, m)) * load<T>(el<T>(d, l));
        store<T>(el<T>(d, i), s / load<T>(at<T>(fac, i, i, m)));
      }
      memory.copy(at<T>(gain, r, 0, m), d, <usize>m * sizeof<T>());
    }
    for (let i = 0; i < mm; i++) store<T>(el<T>(t, i), load<T>(el<T>(po, mm + i)) - load<T>(el<T>(pPred, i)));
    for (let i = 0; i < m; i++) {
      let s = <T>0;
      for (let l = 0; l < m; l++) s += load<T>(at<T>(gain, i, l, m)) * (load<T>(el<T>(mo, m + l)) - load<T>(el<T>(mPred, l)));
      store<T>(el<T>(g, i), s);
    }
    for (let i = 0; i < m; i++) store<T>(el<T>(mo, i), load<T>(el<T>(mo, i)) + load<T>(el<T>(g, i)));
    mul<T>(m, gain, t, false, c);
    mul<T>(m, c, gain, true, t);
    for (let i = 0; i < m; i++)
      for (let l = 0; l <= i; l++) {
        const e = load<T>(at<T>(po, i, l, m)) + <T>0.5 * (load<T>(at<T>(t, i, l, m)) + load<T>(at<T>(t, l, i, m)));
        store<T>(at<T>(po, i, l, m), e);
        store<T>(at<T>(po, l, i, m), e);
      }
  }
  return -1;
}

/** Work elements per thread. */
export function kalmanWorkElements(m: i32): i32 { return 5 * m * m + 4 * m; }

/** Sequences b0 … b1 − 1; writes −1 to `status`, or the first failing step found (threads write their own). */
export function kalman<T>(
  a: usize, q: usize, h: usize, y: usize, w: usize, m0: usize, p0: usize,
  mean: usize, cov: usize, logLik: usize, b0: i32, b1: i32, N: i32, m: i32, work: usize, status: usize,
): void {
  store<i32>(status, -1);
  for (let b = b0; b < b1; b++) {
    const bad = sequence<T>(
      a, q, h, el<T>(y, b * N), el<T>(w, b * N), m0, p0,
      el<T>(mean, b * N * m), el<T>(cov, b * N * m * m), el<T>(logLik, b), N, m, work,
    );
    if (bad >= 0) {
      store<i32>(status, bad);
      return;
    }
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function kalman_f32(a: usize, q: usize, h: usize, y: usize, w: usize, m0: usize, p0: usize, mean: usize, cov: usize, logLik: usize, b0: i32, b1: i32, N: i32, m: i32, work: usize, status: usize): void { kalman<f32>(a, q, h, y, w, m0, p0, mean, cov, logLik, b0, b1, N, m, work, status); }
export function kalman_f64(a: usize, q: usize, h: usize, y: usize, w: usize, m0: usize, p0: usize, mean: usize, cov: usize, logLik: usize, b0: i32, b1: i32, N: i32, m: i32, work: usize, status: usize): void { kalman<f64>(a, q, h, y, w, m0, p0, mean, cov, logLik, b0, b1, N, m, work, status); }
