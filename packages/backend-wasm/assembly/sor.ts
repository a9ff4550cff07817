// SOR sweeps on a sparse square system, in place, row by row in a given order.

/**
 * One SOR update of row i: x_i ← (1 − ω)·x_i + ω·(b_i − Σ_{j≠i} a_ij·x_j)/a_ii over the row's entries in
 * CSR order (rowPtr, rowOrder from core/sparse.ts; duplicates add). Scalar: a row of the 5-point stencil
 * has five entries at scattered columns, too few and too irregular for a gather to pay.
 */
// @ts-ignore: decorator
@inline
function relaxRow<T>(vals: usize, b: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, i: i32, omega: T): void {
  let s = load<T>(b + <usize>i * sizeof<T>());
  let d: T = 0;
  const t1 = load<i32>(rowPtr + (<usize>(i + 1) << 2));
  for (let t = load<i32>(rowPtr + (<usize>i << 2)); t < t1; t++) {
    const e = <usize>load<i32>(rowOrder + (<usize>t << 2));
    const j = load<i32>(cols + (e << 2));
    const v = load<T>(vals + e * sizeof<T>());
    if (j == i) d += v;
    else s -= v * load<T>(x + <usize>j * sizeof<T>());
  }
  const at = x + <usize>i * sizeof<T>();
  store<T>(at, (<T>1 - omega) * load<T>(at) + (omega * s) / d);
}

/** The first row whose diagonal (repeats summed) is zero or not finite, else −1; `diag` is n elements of work. */
function badDiagonal<T>(vals: usize, cols: usize, rowPtr: usize, rowOrder: usize, n: i32, diag: usize): i32 {
  memory.fill(diag, 0, <usize>n * sizeof<T>());
  for (let i = 0; i < n; i++) {
    const t1 = load<i32>(rowPtr + (<usize>(i + 1) << 2));
    for (let t = load<i32>(rowPtr + (<usize>i << 2)); t < t1; t++) {
      const e = <usize>load<i32>(rowOrder + (<usize>t << 2));
      if (load<i32>(cols + (e << 2)) == i) store<T>(diag + <usize>i * sizeof<T>(), load<T>(diag + <usize>i * sizeof<T>()) + load<T>(vals + e * sizeof<T>()));
    }
    const d = load<T>(diag + <usize>i * sizeof<T>());
    if (!(abs<T>(d) > 0) || !isFinite<T>(d)) return i;
  }
  return -1;
}

/**
 * `sweeps` sweeps visiting the rows in `order` (n entries), each followed by one in reverse order when
 * `symmetric` (SSOR). Sequential by nature — a row reads the rows updated before it — so one thread;
 * the order's classes are not used here (the result is the same).
 */
export function sor<T>(vals: usize, b: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, order: usize, n: i32, omega: T, sweeps: i32, symmetric: bool, diag: usize): i32 {
  const bad = badDiagonal<T>(vals, cols, rowPtr, rowOrder, n, diag);
  if (bad >= 0) return bad;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let t = 0; t < n; t++) relaxRow<T>(vals, b, x, cols, rowPtr, rowOrder, load<i32>(order + (<usize>t << 2)), omega);
    if (symmetric) for (let t = n - 1; t >= 0; t--) relaxRow<T>(vals, b, x, cols, rowPtr, rowOrder, load<i32>(order + (<usize>t << 2)), omega);
  }
  return -1;
}

/**
 * Rows order[t0..t1) relaxed once: one thread's share of one class of a multicolor order. Rows of a
 * class share no entry, so shares run in parallel and in any row order with the sequential result.
 */
export function sorRows<T>(vals: usize, b: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, order: usize, t0: i32, t1: i32, omega: T): void {
  for (let t = t0; t < t1; t++) relaxRow<T>(vals, b, x, cols, rowPtr, rowOrder, load<i32>(order + (<usize>t << 2)), omega);
}

/** The diagonal's check alone (the threaded path runs it once before its first class). */
export function sorCheck<T>(vals: usize, cols: usize, rowPtr: usize, rowOrder: usize, n: i32, diag: usize): i32 {
  return badDiagonal<T>(vals, cols, rowPtr, rowOrder, n, diag);
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function sor_f32(vals: usize, b: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, order: usize, n: i32, omega: f32, sweeps: i32, symmetric: bool, diag: usize): i32 { return sor<f32>(vals, b, x, cols, rowPtr, rowOrder, order, n, omega, sweeps, symmetric, diag); }
export function sor_f64(vals: usize, b: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, order: usize, n: i32, omega: f64, sweeps: i32, symmetric: bool, diag: usize): i32 { return sor<f64>(vals, b, x, cols, rowPtr, rowOrder, order, n, omega, sweeps, symmetric, diag); }
export function sorRows_f32(vals: usize, b: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, order: usize, t0: i32, t1: i32, omega: f32): void { sorRows<f32>(vals, b, x, cols, rowPtr, rowOrder, order, t0, t1, omega); }
export function sorRows_f64(vals: usize, b: usize, x: usize, cols: usize, rowPtr: usize, rowOrder: usize, order: usize, t0: i32, t1: i32, omega: f64): void { sorRows<f64>(vals, b, x, cols, rowPtr, rowOrder, order, t0, t1, omega); }
export function sorCheck_f32(vals: usize, cols: usize, rowPtr: usize, rowOrder: usize, n: i32, diag: usize): i32 { return sorCheck<f32>(vals, cols, rowPtr, rowOrder, n, diag); }
export function sorCheck_f64(vals: usize, cols: usize, rowPtr: usize, rowOrder: usize, n: i32, diag: usize): i32 { return sorCheck<f64>(vals, cols, rowPtr, rowOrder, n, diag); }
