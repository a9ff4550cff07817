/**
 * The machine's 128-bit WebAssembly multiply-add peak, measured: a module of a few hundred bytes, assembled here,
 * whose loop runs CHAINS independent chains acc ← acc·x + y on four f32 or two f64 lanes. Twelve chains cover the
 * latency of a multiply then an add (6 cycles on Zen 4, at two of each per cycle), or of one fused relaxed_madd, and
 * with x and y they fit in the 15 vector registers V8 can use. x = 0.5 and y = 1 keep every chain at
 * 2, away from denormals and overflow. The loop's two flops per lane and chain are what a GEMM's inner loop does per
 * element of its tile, so `flops / peak` is how far a kernel is from what the SIMD width allows.
 */

/** The variant our backend runs: 'relaxed' uses f32x4/f64x2.relaxed_madd, 'simd' a multiply then an add. */
export type PeakVariant = 'relaxed' | 'simd';

const CHAINS = 12;

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const simd = (op: number) => [0xfd, ...leb(op)];

/** v128.const with every lane `v`. */
function splatConst(dtype: 'f32' | 'f64', v: number): number[] {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let o = 0; o < 16; o += dtype === 'f32' ? 4 : 8)
    if (dtype === 'f32') view.setFloat32(o, v, true);
    else view.setFloat64(o, v, true);
  return [...simd(0x0c), ...bytes];
}

/** (iterations: i32) → f64: runs the chains `iterations` times and returns one lane of their sum. */
function body(dtype: 'f32' | 'f64', variant: PeakVariant): number[] {
  const op =
    dtype === 'f32'
      ? { mul: 0xe6, add: 0xe4, madd: 0x105, extract: [...simd(0x1f), 0, 0xbb] } // extract_lane 0, f64.promote_f32
      : { mul: 0xf2, add: 0xf0, madd: 0x107, extract: [...simd(0x21), 0] };
  const x = CHAINS + 1,
    y = CHAINS + 2; // locals: 0 = iterations, 1..CHAINS = accumulators (zero-initialized), then x and y
  const code: number[] = [...splatConst(dtype, 0.5), 0x21, x, ...splatConst(dtype, 1), 0x21, y, 0x03, 0x40];
  for (let c = 1; c <= CHAINS; c++) {
    code.push(0x20, c, 0x20, x);
    if (variant === 'relaxed') code.push(0x20, y, ...simd(op.madd));
    else code.push(...simd(op.mul), 0x20, y, ...simd(op.add));
    code.push(0x21, c);
  }
  // iterations -= 1; continue while nonzero
  code.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b);
  code.push(0x20, 1);
  for (let c = 2; c <= CHAINS; c++) code.push(0x20, c, ...simd(op.add));
  code.push(...op.extract, 0x0b);
  const locals = vec([[CHAINS + 2, 0x7b]]);
  return [...leb(locals.length + code.length), ...locals, ...code];
}

function moduleBytes(variant: PeakVariant): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, 1, 0x7f, 1, 0x7c]])), // type 0: (i32) → f64
    ...section(3, vec([[0], [0]])),
    ...section(
      7,
      vec(['f32', 'f64'].map((name, i) => [...leb(name.length), ...new TextEncoder().encode(name), 0x00, i])),
    ),
    ...section(10, vec([body('f32', variant), body('f64', variant)])),
  ]);
}

export interface FmaPeak {
  variant: PeakVariant;
  /** Flops one iteration of the loop does on `dtype`. */
  flopsPerIteration(dtype: 'f32' | 'f64'): number;
  /** Runs `iterations` iterations on `dtype`. */
  run(dtype: 'f32' | 'f64', iterations: number): number;
}

/** The peak loop for our backend's variant; throws when this runtime does not validate it. */
export async function fmaPeak(variant: PeakVariant): Promise<FmaPeak> {
  const bytes = moduleBytes(variant);
  if (!WebAssembly.validate(bytes)) throw new Error(`fma-peak: this runtime does not validate the ${variant} loop`);
  const { instance } = await WebAssembly.instantiate(bytes);
  const fns = instance.exports as Record<'f32' | 'f64', (iterations: number) => number>;
  return {
    variant,
    flopsPerIteration: (dtype) => CHAINS * 2 * (dtype === 'f32' ? 4 : 2),
    run: (dtype, iterations) => fns[dtype](Math.max(1, Math.round(iterations))),
  };
}
