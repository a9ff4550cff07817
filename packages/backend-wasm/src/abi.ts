// The kernel module's ABI, declared once. Every export the glue may call is listed here with its
// parameters (name and wasm type) and result; from this one table come
//   - the glue's types: `ctx.call('qrStart_f64', …)` takes exactly the declared number of arguments, and a
//     name the table lacks does not compile (KernelExport, ArgsOf below);
//   - the load-time check: `checkAbi` reads the compiled module's type and export sections and refuses
//     a module whose exports differ from the table in name, parameter count, parameter type or result
//     (BackendUnavailableError naming the export), so an AssemblyScript signature edited without the
//     table, or a stale build, is a load error rather than arguments read in the wrong slots.
// Work-area sizes are exports too (`qrWorkElements`, `syevWorkBytes`, `gemmScratchBytes_*`), so the glue
// asks the module rather than repeating its formulas. Byte counts are f64: an i32 would wrap past 2 GiB, and
// a wrapped (negative or small) size would allocate a scratch the kernel then writes past.
//
// Types are wasm's: pointers, sizes, flags and enum codes are i32 (wasm32 usize, AssemblyScript bool);
// `T` is the element type of a dtype-generic kernel, exported twice as `<name>_f32` and `<name>_f64`.

type Wasm = 'i32' | 'f32' | 'f64';
type Param = readonly [name: string, type: Wasm | 'T'];
interface Signature {
  readonly params: readonly Param[];
  readonly result: Wasm | 'T' | 'void';
  /** Exported as `<name>_f32` and `<name>_f64`, with `T` read as that element type. */
  readonly generic: boolean;
}

const ptr = (name: string) => [name, 'i32'] as const;
const int = (name: string) => [name, 'i32'] as const;
const elem = (name: string) => [name, 'T'] as const;
const real = (name: string) => [name, 'f64'] as const;
const gen = <const P extends readonly Param[]>(result: Signature['result'], ...params: P) =>
  ({ params, result, generic: true }) as const;
const one = <const P extends readonly Param[]>(result: Signature['result'], ...params: P) =>
  ({ params, result, generic: false }) as const;

export const ABI = {
  gemmScratchBytes: gen('i32'),
  gemm: gen(
    'void',
    int('transA'),
    int('transB'),
    int('m'),
    int('n'),
    int('k'),
    elem('alpha'),
    ptr('a'),
    int('lda'),
    ptr('b'),
    int('ldb'),
    elem('beta'),
    ptr('c'),
    int('ldc'),
    ptr('scratch'),
  ),
  batchedGemmScratchBytes: gen('f64', int('n'), int('k')),
  batchedGemm: gen(
    'void',
    int('transA'),
    int('transB'),
    int('batch'),
    int('m'),
    int('n'),
    int('k'),
    elem('alpha'),
    ptr('a'),
    ptr('b'),
    elem('beta'),
    ptr('c'),
    ptr('scratch'),
  ),
  gemv: gen(
    'void',
    int('trans'),
    int('m'),
    int('n'),
    elem('alpha'),
    ptr('a'),
    ptr('x'),
    elem('beta'),
    ptr('y'),
    ptr('acc'),
  ),
  dot: gen('f64', ptr('x'), ptr('y'), int('n')),
  axpy: gen('void', elem('alpha'), ptr('x'), ptr('y'), int('n')),
  scal: gen('void', elem('alpha'), ptr('x'), int('n')),
  nrm2: gen('f64', ptr('x'), int('n')),
  unary: gen('void', int('op'), ptr('x'), ptr('out'), int('n')),
  binary: gen('void', int('op'), ptr('x'), ptr('y'), ptr('out'), int('n')),
  reduce: gen('void', int('op'), int('axis'), ptr('x'), ptr('out'), int('rows'), int('cols')),
  transpose: gen('void', ptr('x'), ptr('out'), int('rows'), int('cols')),
  transposeBlock: gen('void', ptr('x'), int('ldx'), ptr('out'), int('ldOut'), int('rows'), int('cols')),
  random: gen('void', ptr('out'), int('n'), int('dist'), real('seed'), int('stream'), real('offset')),
  choleskyStart: gen('void', ptr('a'), ptr('l'), int('n'), int('r0'), int('r1'), ptr('status')),
  choleskyPanel: gen('void', ptr('l'), int('n'), int('j0'), int('j1'), ptr('status')),
  choleskyUpdate: gen('void', ptr('l'), int('n'), int('j0'), int('j1'), int('c0'), int('c1'), ptr('gemmWork')),
  choleskyFinish: gen('void', ptr('l'), int('n')),
  trsm: gen('i32', ptr('t'), ptr('b'), int('n'), int('m'), int('lower'), int('trans'), int('unitDiag'), elem('alpha')),
  luStart: gen('void', ptr('a'), ptr('lu'), int('m'), int('n'), int('r0'), int('r1'), ptr('status')),
  luPanel: gen('void', ptr('lu'), ptr('piv'), int('m'), int('n'), int('j0'), int('j1'), ptr('status')),
  luUpdate: gen(
    'void',
    ptr('lu'),
    ptr('piv'),
    int('m'),
    int('n'),
    int('j0'),
    int('j1'),
    int('c0'),
    int('c1'),
    ptr('gemmWork'),
  ),
  qrWorkElements: one('i32', int('m'), int('n')),
  qrThreadElements: one('i32', int('m'), int('n')),
  qrPanelColumns: one('i32'),
  qrStart: gen('i32', ptr('a'), int('m'), int('n'), ptr('work')),
  qrPanel: gen('void', ptr('r'), int('m'), int('n'), int('j0'), int('j1'), ptr('work')),
  qrUpdate: gen(
    'void',
    ptr('r'),
    int('m'),
    int('n'),
    int('j0'),
    int('j1'),
    int('c0'),
    int('c1'),
    ptr('work'),
    ptr('own'),
    ptr('gemmWork'),
  ),
  qrFormQ: gen('void', ptr('q'), int('m'), int('n'), int('i0'), int('i1'), ptr('work'), ptr('own'), ptr('gemmWork')),
  svdWorkBytes: one('f64', int('m'), int('n'), int('elementBytes')),
  svdStart: gen('i32', ptr('a'), int('m'), int('n'), ptr('work'), ptr('basis')),
  svdSweepBegin: gen('i32', int('m'), int('n'), int('maxSweeps'), ptr('work')),
  svdGramBlocks: one('i32', int('m'), int('n')),
  svdGram: gen('void', int('m'), int('n'), int('b0'), int('b1'), ptr('work'), ptr('packing')),
  svdSweep: gen('void', int('m'), int('n'), int('vectors'), ptr('work')),
  svdFinish: gen('i32', ptr('u'), ptr('s'), ptr('v'), int('m'), int('n'), int('vectors'), ptr('work')),
  syevWorkBytes: one('f64', int('n'), int('elementBytes')),
  syevReduceStart: gen('i32', ptr('a'), int('n'), ptr('work')),
  syevReduceSteps: gen('i32', int('n'), ptr('work'), int('thread'), int('threads'), ptr('sync'), int('mayWait')),
  syevStedc: gen('void', int('n'), ptr('work')),
  syevStedcSplit: gen('void', int('n'), ptr('work')),
  syevStedcHalf: gen('void', int('n'), int('part'), ptr('work')),
  syevStedcJoinStart: gen('void', int('n'), ptr('work')),
  syevStedcJoinRoots: gen('void', int('n'), int('part'), int('parts'), ptr('work')),
  syevStedcJoinGather: gen('void', int('n'), int('part'), int('parts'), ptr('work')),
  syevStedcJoinColumns: gen('void', int('n'), int('part'), int('parts'), ptr('work')),
  syevStedcJoinProduct: gen('void', int('n'), int('part'), ptr('work')),
  syevStedcJoinEnd: gen('void', int('n'), ptr('work')),
  syevFormQ: gen('void', int('n'), int('c0'), int('c1'), ptr('work')),
  syevQl: one('i32', int('n'), ptr('work')),
  syevFinish: gen('void', ptr('w'), ptr('z'), int('n'), int('vectors'), ptr('work')),
  sddmm: gen(
    'void',
    ptr('u'),
    ptr('v'),
    ptr('rows'),
    ptr('cols'),
    ptr('out'),
    int('k'),
    int('e0'),
    int('e1'),
    real('alpha'),
  ),
  spmm: gen(
    'void',
    ptr('vals'),
    ptr('b'),
    ptr('cols'),
    ptr('rowPtr'),
    ptr('rowOrder'),
    ptr('out'),
    int('k'),
    int('i0'),
    int('i1'),
    elem('alpha'),
  ),
  sor: gen(
    'i32',
    ptr('vals'),
    ptr('b'),
    ptr('x'),
    ptr('cols'),
    ptr('rowPtr'),
    ptr('rowOrder'),
    ptr('order'),
    int('n'),
    elem('omega'),
    int('sweeps'),
    int('symmetric'),
    ptr('diag'),
  ),
  sorRows: gen(
    'void',
    ptr('vals'),
    ptr('b'),
    ptr('x'),
    ptr('cols'),
    ptr('rowPtr'),
    ptr('rowOrder'),
    ptr('order'),
    int('t0'),
    int('t1'),
    elem('omega'),
  ),
  sorCheck: gen('i32', ptr('vals'), ptr('cols'), ptr('rowPtr'), ptr('rowOrder'), int('n'), ptr('diag')),
  fftTable: gen('void', ptr('table'), int('n')),
  fft: gen(
    'void',
    ptr('re'),
    ptr('im'),
    ptr('outRe'),
    ptr('outIm'),
    int('rows'),
    int('n'),
    int('inverse'),
    ptr('table'),
  ),
  dct: gen('void', ptr('x'), ptr('out'), int('rows'), int('n'), int('kind'), ptr('table'), ptr('work')),
  geevWorkElements: one('i32', int('n')),
  geev: gen('i32', ptr('a'), ptr('wr'), ptr('wi'), ptr('v'), int('n'), ptr('work')),
  kalmanWorkElements: one('i32', int('m')),
  kalman: gen(
    'void',
    ptr('a'),
    ptr('q'),
    ptr('h'),
    ptr('y'),
    ptr('w'),
    ptr('m0'),
    ptr('p0'),
    ptr('mean'),
    ptr('cov'),
    ptr('logLik'),
    int('b0'),
    int('b1'),
    int('steps'),
    int('m'),
    ptr('work'),
    ptr('status'),
  ),
  philoxBlock: one('void', int('c0'), int('c1'), int('c2'), int('c3'), int('k0'), int('k1'), ptr('out')),
} as const satisfies Record<string, Signature>;

type Table = typeof ABI;
type GenericName = { [K in keyof Table]: Table[K]['generic'] extends true ? K : never }[keyof Table];
type PlainName = Exclude<keyof Table, GenericName>;

/** Every export name the glue may call: `qrStart_f32`, `qrStart_f64`, `qrWorkElements`, … */
export type KernelExport = `${GenericName}_${'f32' | 'f64'}` | PlainName;
type BaseOf<E extends KernelExport> = E extends `${infer B extends GenericName}_${'f32' | 'f64'}` ? B : E & PlainName;
type Numbers<P> = { [I in keyof P]: number };
/** The argument tuple of an export, one number per declared parameter. */
export type ArgsOf<E extends KernelExport> = Numbers<Table[BaseOf<E>]['params']>;

/** Export name of a dtype-generic kernel: `exportName('gemm', 'f32')` → `'gemm_f32'`. */
export function exportName<B extends GenericName, D extends 'f32' | 'f64'>(base: B, dtype: D): `${B}_${D}` {
  return `${base}_${dtype}`;
}

/** The declared wasm signature of every export, with `T` resolved: name → "(i32, f64) -> i32". */
export function declaredSignatures(table: Record<string, Signature> = ABI): Map<string, string> {
  const out = new Map<string, string>();
  const render = (s: Signature, t: 'f32' | 'f64' | null) => {
    const r = (x: Wasm | 'T') => (x === 'T' ? (t as string) : x);
    return `(${s.params.map(([, ty]) => r(ty)).join(', ')}) -> ${s.result === 'void' ? 'void' : r(s.result)}`;
  };
  for (const [name, s] of Object.entries(table)) {
    if (s.generic) for (const t of ['f32', 'f64'] as const) out.set(`${name}_${t}`, render(s, t));
    else out.set(name, render(s, null));
  }
  return out;
}

export type { Signature };

/** Exports whose name does not start with the primitive whose file defines them. */
const HOME: Readonly<Record<string, string>> = { philoxBlock: 'random' };

/**
 * assembly/index.ts, derived from the table: each export re-exported from the file of the primitive
 * whose name it starts with (`qrWorkElements` from qr.ts). `npm run abi:exports` writes it; a test
 * fails when the committed file differs, so an export is declared here and nowhere else.
 */
export function assemblyIndex(primitives: readonly string[], table: Record<string, Signature> = ABI): string {
  const byFile = new Map<string, string[]>();
  for (const [name, s] of Object.entries(table)) {
    const home = HOME[name] ?? [...primitives].filter((p) => name.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    if (home === undefined) throw new Error(`abi: export '${name}' names no primitive; give it a HOME`);
    const names = s.generic ? [`${name}_f32`, `${name}_f64`] : [name];
    byFile.set(home, [...(byFile.get(home) ?? []), ...names]);
  }
  const lines = [...byFile].map(([file, names]) => `export { ${names.join(', ')} } from './${file}';`);
  return [
    '// Generated from src/abi.ts by `npm run abi:exports`; do not edit. Every pointer is a byte offset into',
    '// the (imported, possibly shared) memory, which the TypeScript glue allocates. No export allocates: the',
    '// module has no heap of its own, so instances on several threads can share one memory safely.',
    ...lines,
    '',
  ].join('\n');
}
