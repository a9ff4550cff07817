// Elementwise maps. Op codes follow UNARY_OPS / BINARY_OPS in @lowrank/core (the glue checks the
// order at load). The op is switched once, outside the loop. neg, abs, square, sqrt, relu,
// reciprocal and every binary op are exactly rounded (≤ ½ ulp); exp, log and tanh are AssemblyScript's
// musl ports (NativeMath/NativeMathf), documented there at < 1 ulp. NaN propagates everywhere.
import { lanes } from './shared/simd';

// @ts-ignore: decorator
@inline function binaryVector<T>(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case 0: return v128.add<T>(a, b);
    case 1: return v128.sub<T>(a, b);
    case 2: return v128.mul<T>(a, b);
    case 3: return v128.div<T>(a, b);
    case 4: return v128.max<T>(a, b);
    default: return v128.min<T>(a, b);
  }
}

// @ts-ignore: decorator
@inline function binaryScalar<T>(op: i32, a: T, b: T): T {
  switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return a / b;
    case 4: return max<T>(a, b);
    default: return min<T>(a, b);
  }
}

export function binary<T>(op: i32, x: usize, y: usize, out: usize, n: i32): void {
  const w = sizeof<T>();
  const L = lanes<T>();
  let i = 0;
  for (; i + L <= n; i += L) {
    const o = <usize>i * w;
    v128.store(out + o, binaryVector<T>(op, v128.load(x + o), v128.load(y + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i * w;
    store<T>(out + o, binaryScalar<T>(op, load<T>(x + o), load<T>(y + o)));
  }
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function binary_f32(op: i32, x: usize, y: usize, out: usize, n: i32): void { binary<f32>(op, x, y, out, n); }
export function binary_f64(op: i32, x: usize, y: usize, out: usize, n: i32): void { binary<f64>(op, x, y, out, n); }
