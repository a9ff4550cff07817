// Generated from src/abi.ts by `npm run abi:exports`; do not edit. Every pointer is a byte offset into
// the (imported, possibly shared) memory, which the TypeScript glue allocates. No export allocates: the
// module has no heap of its own, so instances on several threads can share one memory safely.
export { gemmScratchBytes_f32, gemmScratchBytes_f64, gemm_f32, gemm_f64 } from './gemm';
export { batchedGemmScratchBytes_f32, batchedGemmScratchBytes_f64, batchedGemm_f32, batchedGemm_f64 } from './batchedGemm';
export { gemv_f32, gemv_f64 } from './gemv';
export { dot_f32, dot_f64 } from './dot';
export { axpy_f32, axpy_f64 } from './axpy';
export { scal_f32, scal_f64 } from './scal';
export { nrm2_f32, nrm2_f64 } from './nrm2';
export { unary_f32, unary_f64 } from './unary';
export { binary_f32, binary_f64 } from './binary';
export { reduce_f32, reduce_f64 } from './reduce';
export { transpose_f32, transpose_f64, transposeBlock_f32, transposeBlock_f64 } from './transpose';
export { random_f32, random_f64, philoxBlock } from './random';
export { choleskyStart_f32, choleskyStart_f64, choleskyPanel_f32, choleskyPanel_f64, choleskyUpdate_f32, choleskyUpdate_f64, choleskyFinish_f32, choleskyFinish_f64 } from './cholesky';
export { trsm_f32, trsm_f64 } from './trsm';
export { luStart_f32, luStart_f64, luPanel_f32, luPanel_f64, luUpdate_f32, luUpdate_f64 } from './lu';
export { qrWorkElements, qrThreadElements, qrPanelColumns, qrStart_f32, qrStart_f64, qrPanel_f32, qrPanel_f64, qrUpdate_f32, qrUpdate_f64, qrFormQ_f32, qrFormQ_f64 } from './qr';
export { svdWorkBytes, svdStart_f32, svdStart_f64, svdSweepBegin_f32, svdSweepBegin_f64, svdGramBlocks, svdGram_f32, svdGram_f64, svdSweep_f32, svdSweep_f64, svdFinish_f32, svdFinish_f64 } from './svd';
export { syevWorkBytes, syevReduceStart_f32, syevReduceStart_f64, syevReduceSteps_f32, syevReduceSteps_f64, syevStedc_f32, syevStedc_f64, syevStedcSplit_f32, syevStedcSplit_f64, syevStedcHalf_f32, syevStedcHalf_f64, syevStedcJoinStart_f32, syevStedcJoinStart_f64, syevStedcJoinRoots_f32, syevStedcJoinRoots_f64, syevStedcJoinGather_f32, syevStedcJoinGather_f64, syevStedcJoinColumns_f32, syevStedcJoinColumns_f64, syevStedcJoinProduct_f32, syevStedcJoinProduct_f64, syevStedcJoinEnd_f32, syevStedcJoinEnd_f64, syevFormQ_f32, syevFormQ_f64, syevQl, syevFinish_f32, syevFinish_f64 } from './syev';
export { sddmm_f32, sddmm_f64 } from './sddmm';
export { spmm_f32, spmm_f64 } from './spmm';
export { sor_f32, sor_f64, sorRows_f32, sorRows_f64, sorCheck_f32, sorCheck_f64 } from './sor';
export { fftTable_f32, fftTable_f64, fft_f32, fft_f64 } from './fft';
export { dct_f32, dct_f64 } from './dct';
export { geevWorkElements, geev_f32, geev_f64 } from './geev';
export { kalmanWorkElements, kalman_f32, kalman_f64 } from './kalman';
