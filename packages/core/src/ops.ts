/**
 * The validated front door to every primitive. Algorithms call these, never `backend.kernels`
 * directly: shapes, dtypes, ownership and scalar arguments are checked once for all backends, in
 * each primitive's file (primitives/<name>.ts, with the shared checks in primitives/check.ts).
 */
export { gemm, type GemmOptions } from './primitives/gemm.ts';
export { batchedGemm } from './primitives/batchedGemm.ts';
export { gemv, type GemvOptions } from './primitives/gemv.ts';
export { dot } from './primitives/dot.ts';
export { axpy, reshape, copy } from './primitives/axpy.ts';
export { scal } from './primitives/scal.ts';
export { nrm2 } from './primitives/nrm2.ts';
export { unary } from './primitives/unary.ts';
export { binary } from './primitives/binary.ts';
export { reduce } from './primitives/reduce.ts';
export { transpose } from './primitives/transpose.ts';
export { random, type RandomOptions } from './primitives/random.ts';
export { cholesky } from './primitives/cholesky.ts';
export { trsm, type TrsmOptions } from './primitives/trsm.ts';
export { lu, type LuResult } from './primitives/lu.ts';
export { qr } from './primitives/qr.ts';
export { svd, completeOrthonormal, type Svd } from './primitives/svd.ts';
export { syev, type Syev } from './primitives/syev.ts';
export { sddmm } from './primitives/sddmm.ts';
export { spmm } from './primitives/spmm.ts';
export { sor } from './primitives/sor.ts';
export { fft, type Complex, type FftOptions } from './primitives/fft.ts';
export { dct, type DctOptions } from './primitives/dct.ts';
export { kalman } from './primitives/kalman.ts';
export { geev } from './primitives/geev.ts';
