// What the factorization kernels share: the finite check, Householder reflectors with LAPACK's safe
// scaling, plane rotations and the descending sort.
import { at } from './memory';
import { scal } from '../scal';

/** x − x is NaN exactly when x is NaN or ±Inf. */
export function anyNonFinite<T>(a: usize, count: i32): bool {
  for (let i = 0; i < count; i++) {
    const v = load<T>(a + <usize>i * sizeof<T>());
    if (v - v != 0) return true;
  }
  return false;
}

/**
 * LAPACK dlarfg on row x over positions [j, m): β = −sign(α)·‖x‖ goes to `rjj`, x[j+1:] becomes v
 * (v_j = 1 implied and written), and τ is returned (0 when x[j+1:] is already zero).
 */
export function householder<T>(x: usize, j: i32, m: i32, rjj: usize): f64 {
  let alpha = <f64>load<T>(at<T>(x, 0, j, 0));
  let xnorm = tailNorm<T>(x, j, m);
  if (xnorm == 0) {
    store<T>(rjj, <T>alpha);
    return 0;
  }
  let beta = -(alpha < 0 ? -1.0 : 1.0) * Math.hypot(alpha, xnorm);
  // dlarfg: while |β| < safmin (of T), 1/(α − β) would overflow: scale x up by 1/safmin (at most 20
  // times, as LAPACK does), build the reflector there and scale β back. τ and v are scale-invariant.
  const safmin = safeMin<T>();
  let knt = 0;
  if (abs<f64>(beta) < safmin) {
    do {
      knt++;
      scal<T>(<T>(1 / safmin), at<T>(x, 0, j + 1, 0), m - j - 1);
      beta /= safmin;
      alpha /= safmin;
    } while (abs<f64>(beta) < safmin && knt < 20);
    xnorm = tailNorm<T>(x, j, m);
    beta = -(alpha < 0 ? -1.0 : 1.0) * Math.hypot(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  scal<T>(<T>(1 / (alpha - beta)), at<T>(x, 0, j + 1, 0), m - j - 1);
  store<T>(at<T>(x, 0, j, 0), <T>1);
  for (let s = 0; s < knt; s++) beta *= safmin;
  store<T>(rjj, <T>beta);
  return tau;
}

/** ‖x[j+1:m)‖₂, computed in f64 after scaling by the largest entry (no overflow or underflow of the squares). */
export function tailNorm<T>(x: usize, j: i32, m: i32): f64 {
  let big: f64 = 0;
  for (let i = j + 1; i < m; i++) big = max(big, abs<f64>(<f64>load<T>(at<T>(x, 0, i, 0))));
  if (big == 0) return 0;
  let s: f64 = 0;
  for (let i = j + 1; i < m; i++) { const v = <f64>load<T>(at<T>(x, 0, i, 0)) / big; s += v * v; }
  return big * Math.sqrt(s);
}

/** The machine epsilon of T, the spacing of T at 1 (2·dlamch('E'); numpy's finfo(T).eps). */
export function epsilon<T>(): f64 {
  return sizeof<T>() == 4 ? 1.1920928955078125e-7 : 2.220446049250313e-16;
}

/** LAPACK's safe minimum of T, dlamch('S')/dlamch('E'): its reciprocal does not overflow T. */
export function safeMin<T>(): f64 {
  return sizeof<T>() == 4 ? 1.1754943508222875e-38 / 5.960464477539063e-8 : 2.2250738585072014e-308 / 1.1102230246251565e-16;
}

/**
 * (x, y) ← (c·x − s·y, s·x + c·y) over two rows, SIMD, two vectors a step: V8 unrolls the one-vector loop itself
 * on a private memory but not on a shared one, where it ran 1.6× slower (plain Jacobi 1.35× on the threaded build).
 */
export function rotateRows<T>(x: usize, y: usize, len: i32, c: f64, sn: f64): void {
  const L = 16 / <i32>sizeof<T>();
  const cv = v128.splat<T>(<T>c), sv = v128.splat<T>(<T>sn);
  let i = 0;
  for (; i + 2 * L <= len; i += 2 * L) {
    const o = <usize>i * sizeof<T>();
    const x0 = v128.load(x + o), y0 = v128.load(y + o), x1 = v128.load(x + o, 16), y1 = v128.load(y + o, 16);
    v128.store(x + o, v128.sub<T>(v128.mul<T>(cv, x0), v128.mul<T>(sv, y0)));
    v128.store(y + o, v128.add<T>(v128.mul<T>(sv, x0), v128.mul<T>(cv, y0)));
    v128.store(x + o, v128.sub<T>(v128.mul<T>(cv, x1), v128.mul<T>(sv, y1)), 16);
    v128.store(y + o, v128.add<T>(v128.mul<T>(sv, x1), v128.mul<T>(cv, y1)), 16);
  }
  for (; i + L <= len; i += L) {
    const o = <usize>i * sizeof<T>();
    const xv = v128.load(x + o), yv = v128.load(y + o);
    v128.store(x + o, v128.sub<T>(v128.mul<T>(cv, xv), v128.mul<T>(sv, yv)));
    v128.store(y + o, v128.add<T>(v128.mul<T>(sv, xv), v128.mul<T>(cv, yv)));
  }
  for (; i < len; i++) {
    const o = <usize>i * sizeof<T>();
    const xs = load<T>(x + o), ys = load<T>(y + o);
    store<T>(x + o, <T>c * xs - <T>sn * ys);
    store<T>(y + o, <T>sn * xs + <T>c * ys);
  }
}

/**
 * The index of the largest of `count` f64 keys; the caller marks it −∞ once read, so repeated calls give
 * a descending order (a selection sort: count is small next to the factorization that produced the keys).
 */
export function takeLargest(keys: usize, count: i32): i32 {
  let best = 0;
  for (let j = 1; j < count; j++) if (ld(keys, j) > ld(keys, best)) best = j;
  return best;
}

// @ts-ignore: decorator
@inline export function ld(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }

// @ts-ignore: decorator
@inline export function st(base: usize, i: i32, x: f64): void { store<f64>(base + (<usize>i << 3), x); }
