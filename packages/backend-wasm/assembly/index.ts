// The exported kernel ABI: every pointer is a byte offset into the (imported, possibly shared) memory,
// which the TypeScript glue allocates. No export allocates: the module has no heap of its own, so
// instances on several threads can share one memory safely.
import { gemm as gemmT, gemmScratchBytes } from './gemm';
import { gemv as gemvT } from './gemv';
import { axpy as axpyT, dot as dotT, nrm2_f32, nrm2_f64, scal as scalT } from './level1';
import { binary as binaryT, unary as unaryT } from './elementwise';
import { reduce as reduceT } from './reduce';
import { transpose as transposeT } from './transpose';
import { random as randomT } from './rng';

export { philoxBlock } from './rng';
export { nrm2_f32, nrm2_f64 };

export function gemmScratchBytes_f32(): i32 { return gemmScratchBytes<f32>(); }
export function gemmScratchBytes_f64(): i32 { return gemmScratchBytes<f64>(); }

export function gemm_f32(tA: bool, tB: bool, m: i32, n: i32, k: i32, alpha: f32, a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32, scratch: usize): void {
  gemmT<f32>(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, scratch);
}
export function gemm_f64(tA: bool, tB: bool, m: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32, b: usize, ldb: i32, beta: f64, c: usize, ldc: i32, scratch: usize): void {
  gemmT<f64>(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, scratch);
}

export function gemv_f32(t: bool, m: i32, n: i32, alpha: f32, a: usize, x: usize, beta: f32, y: usize, acc: usize): void { gemvT<f32>(t, m, n, alpha, a, x, beta, y, acc); }
export function gemv_f64(t: bool, m: i32, n: i32, alpha: f64, a: usize, x: usize, beta: f64, y: usize, acc: usize): void { gemvT<f64>(t, m, n, alpha, a, x, beta, y, acc); }

export function dot_f32(x: usize, y: usize, n: i32): f64 { return dotT<f32>(x, y, n); }
export function dot_f64(x: usize, y: usize, n: i32): f64 { return dotT<f64>(x, y, n); }
export function axpy_f32(alpha: f32, x: usize, y: usize, n: i32): void { axpyT<f32>(alpha, x, y, n); }
export function axpy_f64(alpha: f64, x: usize, y: usize, n: i32): void { axpyT<f64>(alpha, x, y, n); }
export function scal_f32(alpha: f32, x: usize, n: i32): void { scalT<f32>(alpha, x, n); }
export function scal_f64(alpha: f64, x: usize, n: i32): void { scalT<f64>(alpha, x, n); }

export function unary_f32(op: i32, x: usize, out: usize, n: i32): void { unaryT<f32>(op, x, out, n); }
export function unary_f64(op: i32, x: usize, out: usize, n: i32): void { unaryT<f64>(op, x, out, n); }
export function binary_f32(op: i32, x: usize, y: usize, out: usize, n: i32): void { binaryT<f32>(op, x, y, out, n); }
export function binary_f64(op: i32, x: usize, y: usize, out: usize, n: i32): void { binaryT<f64>(op, x, y, out, n); }
export function reduce_f32(op: i32, axis: i32, x: usize, out: usize, rows: i32, cols: i32): void { reduceT<f32>(op, axis, x, out, rows, cols); }
export function reduce_f64(op: i32, axis: i32, x: usize, out: usize, rows: i32, cols: i32): void { reduceT<f64>(op, axis, x, out, rows, cols); }
export function transpose_f32(x: usize, out: usize, rows: i32, cols: i32): void { transposeT<f32>(x, out, rows, cols); }
export function transpose_f64(x: usize, out: usize, rows: i32, cols: i32): void { transposeT<f64>(x, out, rows, cols); }
export function random_f32(out: usize, n: i32, dist: i32, seed: f64, stream: u32, offset: f64): void { randomT<f32>(out, n, dist, seed, stream, offset); }
export function random_f64(out: usize, n: i32, dist: i32, seed: f64, stream: u32, offset: f64): void { randomT<f64>(out, n, dist, seed, stream, offset); }

import { cholesky as choleskyT, lu as luT, trsm as trsmT } from './factor';
export function cholesky_f32(a: usize, l: usize, n: i32, gemmWork: usize): i32 { return choleskyT<f32>(a, l, n, gemmWork); }
export function cholesky_f64(a: usize, l: usize, n: i32, gemmWork: usize): i32 { return choleskyT<f64>(a, l, n, gemmWork); }
export function trsm_f32(t: usize, b: usize, n: i32, m: i32, lower: bool, trans: bool, unit: bool, alpha: f32): i32 { return trsmT<f32>(t, b, n, m, lower, trans, unit, alpha); }
export function trsm_f64(t: usize, b: usize, n: i32, m: i32, lower: bool, trans: bool, unit: bool, alpha: f64): i32 { return trsmT<f64>(t, b, n, m, lower, trans, unit, alpha); }
export function lu_f32(a: usize, out: usize, piv: usize, m: i32, n: i32, gemmWork: usize): i32 { return luT<f32>(a, out, piv, m, n, gemmWork); }
export function lu_f64(a: usize, out: usize, piv: usize, m: i32, n: i32, gemmWork: usize): i32 { return luT<f64>(a, out, piv, m, n, gemmWork); }
import { qr as qrT, qrWorkElements } from './factor';
export { qrWorkElements };
export function qr_f32(a: usize, q: usize, r: usize, m: i32, n: i32, work: usize, gemmWork: usize): i32 { return qrT<f32>(a, q, r, m, n, work, gemmWork); }
export function qr_f64(a: usize, q: usize, r: usize, m: i32, n: i32, work: usize, gemmWork: usize): i32 { return qrT<f64>(a, q, r, m, n, work, gemmWork); }
import { svd as svdT, svdWorkBytes } from './factor';
export { svdWorkBytes };
export function svd_f32(a: usize, u: usize, s: usize, v: usize, m: i32, n: i32, maxSweeps: i32, vectors: bool, work: usize): i32 { return svdT<f32>(a, u, s, v, m, n, maxSweeps, vectors, work); }
export function svd_f64(a: usize, u: usize, s: usize, v: usize, m: i32, n: i32, maxSweeps: i32, vectors: bool, work: usize): i32 { return svdT<f64>(a, u, s, v, m, n, maxSweeps, vectors, work); }
import { sddmm as sddmmT } from './sparse';
export function sddmm_f32(u: usize, v: usize, rows: usize, cols: usize, out: usize, k: i32, e0: i32, e1: i32, alpha: f64): void { sddmmT<f32>(u, v, rows, cols, out, k, e0, e1, alpha); }
export function sddmm_f64(u: usize, v: usize, rows: usize, cols: usize, out: usize, k: i32, e0: i32, e1: i32, alpha: f64): void { sddmmT<f64>(u, v, rows, cols, out, k, e0, e1, alpha); }
import { spmm as spmmT } from './sparse';
export function spmm_f32(vals: usize, b: usize, cols: usize, rowPtr: usize, rowOrder: usize, out: usize, k: i32, i0: i32, i1: i32, alpha: f32): void { spmmT<f32>(vals, b, cols, rowPtr, rowOrder, out, k, i0, i1, alpha); }
export function spmm_f64(vals: usize, b: usize, cols: usize, rowPtr: usize, rowOrder: usize, out: usize, k: i32, i0: i32, i1: i32, alpha: f64): void { spmmT<f64>(vals, b, cols, rowPtr, rowOrder, out, k, i0, i1, alpha); }
import { syev as syevT, syevWorkBytes } from './factor';
export { syevWorkBytes };
export function syev_f32(a: usize, w: usize, z: usize, n: i32, vectors: bool, work: usize): i32 { return syevT<f32>(a, w, z, n, vectors, work); }
export function syev_f64(a: usize, w: usize, z: usize, n: i32, vectors: bool, work: usize): i32 { return syevT<f64>(a, w, z, n, vectors, work); }
