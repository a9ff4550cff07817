import type { GeevParams } from '@lowrank/core';
import type { RefTensor } from '../tensor.ts';

/**
 * General eigendecomposition in f64 (EISPACK balanc + orthes + hqr2 + balbak; orthes and hqr2 in the form of JAMA's
 * EigenvalueDecomposition): balancing — isolated eigenvalues permuted to the ends, the rest scaled by powers of two
 * (as dgebal: a triangular matrix, HiPPO-LegS for one, is then solved exactly) —, Householder reduction to Hessenberg form with the transformations accumulated in V, the Francis double-shift QR
 * iteration with EISPACK's exceptional shifts at iterations 10 and 30 of an eigenvalue, then back-substitution on
 * the quasi-triangular form for the eigenvectors, transformed back by V. Deflation when a subdiagonal entry is at
 * most ε times its diagonal neighbours (≤, so an exactly zero matrix deflates at once). Output in LAPACK's packing
 * (core/primitives/geev.ts); −1 for NaN/±Inf, −2 past 30·n iterations.
 */
export function geev(p: GeevParams<RefTensor>): number {
  const { n } = p;
  const A = p.a.data;
  let anrm = 0;
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(A[i])) return -1;
    anrm = Math.max(anrm, Math.abs(A[i]));
  }
  // As dgeev, a matrix whose largest entry is far from one is scaled by a power of two (exact) first: the QR
  // iteration squares its entries (1e±300 would overflow or underflow); the eigenvalues are scaled back.
  const sigma = anrm > 0 && (anrm < 1e-100 || anrm > 1e100) ? 2 ** -Math.round(Math.log2(anrm)) : 1;
  const out = eigen(
    Array.from(A, (x) => x * sigma),
    n,
  );
  p.wr.data.set(out.wr.map((x) => x / sigma));
  p.wi.data.set(out.wi.map((x) => x / sigma));
  p.v.data.set(out.v);
  return out.iterations;
}

function swapRows(v: Float64Array, i: number, k: number, n: number): void {
  if (i === k) return;
  for (let j = 0; j < n; j++) {
    const t = v[i * n + j];
    v[i * n + j] = v[k * n + j];
    v[k * n + j] = t;
  }
}

function eigen(
  a: ArrayLike<number>,
  n: number,
): { wr: Float64Array; wi: Float64Array; v: Float64Array; iterations: number } {
  const H = Float64Array.from(a);
  const V = new Float64Array(n * n);
  const ort = new Float64Array(n);
  const at = (i: number, j: number) => i * n + j;
  // orthes
  // Balancing (EISPACK balanc, LAPACK dgebal): rows and columns that isolate an eigenvalue are permuted to the
  // ends (their eigenvalue is the diagonal entry, exactly), then the rest is scaled by powers of two until each
  // row and column have comparable norms. perm[j] records the swap made at position j, scale[j] the scaling.
  const scale = new Float64Array(n),
    perm = new Int32Array(n);
  let low = 0,
    high = n - 1;
  const swap = (j: number, m: number) => {
    perm[m] = j;
    if (j === m) return;
    for (let i = 0; i <= high; i++) {
      const t = H[at(i, j)];
      H[at(i, j)] = H[at(i, m)];
      H[at(i, m)] = t;
    }
    for (let i = low; i < n; i++) {
      const t = H[at(j, i)];
      H[at(j, i)] = H[at(m, i)];
      H[at(m, i)] = t;
    }
  };
  // Rows with no off-diagonal entry in columns low … high go to the bottom.
  for (let found = true; found && high >= 0;) {
    found = false;
    for (let j = high; j >= 0; j--) {
      let zero = true;
      for (let i = 0; i <= high && zero; i++) if (i !== j && H[at(j, i)] !== 0) zero = false;
      if (zero) {
        swap(j, high);
        if (high === 0) {
          high = -1;
          break;
        }
        high--;
        found = true;
        break;
      }
    }
  }
  // Columns with no off-diagonal entry in rows low … high go to the left.
  for (let found = high >= 0; found;) {
    found = false;
    for (let j = low; j <= high; j++) {
      let zero = true;
      for (let i = low; i <= high && zero; i++) if (i !== j && H[at(i, j)] !== 0) zero = false;
      if (zero) {
        swap(j, low);
        low++;
        found = true;
        break;
      }
    }
  }
  for (let i = 0; i < n; i++) scale[i] = 1;
  for (let done = false; !done && high > low;) {
    done = true;
    for (let i = low; i <= high; i++) {
      let c = 0,
        r = 0;
      for (let j = low; j <= high; j++)
        if (j !== i) {
          c += Math.abs(H[at(j, i)]);
          r += Math.abs(H[at(i, j)]);
        }
      if (c === 0 || r === 0) continue;
      let g = r / 2,
        f = 1;
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
        scale[i] *= f;
        for (let j = low; j < n; j++) H[at(i, j)] /= f;
        for (let j = 0; j <= high; j++) H[at(j, i)] *= f;
      }
    }
  }
  if (high < low) {
    // Everything isolated: A was permuted to triangular form.
    high = low - 1;
  }
  for (let m = low + 1; m <= high - 1; m++) {
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(H[at(i, m - 1)]);
    if (scale !== 0) {
      let h = 0;
      for (let i = high; i >= m; i--) {
        ort[i] = H[at(i, m - 1)] / scale;
        h += ort[i] * ort[i];
      }
      let g = Math.sqrt(h);
      if (ort[m] > 0) g = -g;
      h -= ort[m] * g;
      ort[m] -= g;
      for (let j = m; j < n; j++) {
        let f = 0;
        for (let i = high; i >= m; i--) f += ort[i] * H[at(i, j)];
        f /= h;
        for (let i = m; i <= high; i++) H[at(i, j)] -= f * ort[i];
      }
      for (let i = 0; i <= high; i++) {
        let f = 0;
        for (let j = high; j >= m; j--) f += ort[j] * H[at(i, j)];
        f /= h;
        for (let j = m; j <= high; j++) H[at(i, j)] -= f * ort[j];
      }
      ort[m] = scale * ort[m];
      H[at(m, m - 1)] = scale * g;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) V[at(i, j)] = i === j ? 1 : 0;
  for (let m = high - 1; m >= low + 1; m--) {
    if (H[at(m, m - 1)] !== 0) {
      for (let i = m + 1; i <= high; i++) ort[i] = H[at(i, m - 1)];
      for (let j = m; j <= high; j++) {
        let g = 0;
        for (let i = m; i <= high; i++) g += ort[i] * V[at(i, j)];
        g = g / ort[m] / H[at(m, m - 1)];
        for (let i = m; i <= high; i++) V[at(i, j)] += g * ort[i];
      }
    }
  }
  // hqr2
  const wr = new Float64Array(n),
    wi = new Float64Array(n);
  const nn = n;
  let iterations = 0;
  let N = nn - 1;
  const eps = 2 ** -52;
  let exshift = 0,
    p = 0,
    q = 0,
    r = 0,
    s = 0,
    z = 0,
    t: number,
    w: number,
    x: number,
    y: number;
  let norm = 0;
  for (let i = 0; i < nn; i++) {
    if (i < low || i > high) {
      wr[i] = H[at(i, i)];
      wi[i] = 0;
    }
    for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(H[at(i, j)]);
  }
  let iter = 0;
  while (N >= low) {
    let l = N;
    while (l > low) {
      s = Math.abs(H[at(l - 1, l - 1)]) + Math.abs(H[at(l, l)]);
      if (s === 0) s = norm;
      if (Math.abs(H[at(l, l - 1)]) <= eps * s) break;
      l--;
    }
    if (l === N) {
      H[at(N, N)] = H[at(N, N)] + exshift;
      wr[N] = H[at(N, N)];
      wi[N] = 0;
      N--;
      iter = 0;
    } else if (l === N - 1) {
      w = H[at(N, N - 1)] * H[at(N - 1, N)];
      p = (H[at(N - 1, N - 1)] - H[at(N, N)]) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      H[at(N, N)] = H[at(N, N)] + exshift;
      H[at(N - 1, N - 1)] = H[at(N - 1, N - 1)] + exshift;
      x = H[at(N, N)];
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        wr[N - 1] = x + z;
        wr[N] = wr[N - 1];
        if (z !== 0) wr[N] = x - w / z;
        wi[N - 1] = 0;
        wi[N] = 0;
        x = H[at(N, N - 1)];
        s = Math.abs(x) + Math.abs(z);
        p = x / s;
        q = z / s;
        r = Math.sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (let j = N - 1; j < nn; j++) {
          z = H[at(N - 1, j)];
          H[at(N - 1, j)] = q * z + p * H[at(N, j)];
          H[at(N, j)] = q * H[at(N, j)] - p * z;
        }
        for (let i = 0; i <= N; i++) {
          z = H[at(i, N - 1)];
          H[at(i, N - 1)] = q * z + p * H[at(i, N)];
          H[at(i, N)] = q * H[at(i, N)] - p * z;
        }
        for (let i = low; i <= high; i++) {
          z = V[at(i, N - 1)];
          V[at(i, N - 1)] = q * z + p * V[at(i, N)];
          V[at(i, N)] = q * V[at(i, N)] - p * z;
        }
      } else {
        wr[N - 1] = x + p;
        wr[N] = x + p;
        wi[N - 1] = z;
        wi[N] = -z;
      }
      N -= 2;
      iter = 0;
    } else {
      x = H[at(N, N)];
      y = 0;
      w = 0;
      if (l < N) {
        y = H[at(N - 1, N - 1)];
        w = H[at(N, N - 1)] * H[at(N - 1, N)];
      }
      if (iter === 10) {
        exshift += x;
        for (let i = low; i <= N; i++) H[at(i, i)] -= x;
        s = Math.abs(H[at(N, N - 1)]) + Math.abs(H[at(N - 1, N - 2)]);
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
          for (let i = low; i <= N; i++) H[at(i, i)] -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      iterations++;
      if (iterations > 30 * Math.max(1, n)) return { wr, wi, v: V, iterations: -2 };
      let m = N - 2;
      while (m >= l) {
        z = H[at(m, m)];
        r = x - z;
        s = y - z;
        p = (r * s - w) / H[at(m + 1, m)] + H[at(m, m + 1)];
        q = H[at(m + 1, m + 1)] - z - r - s;
        r = H[at(m + 2, m + 1)];
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (
          Math.abs(H[at(m, m - 1)]) * (Math.abs(q) + Math.abs(r)) <
          eps * (Math.abs(p) * (Math.abs(H[at(m - 1, m - 1)]) + Math.abs(z) + Math.abs(H[at(m + 1, m + 1)])))
        )
          break;
        m--;
      }
      for (let i = m + 2; i <= N; i++) {
        H[at(i, i - 2)] = 0;
        if (i > m + 2) H[at(i, i - 3)] = 0;
      }
      for (let k = m; k <= N - 1; k++) {
        const notlast = k !== N - 1;
        if (k !== m) {
          p = H[at(k, k - 1)];
          q = H[at(k + 1, k - 1)];
          r = notlast ? H[at(k + 2, k - 1)] : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s !== 0) {
          if (k !== m) H[at(k, k - 1)] = -s * x;
          else if (l !== m) H[at(k, k - 1)] = -H[at(k, k - 1)];
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (let j = k; j < nn; j++) {
            p = H[at(k, j)] + q * H[at(k + 1, j)];
            if (notlast) {
              p += r * H[at(k + 2, j)];
              H[at(k + 2, j)] -= p * z;
            }
            H[at(k, j)] -= p * x;
            H[at(k + 1, j)] -= p * y;
          }
          for (let i = 0; i <= Math.min(N, k + 3); i++) {
            p = x * H[at(i, k)] + y * H[at(i, k + 1)];
            if (notlast) {
              p += z * H[at(i, k + 2)];
              H[at(i, k + 2)] -= p * r;
            }
            H[at(i, k)] -= p;
            H[at(i, k + 1)] -= p * q;
          }
          for (let i = low; i <= high; i++) {
            p = x * V[at(i, k)] + y * V[at(i, k + 1)];
            if (notlast) {
              p += z * V[at(i, k + 2)];
              V[at(i, k + 2)] -= p * r;
            }
            V[at(i, k)] -= p;
            V[at(i, k + 1)] -= p * q;
          }
        }
      }
    }
  }
  // Back-substitution for the eigenvectors of the quasi-triangular form.
  if (norm === 0) return { wr, wi, v: V, iterations };
  const cdiv = (xr: number, xi: number, yr: number, yi: number): [number, number] => {
    if (Math.abs(yr) > Math.abs(yi)) {
      const rr = yi / yr,
        d = yr + rr * yi;
      return [(xr + rr * xi) / d, (xi - rr * xr) / d];
    }
    const rr = yr / yi,
      d = yi + rr * yr;
    return [(rr * xr + xi) / d, (rr * xi - xr) / d];
  };
  for (N = nn - 1; N >= 0; N--) {
    p = wr[N];
    q = wi[N];
    if (q === 0) {
      let l = N;
      H[at(N, N)] = 1;
      for (let i = N - 1; i >= 0; i--) {
        w = H[at(i, i)] - p;
        r = 0;
        for (let j = l; j <= N; j++) r += H[at(i, j)] * H[at(j, N)];
        if (wi[i] < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (wi[i] === 0) {
            H[at(i, N)] = w !== 0 ? -r / w : -r / (eps * norm);
          } else {
            x = H[at(i, i + 1)];
            y = H[at(i + 1, i)];
            q = (wr[i] - p) * (wr[i] - p) + wi[i] * wi[i];
            t = (x * s - z * r) / q;
            H[at(i, N)] = t;
            H[at(i + 1, N)] = Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z;
          }
          t = Math.abs(H[at(i, N)]);
          if (eps * t * t > 1) for (let j = i; j <= N; j++) H[at(j, N)] /= t;
        }
      }
    } else if (q < 0) {
      let l = N - 1;
      if (Math.abs(H[at(N, N - 1)]) > Math.abs(H[at(N - 1, N)])) {
        H[at(N - 1, N - 1)] = q / H[at(N, N - 1)];
        H[at(N - 1, N)] = -(H[at(N, N)] - p) / H[at(N, N - 1)];
      } else {
        const [cr, ci] = cdiv(0, -H[at(N - 1, N)], H[at(N - 1, N - 1)] - p, q);
        H[at(N - 1, N - 1)] = cr;
        H[at(N - 1, N)] = ci;
      }
      H[at(N, N - 1)] = 0;
      H[at(N, N)] = 1;
      for (let i = N - 2; i >= 0; i--) {
        let ra = 0,
          sa = 0;
        for (let j = l; j <= N; j++) {
          ra += H[at(i, j)] * H[at(j, N - 1)];
          sa += H[at(i, j)] * H[at(j, N)];
        }
        w = H[at(i, i)] - p;
        if (wi[i] < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (wi[i] === 0) {
            const [cr, ci] = cdiv(-ra, -sa, w, q);
            H[at(i, N - 1)] = cr;
            H[at(i, N)] = ci;
          } else {
            x = H[at(i, i + 1)];
            y = H[at(i + 1, i)];
            let vr = (wr[i] - p) * (wr[i] - p) + wi[i] * wi[i] - q * q;
            const vi = (wr[i] - p) * 2 * q;
            if (vr === 0 && vi === 0)
              vr = eps * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            const [cr, ci] = cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            H[at(i, N - 1)] = cr;
            H[at(i, N)] = ci;
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              H[at(i + 1, N - 1)] = (-ra - w * H[at(i, N - 1)] + q * H[at(i, N)]) / x;
              H[at(i + 1, N)] = (-sa - w * H[at(i, N)] - q * H[at(i, N - 1)]) / x;
            } else {
              const [dr, di] = cdiv(-r - y * H[at(i, N - 1)], -s - y * H[at(i, N)], z, q);
              H[at(i + 1, N - 1)] = dr;
              H[at(i + 1, N)] = di;
            }
          }
          t = Math.max(Math.abs(H[at(i, N - 1)]), Math.abs(H[at(i, N)]));
          if (eps * t * t > 1)
            for (let j = i; j <= N; j++) {
              H[at(j, N - 1)] /= t;
              H[at(j, N)] /= t;
            }
        }
      }
    }
  }
  // Vectors of isolated roots, then back to the balanced matrix's basis.
  for (let i = 0; i < nn; i++) if (i < low || i > high) for (let j = i; j < nn; j++) V[at(i, j)] = H[at(i, j)];
  for (let j = nn - 1; j >= low; j--)
    for (let i = low; i <= high; i++) {
      z = 0;
      for (let k = low; k <= Math.min(j, high); k++) z += V[at(i, k)] * H[at(k, j)];
      V[at(i, j)] = z;
    }
  // Undo the balancing (EISPACK balbak): the scaling of rows low … high, then the permutations.
  for (let i = low; i <= high; i++) for (let j = 0; j < nn; j++) V[at(i, j)] *= scale[i];
  for (let i = low - 1; i >= 0; i--) swapRows(V, i, perm[i], n);
  for (let i = high + 1; i < nn; i++) swapRows(V, i, perm[i], n);
  return { wr, wi, v: V, iterations };
}
