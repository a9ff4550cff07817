// Elementwise maps. Op codes follow UNARY_OPS / BINARY_OPS in @lowrank/core (the glue checks the
// order at load). The op is switched once, outside the loop. neg, abs, square, sqrt, relu,
// reciprocal and every binary op are exactly rounded (≤ ½ ulp); exp, log and tanh are AssemblyScript's
// musl ports (NativeMath/NativeMathf), documented there at < 1 ulp. NaN propagates everywhere.
import { lanes } from './shared/simd';

/** The vectorizable unary ops; returns false for the ones that need a scalar libm call. */
// @ts-ignore: decorator
@inline function unaryVector<T>(op: i32, v: v128): v128 {
  const zero = v128.splat<T>(0);
  switch (op) {
    case 0: return v128.neg<T>(v);
    case 1: return v128.abs<T>(v);
    case 2: return v128.mul<T>(v, v);
    case 3: return v128.sqrt<T>(v);
    case 7: return v128.bitselect(zero, v, v128.lt<T>(v, zero)); // x < 0 ? 0 : x keeps NaN and −0
    default: return v128.div<T>(v128.splat<T>(1), v); // 8: reciprocal
  }
}

// @ts-ignore: decorator
@inline function unaryScalar<T>(op: i32, x: T): T {
  if (sizeof<T>() == 4) {
    const f = <f32>x;
    switch (op) {
      case 0: return <T>-f;
      case 1: return <T>abs<f32>(f);
      case 2: return <T>(f * f);
      case 3: return <T>sqrt<f32>(f);
      case 4: return <T>Mathf.exp(f);
      case 5: return <T>Mathf.log(f);
      case 6: return <T>Mathf.tanh(f);
      case 7: return <T>(f < 0 ? <f32>0 : f);
      default: return <T>(<f32>1 / f);
    }
  }
  const d = <f64>x;
  switch (op) {
    case 0: return <T>-d;
    case 1: return <T>abs<f64>(d);
    case 2: return <T>(d * d);
    case 3: return <T>sqrt<f64>(d);
    case 4: return <T>Math.exp(d);
    case 5: return <T>Math.log(d);
    case 6: return <T>Math.tanh(d);
    case 7: return <T>(d < 0 ? 0 : d);
    default: return <T>(1 / d);
  }
}

export function unary<T>(op: i32, x: usize, out: usize, n: i32): void {
  const w = sizeof<T>();
  let i = 0;
  if (op < 4 || op > 6) {
    const L = lanes<T>();
    for (; i + L <= n; i += L) v128.store(out + <usize>i * w, unaryVector<T>(op, v128.load(x + <usize>i * w)));
  }
  for (; i < n; i++) store<T>(out + <usize>i * w, unaryScalar<T>(op, load<T>(x + <usize>i * w)));
}

// The exports, as src/abi.ts declares them (index.ts re-exports every one).
export function unary_f32(op: i32, x: usize, out: usize, n: i32): void { unary<f32>(op, x, out, n); }
export function unary_f64(op: i32, x: usize, out: usize, n: i32): void { unary<f64>(op, x, out, n); }
