// The f32 micro-kernel: a 4×8 tile of C in 8 f32x4 accumulators. 4×8 is the largest f32 tile that
// fits V8's 15 usable vector registers (8 accumulators, 2 B vectors, 1 A vector, 1 broadcast); 5×8,
// 6×8, 8×8, 4×12 and k-unrolling all spill (measured 18–27 GFLOP/s instead of 40–50). Each k step
// loads the 4 A values as one vector and broadcasts lanes by shuffle: 3 loads per 8 multiply-adds,
// which matters most in Deno, where every WASM memory access is bounds-checked.
import { madd4 } from './simd';
import { storeTile } from './tile';

export function micro4x8_f32(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, alpha: f32, beta: f32, mr: i32, nr: i32, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let l = 0; l < kc; l++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a = v128.load(ap);
    let s = v128.shuffle<f32>(a, a, 0, 0, 0, 0);
    c00 = madd4(s, b0, c00); c01 = madd4(s, b1, c01);
    s = v128.shuffle<f32>(a, a, 1, 1, 1, 1);
    c10 = madd4(s, b0, c10); c11 = madd4(s, b1, c11);
    s = v128.shuffle<f32>(a, a, 2, 2, 2, 2);
    c20 = madd4(s, b0, c20); c21 = madd4(s, b1, c21);
    s = v128.shuffle<f32>(a, a, 3, 3, 3, 3);
    c30 = madd4(s, b0, c30); c31 = madd4(s, b1, c31);
    ap += 16;
    bp += 32;
  }
  storeTile<f32>(c, ldc, c00, c01, c10, c11, c20, c21, c30, c31, alpha, beta, mr, nr, tmp);
}
