// General (non-symmetric) eigendecomposition (core/primitives/geev.ts): EISPACK balanc + orthes + hqr2 + balbak, as
// the reference kernel (backend-ref/src/kernels/geev.ts), run in f64 on a work copy whatever the storage dtype (the
// iteration is scalar: f64 costs no more than f32 here, and the f32 kernel's results are then rounded once).
// Deflation at ε of the storage dtype, so an f32 input is iterated only as far as its own precision means anything.
// Work: 2n² + 12n + 2 f64 (H, V, ort, wr, wi, scale, perm + low/high, one sweep's reflectors: 7n), this call's
// scratch. The back-substitution and output packing as in LAPACK dgeev.
// Memory order, not arithmetic, departs from EISPACK: in row-major storage its column loops stride by n, so the
// Householder steps of orthes and their accumulation run row by row, the final V·X product runs k-outer/j-inner,
// and each QR sweep's reflectors are recorded and applied to V and to the rows above the active block after the
// sweep, four rows at a time (applyReflectors). Measured interleaved against scipy.linalg.eig on one thread
// (npm run bench:statespace, AMD EPYC): n = 256 188 → 96 ms, n = 512 3.7 → 1.17 s.
import { at } from './shared/memory';
import { epsilon } from './shared/factor';

// @ts-ignore: decorator
@inline function ld(base: usize, i: i32, j: i32, n: i32): f64 { return load<f64>(at<f64>(base, i, j, n)); }
// @ts-ignore: decorator
@inline function st(base: usize, i: i32, j: i32, n: i32, v: f64): void { store<f64>(at<f64>(base, i, j, n), v); }
// @ts-ignore: decorator
@inline function lv(base: usize, i: i32): f64 { return load<f64>(base + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function sv(base: usize, i: i32, v: f64): void { store<f64>(base + (<usize>i << 3), v); }

let cdivr: f64 = 0;
let cdivi: f64 = 0;

/** (xr + i·xi)/(yr + i·yi) into cdivr, cdivi (Smith's algorithm). */
function cdiv(xr: f64, xi: f64, yr: f64, yi: f64): void {
  if (Math.abs(yr) > Math.abs(yi)) {
    const rr = yi / yr, d = yr + rr * yi;
    cdivr = (xr + rr * xi) / d;
    cdivi = (xi - rr * xr) / d;
  } else {
    const rr = yr / yi, d = yi + rr * yr;
    cdivr = (rr * xr + xi) / d;
    cdivi = (rr * xi - xr) / d;
  }
}

/** swapRows of the row-major n×n at v. */
function swapRows(v: usize, i: i32, k: i32, n: i32): void {
  if (i == k) return;
  for (let j = 0; j < n; j++) {
    const t = ld(v, i, j, n);
    st(v, i, j, n, ld(v, k, j, n));
    st(v, k, j, n, t);
  }
}

/** Columns j and m, and rows j and m, of h swapped (rows from column `from`, columns up to row `to`); perm[m] = j. */
function swapRowCol(hp: usize, n: i32, j: i32, m: i32, from: i32, to: i32, permp: usize): void {
  sv(permp, m, <f64>j);
  if (j == m) return;
  for (let i = 0; i <= to; i++) {
    const t = ld(hp, i, j, n);
    st(hp, i, j, n, ld(hp, i, m, n));
    st(hp, i, m, n, t);
  }
  for (let i = from; i < n; i++) {
    const t = ld(hp, j, i, n);
    st(hp, j, i, n, ld(hp, m, i, n));
    st(hp, m, i, n, t);
  }
}

/**
 * EISPACK balanc / LAPACK dgebal: rows isolating an eigenvalue to the bottom, columns to the left, then the rest
 * scaled by powers of two; scale[i] the scaling, perm[j] the swap at j; low and high written after perm (n, n+1).
 */
function balance(hp: usize, n: i32, scalep: usize, permp: usize): void {
  let low = 0,
    high = n - 1;
  for (let found = true; found && high >= 0; ) {
    found = false;
    for (let j = high; j >= 0; j--) {
      let zero = true;
      for (let i = 0; i <= high && zero; i++) if (i != j && ld(hp, j, i, n) != 0) zero = false;
      if (zero) {
        swapRowCol(hp, n, j, high, low, high, permp);
        if (high == 0) {
          high = -1;
          break;
        }
        high--;
        found = true;
        break;
      }
    }
  }
  for (let found = high >= 0; found; ) {
    found = false;
    for (let j = low; j <= high; j++) {
      let zero = true;
      for (let i = low; i <= high && zero; i++) if (i != j && ld(hp, i, j, n) != 0) zero = false;
      if (zero) {
        swapRowCol(hp, n, j, low, low, high, permp);
        low++;
        found = true;
        break;
      }
    }
  }
  for (let i = 0; i < n; i++) sv(scalep, i, 1);
  for (let done = false; !done && high > low; ) {
    done = true;
    for (let i = low; i <= high; i++) {
      let c: f64 = 0,
        r: f64 = 0;
      for (let j = low; j <= high; j++)
        if (j != i) {
          c += Math.abs(ld(hp, j, i, n));
          r += Math.abs(ld(hp, i, j, n));
        }
      if (c == 0 || r == 0) continue;
      let g = r / 2,
        f: f64 = 1;
      const s = c + r;
      while (c < g) {
        f *= 2;
        c *= 4;
      }
      g = r * 2;
      while (c >= g) {
        f /= 2;
        c /= 4;
      }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        sv(scalep, i, lv(scalep, i) * f);
        for (let j = low; j < n; j++) st(hp, i, j, n, ld(hp, i, j, n) / f);
        for (let j = 0; j <= high; j++) st(hp, j, i, n, ld(hp, j, i, n) * f);
      }
    }
  }
  if (high < low) high = low - 1;
  sv(permp, n, <f64>low);
  sv(permp, n + 1, <f64>high);
}

/** One sweep's 3×3 reflector k (I − [1, q, r]ᵀ[x, y, z], r and z unused on the last) kept for the deferred updates. */
@inline function recordReflector(refp: usize, c: i32, k: i32, x: f64, y: f64, z: f64, q: f64, r: f64, notlast: bool): void {
  const b = refp + ((<usize>c * 7) << 3);
  store<f64>(b, <f64>k);
  store<f64>(b, x, 8);
  store<f64>(b, y, 16);
  store<f64>(b, z, 24);
  store<f64>(b, q, 32);
  store<f64>(b, r, 40);
  store<f64>(b, notlast ? 1.0 : 0.0, 48);
}

/** One row's elements k … k+2 (at e) times reflector record b. */
@inline function reflectRow(e: usize, x: f64, y: f64, z: f64, q: f64, r: f64, three: bool): void {
  let p = x * load<f64>(e) + y * load<f64>(e, 8);
  if (three) {
    p += z * load<f64>(e, 16);
    store<f64>(e, load<f64>(e, 16) - p * r, 16);
  }
  store<f64>(e, load<f64>(e) - p);
  store<f64>(e, load<f64>(e, 8) - p * q, 8);
}

/**
 * Rows i0 … i1 of the row-major n×n at base times the sweep's reflectors, in their order, four rows at a time: each
 * block of rows read from memory once and carried through the whole sweep (with each record read once per block),
 * where hqr2 applies one reflector to every row (stride n) at a time. The arithmetic per element is hqr2's, in the
 * same order.
 */
function applyReflectors(base: usize, i0: i32, i1: i32, refp: usize, count: i32, n: i32): void {
  const stride = <usize>n << 3;
  for (let i = i0; i <= i1; i += 4) {
    const rows = min(4, i1 - i + 1);
    const row = base + <usize>i * stride;
    for (let c = 0; c < count; c++) {
      const b = refp + ((<usize>c * 7) << 3);
      const e = row + ((<usize>(<i32>load<f64>(b))) << 3);
      const x = load<f64>(b, 8), y = load<f64>(b, 16), z = load<f64>(b, 24);
      const q = load<f64>(b, 32), r = load<f64>(b, 40), three = load<f64>(b, 48) != 0;
      reflectRow(e, x, y, z, q, r, three);
      if (rows > 1) reflectRow(e + stride, x, y, z, q, r, three);
      if (rows > 2) reflectRow(e + 2 * stride, x, y, z, q, r, three);
      if (rows > 3) reflectRow(e + 3 * stride, x, y, z, q, r, three);
    }
  }
}

function eigen(hp: usize, vp: usize, ortp: usize, wrp: usize, wip: usize, scalep: usize, permp: usize, refp: usize, n: i32, eps: f64): i32 {
  // orthes
  balance(hp, n, scalep, permp);
  let low = <i32>lv(permp, n), high = <i32>lv(permp, n + 1);
  for (let m = low + 1; m <= high - 1; m++) {
    let scale: f64 = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(ld(hp, i, m - 1, n));
    if (scale !== 0) {
      let h: f64 = 0;
      for (let i = high; i >= m; i--) {
        sv(ortp, i, ld(hp, i, m - 1, n) / scale);
        h += lv(ortp, i) * lv(ortp, i);
      }
      let g = Math.sqrt(h);
      if (lv(ortp, m) > 0) g = -g;
      h -= lv(ortp, m) * g;
      sv(ortp, m, lv(ortp, m) - (g));
      // (I − u·uᵀ/h)·H by rows, not columns: f = uᵀH accumulated row by row into wr (free until hqr2 fills it),
      // then each row updated — contiguous in row-major storage, where EISPACK's column loops stride by n.
      for (let j = m; j < n; j++) sv(wrp, j, 0);
      for (let i = m; i <= high; i++) {
        const u = lv(ortp, i);
        for (let j = m; j < n; j++) sv(wrp, j, lv(wrp, j) + u * ld(hp, i, j, n));
      }
      for (let j = m; j < n; j++) sv(wrp, j, lv(wrp, j) / h);
      for (let i = m; i <= high; i++) {
        const u = lv(ortp, i);
        for (let j = m; j < n; j++) st(hp, i, j, n, ld(hp, i, j, n) - lv(wrp, j) * u);
      }
      for (let i = 0; i <= high; i++) {
        let f: f64 = 0;
        for (let j = high; j >= m; j--) f += lv(ortp, j) * ld(hp, i, j, n);
        f /= h;
        for (let j = m; j <= high; j++) st(hp, i, j, n, ld(hp, i, j, n) - (f * lv(ortp, j)));
      }
      sv(ortp, m, scale * lv(ortp, m));
      st(hp, m, m - 1, n, scale * g);
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) st(vp, i, j, n, i == j ? 1.0 : 0.0);
  for (let m = high - 1; m >= low + 1; m--) {
    if (ld(hp, m, m - 1, n) !== 0) {
      for (let i = m + 1; i <= high; i++) sv(ortp, i, ld(hp, i, m - 1, n));
      // The same row-wise order: g = uᵀV in wr, then V += u·gᵀ row by row.
      for (let j = m; j <= high; j++) sv(wrp, j, 0);
      for (let i = m; i <= high; i++) {
        const u = lv(ortp, i);
        for (let j = m; j <= high; j++) sv(wrp, j, lv(wrp, j) + u * ld(vp, i, j, n));
      }
      const d = lv(ortp, m), e = ld(hp, m, m - 1, n);
      for (let j = m; j <= high; j++) sv(wrp, j, lv(wrp, j) / d / e);
      for (let i = m; i <= high; i++) {
        const u = lv(ortp, i);
        for (let j = m; j <= high; j++) st(vp, i, j, n, ld(vp, i, j, n) + lv(wrp, j) * u);
      }
    }
  }
  // hqr2
  let nn = n,
    iterations: i32 = 0;
  let N = nn - 1;
  let exshift: f64 = 0,
    p: f64 = 0,
    q: f64 = 0,
    r: f64 = 0,
    s: f64 = 0,
    z: f64 = 0,
    t: f64 = 0,
    w: f64 = 0,
    x: f64 = 0,
    y: f64 = 0;
  let norm: f64 = 0;
  for (let i = 0; i < nn; i++) {
    if (i < low || i > high) {
      sv(wrp, i, ld(hp, i, i, n));
      sv(wip, i, 0);
    }
    for (let j = max(i - 1, 0); j < nn; j++) norm += Math.abs(ld(hp, i, j, n));
  }
  let iter = 0;
  while (N >= low) {
    let l = N;
    while (l > low) {
      s = Math.abs(ld(hp, l - 1, l - 1, n)) + Math.abs(ld(hp, l, l, n));
      if (s === 0) s = norm;
      if (Math.abs(ld(hp, l, l - 1, n)) <= eps * s) break;
      l--;
    }
    if (l === N) {
      st(hp, N, N, n, ld(hp, N, N, n) + exshift);
      sv(wrp, N, ld(hp, N, N, n));
      sv(wip, N, 0);
      N--;
      iter = 0;
    } else if (l === N - 1) {
      w = ld(hp, N, N - 1, n) * ld(hp, N - 1, N, n);
      p = (ld(hp, N - 1, N - 1, n) - ld(hp, N, N, n)) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      st(hp, N, N, n, ld(hp, N, N, n) + exshift);
      st(hp, N - 1, N - 1, n, ld(hp, N - 1, N - 1, n) + exshift);
      x = ld(hp, N, N, n);
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        sv(wrp, N - 1, x + z);
        sv(wrp, N, lv(wrp, N - 1));
        if (z !== 0) sv(wrp, N, x - w / z);
        sv(wip, N - 1, 0);
        sv(wip, N, 0);
        x = ld(hp, N, N - 1, n);
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (let j = N - 1; j < nn; j++) {
          z = ld(hp, N - 1, j, n);
          st(hp, N - 1, j, n, q * z + p * ld(hp, N, j, n));
          st(hp, N, j, n, q * ld(hp, N, j, n) - p * z);
        }
        for (let i = 0; i <= N; i++) {
          z = ld(hp, i, N - 1, n);
          st(hp, i, N - 1, n, q * z + p * ld(hp, i, N, n));
          st(hp, i, N, n, q * ld(hp, i, N, n) - p * z);
        }
        for (let i = low; i <= high; i++) {
          z = ld(vp, i, N - 1, n);
          st(vp, i, N - 1, n, q * z + p * ld(vp, i, N, n));
          st(vp, i, N, n, q * ld(vp, i, N, n) - p * z);
        }
      } else {
        sv(wrp, N - 1, x + p);
        sv(wrp, N, x + p);
        sv(wip, N - 1, z);
        sv(wip, N, -z);
      }
      N -= 2;
      iter = 0;
    } else {
      x = ld(hp, N, N, n);
      y = 0;
      w = 0;
      if (l < N) {
        y = ld(hp, N - 1, N - 1, n);
        w = ld(hp, N, N - 1, n) * ld(hp, N - 1, N, n);
      }
      if (iter === 10) {
        exshift += x;
        for (let i = low; i <= N; i++) st(hp, i, i, n, ld(hp, i, i, n) - (x));
        s = Math.abs(ld(hp, N, N - 1, n)) + Math.abs(ld(hp, N - 1, N - 2, n));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter === 30) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = low; i <= N; i++) st(hp, i, i, n, ld(hp, i, i, n) - (s));
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      iterations++;
      if (iterations > 30 * max(1, n)) return -2;
      let m = N - 2;
      while (m >= l) {
        z = ld(hp, m, m, n);
        r = x - z;
        s = y - z;
        p = (r * s - w) / ld(hp, m + 1, m, n) + ld(hp, m, m + 1, n);
        q = ld(hp, m + 1, m + 1, n) - z - r - s;
        r = ld(hp, m + 2, m + 1, n);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(ld(hp, m, m - 1, n)) * (Math.abs(q) + Math.abs(r)) <
          eps * (Math.abs(p) * (Math.abs(ld(hp, m - 1, m - 1, n)) + Math.abs(z) + Math.abs(ld(hp, m + 1, m + 1, n))))
        )
          break;
        m--;
      }
      for (let i = m + 2; i <= N; i++) {
        st(hp, i, i - 2, n, 0);
        if (i > m + 2) st(hp, i, i - 3, n, 0);
      }
      let recorded = 0;
      for (let k = m; k <= N - 1; k++) {
        const notlast = k !== N - 1;
        if (k !== m) {
          p = ld(hp, k, k - 1, n);
          q = ld(hp, k + 1, k - 1, n);
          r = notlast ? ld(hp, k + 2, k - 1, n) : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) st(hp, k, k - 1, n, -s * x);
          else if (l !== m) st(hp, k, k - 1, n, -ld(hp, k, k - 1, n));
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < nn; j++) {
            p = ld(hp, k, j, n) + q * ld(hp, k + 1, j, n);
            if (notlast) {
              p += r * ld(hp, k + 2, j, n);
              st(hp, k + 2, j, n, ld(hp, k + 2, j, n) - (p * z));
            }
            st(hp, k, j, n, ld(hp, k, j, n) - (p * x));
            st(hp, k + 1, j, n, ld(hp, k + 1, j, n) - (p * y));
          }
          // Columns k … k+2 of the active rows now (the next reflector reads them); rows above m and V are read by
          // nothing in this sweep, so their updates are recorded and applied after it, row by row (applyReflectors).
          for (let i = m; i <= min(N, k + 3); i++) {
            p = x * ld(hp, i, k, n) + y * ld(hp, i, k + 1, n);
            if (notlast) {
              p += z * ld(hp, i, k + 2, n);
              st(hp, i, k + 2, n, ld(hp, i, k + 2, n) - (p * r));
            }
            st(hp, i, k, n, ld(hp, i, k, n) - (p));
            st(hp, i, k + 1, n, ld(hp, i, k + 1, n) - (p * q));
          }
          recordReflector(refp, recorded++, k, x, y, z, q, r, notlast);
        }
      }
      applyReflectors(hp, 0, m - 1, refp, recorded, n);
      applyReflectors(vp, low, high, refp, recorded, n);
    }
  }
  // Back-substitution for the eigenvectors of the quasi-triangular form.
  if (norm == 0) return iterations;
  for (N = nn - 1; N >= 0; N--) {
    p = lv(wrp, N);
    q = lv(wip, N);
    if (q === 0) {
      let l = N;
      st(hp, N, N, n, 1);
      for (let i = N - 1; i >= 0; i--) {
        w = ld(hp, i, i, n) - p;
        r = 0;
        for (let j = l; j <= N; j++) r += ld(hp, i, j, n) * ld(hp, j, N, n);
        if (lv(wip, i) < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (lv(wip, i) === 0) {
            st(hp, i, N, n, w !== 0 ? -r / w : -r / (eps * norm));
          } else {
            x = ld(hp, i, i + 1, n);
            y = ld(hp, i + 1, i, n);
            q = (lv(wrp, i) - p) * (lv(wrp, i) - p) + lv(wip, i) * lv(wip, i);
            t = (x * s - z * r) / q;
            st(hp, i, N, n, t);
            st(hp, i + 1, N, n, Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z);
          }
          t = Math.abs(ld(hp, i, N, n));
          if (eps * t * t > 1) for (let j = i; j <= N; j++) st(hp, j, N, n, ld(hp, j, N, n) / (t));
        }
      }
    } else if (q < 0) {
      let l = N - 1;
      if (Math.abs(ld(hp, N, N - 1, n)) > Math.abs(ld(hp, N - 1, N, n))) {
        st(hp, N - 1, N - 1, n, q / ld(hp, N, N - 1, n));
        st(hp, N - 1, N, n, -(ld(hp, N, N, n) - p) / ld(hp, N, N - 1, n));
      } else {
        cdiv(0, -ld(hp, N - 1, N, n), ld(hp, N - 1, N - 1, n) - p, q);
        const cr = cdivr,
          ci = cdivi;
        st(hp, N - 1, N - 1, n, cr);
        st(hp, N - 1, N, n, ci);
      }
      st(hp, N, N - 1, n, 0);
      st(hp, N, N, n, 1);
      for (let i = N - 2; i >= 0; i--) {
        let ra: f64 = 0,
          sa: f64 = 0;
        for (let j = l; j <= N; j++) {
          ra += ld(hp, i, j, n) * ld(hp, j, N - 1, n);
          sa += ld(hp, i, j, n) * ld(hp, j, N, n);
        }
        w = ld(hp, i, i, n) - p;
        if (lv(wip, i) < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (lv(wip, i) === 0) {
            cdiv(-ra, -sa, w, q);
        const cr = cdivr,
          ci = cdivi;
            st(hp, i, N - 1, n, cr);
            st(hp, i, N, n, ci);
          } else {
            x = ld(hp, i, i + 1, n);
            y = ld(hp, i + 1, i, n);
            let vr = (lv(wrp, i) - p) * (lv(wrp, i) - p) + lv(wip, i) * lv(wip, i) - q * q;
            const vi = (lv(wrp, i) - p) * 2 * q;
            if (vr === 0 && vi === 0) vr = eps * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
        const cr = cdivr,
          ci = cdivi;
            st(hp, i, N - 1, n, cr);
            st(hp, i, N, n, ci);
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              st(hp, i + 1, N - 1, n, (-ra - w * ld(hp, i, N - 1, n) + q * ld(hp, i, N, n)) / x);
              st(hp, i + 1, N, n, (-sa - w * ld(hp, i, N, n) - q * ld(hp, i, N - 1, n)) / x);
            } else {
              cdiv(-r - y * ld(hp, i, N - 1, n), -s - y * ld(hp, i, N, n), z, q);
        const dr = cdivr,
          di = cdivi;
              st(hp, i + 1, N - 1, n, dr);
              st(hp, i + 1, N, n, di);
            }
          }
          t = max(Math.abs(ld(hp, i, N - 1, n)), Math.abs(ld(hp, i, N, n)));
          if (eps * t * t > 1)
            for (let j = i; j <= N; j++) {
              st(hp, j, N - 1, n, ld(hp, j, N - 1, n) / (t));
              st(hp, j, N, n, ld(hp, j, N, n) / (t));
            }
        }
      }
    }
  }
  // Vectors of isolated roots, then back to the balanced matrix's basis.
  for (let i = 0; i < nn; i++) if (i < low || i > high) for (let j = i; j < nn; j++) st(vp, i, j, n, ld(hp, i, j, n));
  // V ← V·X (X the quasi-triangular form's eigenvectors, upper triangular in H) row by row: row i of the product
  // accumulated in ort (free since the accumulation above), k outer and j inner so both read along rows.
  for (let i = low; i <= high; i++) {
    for (let j = low; j < nn; j++) sv(ortp, j, 0);
    for (let k = low; k <= high; k++) {
      const vik = ld(vp, i, k, n);
      for (let j = k; j < nn; j++) sv(ortp, j, lv(ortp, j) + vik * ld(hp, k, j, n));
    }
    for (let j = low; j < nn; j++) st(vp, i, j, n, lv(ortp, j));
  }
  // Undo the balancing (EISPACK balbak): the scaling of rows low … high, then the permutations.
  for (let i = low; i <= high; i++) for (let j = 0; j < nn; j++) st(vp, i, j, n, ld(vp, i, j, n) * lv(scalep, i));
  for (let i = low - 1; i >= 0; i--) swapRows(vp, i, <i32>lv(permp, i), n);
  for (let i = high + 1; i < nn; i++) swapRows(vp, i, <i32>lv(permp, i), n);
  return iterations;
}
/** Work elements (f64) the glue provides. */
export function geevWorkElements(n: i32): i32 { return 2 * n * n + 12 * n + 2; }

/** A (T) → (wr, wi, v) in T; −1 for NaN/±Inf in A, −2 past 30·n iterations, else the iterations. */
function geevT<T>(a: usize, wr: usize, wi: usize, v: usize, n: i32, work: usize): i32 {
  const nn = <usize>n * n;
  const hp = work, vp = hp + (nn << 3), ortp = vp + (nn << 3), wrp = ortp + (<usize>n << 3), wip = wrp + (<usize>n << 3);
  const scalep = wip + (<usize>n << 3), permp = scalep + (<usize>n << 3), refp = permp + ((<usize>n + 2) << 3);
  let anrm: f64 = 0;
  for (let i: usize = 0; i < nn; i++) {
    const x = <f64>load<T>(a + i * sizeof<T>());
    if (!isFinite(x)) return -1;
    anrm = max(anrm, Math.abs(x));
    store<f64>(hp + (i << 3), x);
  }
  // As dgeev: a matrix far from unit size is scaled by a power of two first (the iteration squares entries).
  const sigma: f64 = anrm > 0 && (anrm < 1e-100 || anrm > 1e100) ? Math.pow(2, -Math.round(Math.log2(anrm))) : 1;
  if (sigma != 1) for (let i: usize = 0; i < nn; i++) store<f64>(hp + (i << 3), load<f64>(hp + (i << 3)) * sigma);
  const eps = epsilon<T>();
  const status = eigen(hp, vp, ortp, wrp, wip, scalep, permp, refp, n, eps);
  if (status < 0) return status;
  for (let i: usize = 0; i < nn; i++) store<T>(v + i * sizeof<T>(), <T>load<f64>(vp + (i << 3)));
  for (let i = 0; i < n; i++) {
    store<T>(wr + <usize>i * sizeof<T>(), <T>(lv(wrp, i) / sigma));
    store<T>(wi + <usize>i * sizeof<T>(), <T>(lv(wip, i) / sigma));
  }
  return status;
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function geev_f32(a: usize, wr: usize, wi: usize, v: usize, n: i32, work: usize): i32 { return geevT<f32>(a, wr, wi, v, n, work); }
export function geev_f64(a: usize, wr: usize, wi: usize, v: usize, n: i32, work: usize): i32 { return geevT<f64>(a, wr, wi, v, n, work); }
