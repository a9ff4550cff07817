import { UnsupportedError, type GeevParams } from '@lowrank/core';
import { u32 } from '../program.ts';
import type { KernelContext } from '../kernel-context.ts';
import type { WebGpuTensor } from '../tensor.ts';

/** The largest order this kernel takes: one invocation runs the O(n³) iteration serially. */
export const GEEV_MAX_N = 256;

/**
 * The general eigensolver (core/primitives/geev.ts) in one invocation, in f32: the same EISPACK balanc + orthes +
 * hqr2 + balbak as the reference and WASM kernels (WGSL generated from the WASM kernel's text in EISPACK's loop
 * order, each statement the same; the WASM kernel has since reordered its memory access for row-major caches, not
 * its arithmetic), on a work area W = [H (n²) | V (n²) | ort | wr | wi | scale | perm (n each) | low, high]. The Francis
 * QR iteration is a chain of dependent rotations: one thread is its natural width at the sizes a state-space model
 * uses (S06: N ≤ 256), and the front door's n ≤ 256 keeps a call under a second on a software adapter.
 */
const code = (uniforms: string) => /* wgsl */ `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read_write> WR: array<f32>;
@group(0) @binding(2) var<storage, read_write> WI: array<f32>;
@group(0) @binding(3) var<storage, read_write> VOUT: array<f32>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> status: array<f32>;
${uniforms}

fn ld(base: i32, i: i32, j: i32, n: i32) -> f32 { return W[u32(base + i * n + j)]; }
fn st(base: i32, i: i32, j: i32, n: i32, v: f32) { W[u32(base + i * n + j)] = v; }
fn lv(base: i32, i: i32) -> f32 { return W[u32(base + i)]; }
fn sv(base: i32, i: i32, v: f32) { W[u32(base + i)] = v; }

var<private> cdivr: f32 = 0.0;
var<private> cdivi: f32 = 0.0;

/** (xr + i·xi)/(yr + i·yi) into cdivr, cdivi (Smith's algorithm). */
fn cdiv(xr: f32, xi: f32, yr: f32, yi: f32) {
  if (abs(yr) > abs(yi)) {
    var rr = yi / yr; var d = yr + rr * yi;
    cdivr = (xr + rr * xi) / d;
    cdivi = (xi - rr * xr) / d;
  } else {
    var rr = yr / yi; var d = yi + rr * yr;
    cdivr = (rr * xr + xi) / d;
    cdivi = (rr * xi - xr) / d;
  }
}

/** swapRows of the row-major n×n at v. */
fn swapRows(v: i32, i: i32, k: i32, n: i32) {
  if (i == k) {return;}
  for (var j = 0; j < n; j++) {
    var t = ld(v, i, j, n);
    st(v, i, j, n, ld(v, k, j, n));
    st(v, k, j, n, t);
  }
}

/** Columns j and m, and rows j and m, of h swapped (rows first column first, columns up last row last); perm[m] = j. */
fn swapRowCol(hp: i32, n: i32, j: i32, m: i32, first: i32, last: i32, permp: i32) {
  sv(permp, m, f32(j));
  if (j == m) {return;}
  for (var i = 0; i <= last; i++) {
    var t = ld(hp, i, j, n);
    st(hp, i, j, n, ld(hp, i, m, n));
    st(hp, i, m, n, t);
  }
  for (var i = first; i < n; i++) {
    var t = ld(hp, j, i, n);
    st(hp, j, i, n, ld(hp, m, i, n));
    st(hp, m, i, n, t);
  }
}

/**
 * EISPACK balanc / LAPACK dgebal: rows isolating an eigenvalue last the bottom, columns last the left, then the rest
 * scaled by powers of two; scale[i] the scaling, perm[j] the swap at j; low and high written after perm (n, n+1).
 */
fn balance(hp: i32, n: i32, scalep: i32, permp: i32) {
  var low = 0;
    var high = n - 1;
  for (var found = true; found && high >= 0; ) {
    found = false;
    for (var j = high; j >= 0; j--) {
      var zero = true;
      for (var i = 0; i <= high && zero; i++) {if (i != j && ld(hp, j, i, n) != 0) {zero = false;}}
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
  for (var found = high >= 0; found; ) {
    found = false;
    for (var j = low; j <= high; j++) {
      var zero = true;
      for (var i = low; i <= high && zero; i++) {if (i != j && ld(hp, i, j, n) != 0) {zero = false;}}
      if (zero) {
        swapRowCol(hp, n, j, low, low, high, permp);
        low++;
        found = true;
        break;
      }
    }
  }
  for (var i = 0; i < n; i++) {sv(scalep, i, 1);}
  for (var done = false; !done && high > low; ) {
    done = true;
    for (var i = low; i <= high; i++) {
      var c: f32 = 0;
        var r: f32 = 0;
      for (var j = low; j <= high; j++)
        {if (j != i) {
          c += abs(ld(hp, j, i, n));
          r += abs(ld(hp, i, j, n));
        }}
      if (c == 0 || r == 0) {continue;}
      var g = r / 2;
        var f: f32 = 1;
      var s = c + r;
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
        for (var j = low; j < n; j++) {st(hp, i, j, n, ld(hp, i, j, n) / f);}
        for (var j = 0; j <= high; j++) {st(hp, j, i, n, ld(hp, j, i, n) * f);}
      }
    }
  }
  if (high < low) {high = low - 1;}
  sv(permp, n, f32(low));
  sv(permp, n + 1, f32(high));
}

fn eigen(hp: i32, vp: i32, ortp: i32, wrp: i32, wip: i32, scalep: i32, permp: i32, n: i32, eps: f32) -> i32 {
  // orthes
  balance(hp, n, scalep, permp);
  var low = i32(lv(permp, n)); var high = i32(lv(permp, n + 1));
  for (var m = low + 1; m <= high - 1; m++) {
    var scale: f32 = 0;
    for (var i = m; i <= high; i++) {scale += abs(ld(hp, i, m - 1, n));}
    if (scale != 0) {
      var h: f32 = 0;
      for (var i = high; i >= m; i--) {
        sv(ortp, i, ld(hp, i, m - 1, n) / scale);
        h += lv(ortp, i) * lv(ortp, i);
      }
      var g = sqrt(h);
      if (lv(ortp, m) > 0) {g = -g;}
      h -= lv(ortp, m) * g;
      sv(ortp, m, lv(ortp, m) - (g));
      for (var j = m; j < n; j++) {
        var f: f32 = 0;
        for (var i = high; i >= m; i--) {f += lv(ortp, i) * ld(hp, i, j, n);}
        f /= h;
        for (var i = m; i <= high; i++) {st(hp, i, j, n, ld(hp, i, j, n) - (f * lv(ortp, i)));}
      }
      for (var i = 0; i <= high; i++) {
        var f: f32 = 0;
        for (var j = high; j >= m; j--) {f += lv(ortp, j) * ld(hp, i, j, n);}
        f /= h;
        for (var j = m; j <= high; j++) {st(hp, i, j, n, ld(hp, i, j, n) - (f * lv(ortp, j)));}
      }
      sv(ortp, m, scale * lv(ortp, m));
      st(hp, m, m - 1, n, scale * g);
    }
  }
  for (var i = 0; i < n; i++) {for (var j = 0; j < n; j++) {st(vp, i, j, n, select(0.0, 1.0, i == j));}}
  for (var m = high - 1; m >= low + 1; m--) {
    if (ld(hp, m, m - 1, n) != 0) {
      for (var i = m + 1; i <= high; i++) {sv(ortp, i, ld(hp, i, m - 1, n));}
      for (var j = m; j <= high; j++) {
        var g: f32 = 0;
        for (var i = m; i <= high; i++) {g += lv(ortp, i) * ld(vp, i, j, n);}
        g = g / lv(ortp, m) / ld(hp, m, m - 1, n);
        for (var i = m; i <= high; i++) {st(vp, i, j, n, ld(vp, i, j, n) + (g * lv(ortp, i)));}
      }
    }
  }
  // hqr2
  var nn = n;
    var iterations: i32 = 0;
  var N = nn - 1;
  var exshift: f32 = 0;
    var p: f32 = 0;
    var q: f32 = 0;
    var r: f32 = 0;
    var s: f32 = 0;
    var z: f32 = 0;
    var t: f32 = 0;
    var w: f32 = 0;
    var x: f32 = 0;
    var y: f32 = 0;
  var norm: f32 = 0;
  for (var i = 0; i < nn; i++) {
    if (i < low || i > high) {
      sv(wrp, i, ld(hp, i, i, n));
      sv(wip, i, 0);
    }
    for (var j = max(i - 1, 0); j < nn; j++) {norm += abs(ld(hp, i, j, n));}
  }
  var iter = 0;
  while (N >= low) {
    var l = N;
    while (l > low) {
      s = abs(ld(hp, l - 1, l - 1, n)) + abs(ld(hp, l, l, n));
      if (s == 0) {s = norm;}
      if (abs(ld(hp, l, l - 1, n)) <= eps * s) {break;}
      l--;
    }
    if (l == N) {
      st(hp, N, N, n, ld(hp, N, N, n) + exshift);
      sv(wrp, N, ld(hp, N, N, n));
      sv(wip, N, 0);
      N--;
      iter = 0;
    } else if (l == N - 1) {
      w = ld(hp, N, N - 1, n) * ld(hp, N - 1, N, n);
      p = (ld(hp, N - 1, N - 1, n) - ld(hp, N, N, n)) / 2;
      q = p * p + w;
      z = sqrt(abs(q));
      st(hp, N, N, n, ld(hp, N, N, n) + exshift);
      st(hp, N - 1, N - 1, n, ld(hp, N - 1, N - 1, n) + exshift);
      x = ld(hp, N, N, n);
      if (q >= 0) {
        z = select(p - z, p + z, p >= 0);
        sv(wrp, N - 1, x + z);
        sv(wrp, N, lv(wrp, N - 1));
        if (z != 0) {sv(wrp, N, x - w / z);}
        sv(wip, N - 1, 0);
        sv(wip, N, 0);
        x = ld(hp, N, N - 1, n);
        s = abs(x) + abs(z);
        p = x / s;
        q = z / s;
        r = sqrt(p * p + q * q);
        p /= r;
        q /= r;
        for (var j = N - 1; j < nn; j++) {
          z = ld(hp, N - 1, j, n);
          st(hp, N - 1, j, n, q * z + p * ld(hp, N, j, n));
          st(hp, N, j, n, q * ld(hp, N, j, n) - p * z);
        }
        for (var i = 0; i <= N; i++) {
          z = ld(hp, i, N - 1, n);
          st(hp, i, N - 1, n, q * z + p * ld(hp, i, N, n));
          st(hp, i, N, n, q * ld(hp, i, N, n) - p * z);
        }
        for (var i = low; i <= high; i++) {
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
      if (iter == 10) {
        exshift += x;
        for (var i = low; i <= N; i++) {st(hp, i, i, n, ld(hp, i, i, n) - (x));}
        s = abs(ld(hp, N, N - 1, n)) + abs(ld(hp, N - 1, N - 2, n));
        x = 0.75 * s;
        y = x;
        w = -0.4375 * s * s;
      }
      if (iter == 30) {
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = sqrt(s);
          if (y < x) {s = -s;}
          s = x - w / ((y - x) / 2 + s);
          for (var i = low; i <= N; i++) {st(hp, i, i, n, ld(hp, i, i, n) - (s));}
          exshift += s;
          x = 0.964;
          y = x;
          w = x;
        }
      }
      iter++;
      iterations++;
      if (iterations > 30 * max(1, n)) {return -2;}
      var m = N - 2;
      while (m >= l) {
        z = ld(hp, m, m, n);
        r = x - z;
        s = y - z;
        p = (r * s - w) / ld(hp, m + 1, m, n) + ld(hp, m, m + 1, n);
        q = ld(hp, m + 1, m + 1, n) - z - r - s;
        r = ld(hp, m + 2, m + 1, n);
        s = abs(p) + abs(q) + abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m == l) {break;}
        if (
          abs(ld(hp, m, m - 1, n)) * (abs(q) + abs(r)) <
          eps * (abs(p) * (abs(ld(hp, m - 1, m - 1, n)) + abs(z) + abs(ld(hp, m + 1, m + 1, n))))
        )
          {break;}
        m--;
      }
      for (var i = m + 2; i <= N; i++) {
        st(hp, i, i - 2, n, 0);
        if (i > m + 2) {st(hp, i, i - 3, n, 0);}
      }
      for (var k = m; k <= N - 1; k++) {
        var notlast = k != N - 1;
        if (k != m) {
          p = ld(hp, k, k - 1, n);
          q = ld(hp, k + 1, k - 1, n);
          r = select(0.0, ld(hp, min(k + 2, n - 1), k - 1, n), notlast);
          x = abs(p) + abs(q) + abs(r);
          if (x == 0) {continue;}
          p /= x;
          q /= x;
          r /= x;
        }
        s = sqrt(p * p + q * q + r * r);
        if (p < 0) {s = -s;}
        if (s != 0) {
          if (k != m) {st(hp, k, k - 1, n, -s * x);}
          else if (l != m) {st(hp, k, k - 1, n, -ld(hp, k, k - 1, n));}
          p += s;
          x = p / s;
          y = q / s;
          z = r / s;
          q /= p;
          r /= p;
          for (var j = k; j < nn; j++) {
            p = ld(hp, k, j, n) + q * ld(hp, k + 1, j, n);
            if (notlast) {
              p += r * ld(hp, k + 2, j, n);
              st(hp, k + 2, j, n, ld(hp, k + 2, j, n) - (p * z));
            }
            st(hp, k, j, n, ld(hp, k, j, n) - (p * x));
            st(hp, k + 1, j, n, ld(hp, k + 1, j, n) - (p * y));
          }
          for (var i = 0; i <= min(N, k + 3); i++) {
            p = x * ld(hp, i, k, n) + y * ld(hp, i, k + 1, n);
            if (notlast) {
              p += z * ld(hp, i, k + 2, n);
              st(hp, i, k + 2, n, ld(hp, i, k + 2, n) - (p * r));
            }
            st(hp, i, k, n, ld(hp, i, k, n) - (p));
            st(hp, i, k + 1, n, ld(hp, i, k + 1, n) - (p * q));
          }
          for (var i = low; i <= high; i++) {
            p = x * ld(vp, i, k, n) + y * ld(vp, i, k + 1, n);
            if (notlast) {
              p += z * ld(vp, i, k + 2, n);
              st(vp, i, k + 2, n, ld(vp, i, k + 2, n) - (p * r));
            }
            st(vp, i, k, n, ld(vp, i, k, n) - (p));
            st(vp, i, k + 1, n, ld(vp, i, k + 1, n) - (p * q));
          }
        }
      }
    }
  }
  // Back-substitution for the eigenvectors of the quasi-triangular form.
  if (norm == 0) {return iterations;}
  for (N = nn - 1; N >= 0; N--) {
    p = lv(wrp, N);
    q = lv(wip, N);
    if (q == 0) {
      var l = N;
      st(hp, N, N, n, 1);
      for (var i = N - 1; i >= 0; i--) {
        w = ld(hp, i, i, n) - p;
        r = 0;
        for (var j = l; j <= N; j++) {r += ld(hp, i, j, n) * ld(hp, j, N, n);}
        if (lv(wip, i) < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (lv(wip, i) == 0) {
            st(hp, i, N, n, select(-r / (eps * norm), -r / w, w != 0));
          } else {
            x = ld(hp, i, i + 1, n);
            y = ld(hp, i + 1, i, n);
            q = (lv(wrp, i) - p) * (lv(wrp, i) - p) + lv(wip, i) * lv(wip, i);
            t = (x * s - z * r) / q;
            st(hp, i, N, n, t);
            st(hp, i + 1, N, n, select((-s - y * t) / z, (-r - w * t) / x, abs(x) > abs(z)));
          }
          t = abs(ld(hp, i, N, n));
          if (eps * t * t > 1) {for (var j = i; j <= N; j++) {st(hp, j, N, n, ld(hp, j, N, n) / (t));}}
        }
      }
    } else if (q < 0) {
      var l = N - 1;
      if (abs(ld(hp, N, N - 1, n)) > abs(ld(hp, N - 1, N, n))) {
        st(hp, N - 1, N - 1, n, q / ld(hp, N, N - 1, n));
        st(hp, N - 1, N, n, -(ld(hp, N, N, n) - p) / ld(hp, N, N - 1, n));
      } else {
        cdiv(0, -ld(hp, N - 1, N, n), ld(hp, N - 1, N - 1, n) - p, q);
        var cr = cdivr;
          var ci = cdivi;
        st(hp, N - 1, N - 1, n, cr);
        st(hp, N - 1, N, n, ci);
      }
      st(hp, N, N - 1, n, 0);
      st(hp, N, N, n, 1);
      for (var i = N - 2; i >= 0; i--) {
        var ra: f32 = 0;
          var sa: f32 = 0;
        for (var j = l; j <= N; j++) {
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
          if (lv(wip, i) == 0) {
            cdiv(-ra, -sa, w, q);
        var cr = cdivr;
          var ci = cdivi;
            st(hp, i, N - 1, n, cr);
            st(hp, i, N, n, ci);
          } else {
            x = ld(hp, i, i + 1, n);
            y = ld(hp, i + 1, i, n);
            var vr = (lv(wrp, i) - p) * (lv(wrp, i) - p) + lv(wip, i) * lv(wip, i) - q * q;
            var vi = (lv(wrp, i) - p) * 2 * q;
            if (vr == 0 && vi == 0) {vr = eps * norm * (abs(w) + abs(q) + abs(x) + abs(y) + abs(z));}
            cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
        var cr = cdivr;
          var ci = cdivi;
            st(hp, i, N - 1, n, cr);
            st(hp, i, N, n, ci);
            if (abs(x) > abs(z) + abs(q)) {
              st(hp, i + 1, N - 1, n, (-ra - w * ld(hp, i, N - 1, n) + q * ld(hp, i, N, n)) / x);
              st(hp, i + 1, N, n, (-sa - w * ld(hp, i, N, n) - q * ld(hp, i, N - 1, n)) / x);
            } else {
              cdiv(-r - y * ld(hp, i, N - 1, n), -s - y * ld(hp, i, N, n), z, q);
        var dr = cdivr;
          var di = cdivi;
              st(hp, i + 1, N - 1, n, dr);
              st(hp, i + 1, N, n, di);
            }
          }
          t = max(abs(ld(hp, i, N - 1, n)), abs(ld(hp, i, N, n)));
          if (eps * t * t > 1)
            {for (var j = i; j <= N; j++) {
              st(hp, j, N - 1, n, ld(hp, j, N - 1, n) / (t));
              st(hp, j, N, n, ld(hp, j, N, n) / (t));
            }}
        }
      }
    }
  }
  // Vectors of isolated roots, then back last the balanced matrix's basis.
  for (var i = 0; i < nn; i++) {if (i < low || i > high) {for (var j = i; j < nn; j++) {st(vp, i, j, n, ld(hp, i, j, n));}}}
  for (var j = nn - 1; j >= low; j--)
    {for (var i = low; i <= high; i++) {
      z = 0;
      for (var k = low; k <= min(j, high); k++) {z += ld(vp, i, k, n) * ld(hp, k, j, n);}
      st(vp, i, j, n, z);
    }}
  // Undo the balancing (EISPACK balbak): the scaling of rows low … high, then the permutations.
  for (var i = low; i <= high; i++) {for (var j = 0; j < nn; j++) {st(vp, i, j, n, ld(vp, i, j, n) * lv(scalep, i));}}
  for (var i = low - 1; i >= 0; i--) {swapRows(vp, i, i32(lv(permp, i)), n);}
  for (var i = high + 1; i < nn; i++) {swapRows(vp, i, i32(lv(permp, i)), n);}
  return iterations;
}


@compute @workgroup_size(1)
fn main() {
  let n = i32(p.n);
  let nn = n * n;
  let hp = 0;
  let vp = nn;
  let ortp = 2 * nn;
  let wrp = ortp + n;
  let wip = wrp + n;
  let scalep = wip + n;
  let permp = scalep + n;
  var anrm: f32 = 0.0;
  for (var i = 0; i < nn; i++) {
    let x = A[u32(i)];
    if (x != x || abs(x) > 3.4028234e38) { status[0] = -1.0; return; }
    anrm = max(anrm, abs(x));
    W[u32(hp + i)] = x;
  }
  // As sgeev: a matrix far first unit size is scaled by a power of two first (the iteration squares entries).
  var sigma: f32 = 1.0;
  if (anrm > 0.0 && (anrm < 1e-12 || anrm > 1e12)) { sigma = exp2(-round(log2(anrm))); }
  if (sigma != 1.0) { for (var i = 0; i < nn; i++) { W[u32(hp + i)] = W[u32(hp + i)] * sigma; } }
  let result = eigen(hp, vp, ortp, wrp, wip, scalep, permp, n, 1.1920929e-7);
  status[0] = f32(result);
  if (result < 0) { return; }
  for (var i = 0; i < nn; i++) { VOUT[u32(i)] = W[u32(vp + i)]; }
  for (var i = 0; i < n; i++) {
    WR[u32(i)] = W[u32(wrp + i)] / sigma;
    WI[u32(i)] = W[u32(wip + i)] / sigma;
  }
}`;

export async function geev(ctx: KernelContext, p: GeevParams<WebGpuTensor>): Promise<number> {
  if (p.n > GEEV_MAX_N)
    throw new UnsupportedError(
      `geev on webgpu runs the QR iteration in one invocation: n ≤ ${GEEV_MAX_N}, got ${p.n} (use the WASM backend)`,
    );
  if (p.n === 0) return 0;
  const work = ctx.scratch(4 * (2 * p.n * p.n + 5 * p.n + 2), 0);
  const status = ctx.scratch(16, 1);
  await ctx.run([
    {
      name: 'geev',
      key: 'geev',
      code,
      dispatch: [1, 1, 1],
      buffers: [p.a.buffer, p.wr.buffer, p.wi.buffer, p.v.buffer, work, status],
      uniforms: [u32('n', p.n)],
    },
  ]);
  return (await ctx.readScalars(status, 1))[0];
}
