/**
 * The machine's roof, measured with the run: per backend × threads × dtype, a compute-bound kernel
 * (GEMM at a size that reaches the micro-kernel's steady state) and a streaming one (AXPY on vectors
 * far larger than the last-level cache, so its GB/s are memory bandwidth). The report's roofline
 * draws each backend's points under its own roof, min(peak GFLOP/s, peak GB/s × intensity), as
 * Williams, Waterman & Patterson (2009) define it from measured, not datasheet, ceilings.
 */
import type { Backend, CaseDef, DType } from '@lowrank/core';
import { z } from 'zod';
import { benchCases, type BenchRecord } from './bench.ts';
import type { Progress } from './progress.ts';

export const Peak = z.object({
  backend: z.string(),
  threads: z.number().int(),
  dtype: z.enum(['f16', 'f32', 'f64']),
  gflops: z.number().positive(),
  gbps: z.number().positive(),
  /** The benchmarks that measured them, 'primitives/gemm n=512' and 'primitives/axpy n=8388608'. */
  compute: z.string(),
  stream: z.string(),
});
export type Peak = z.infer<typeof Peak>;

/** The two kernels and their sizes: a case whose benchmark takes `{ n }`. */
export interface PeakKernels {
  compute: { case: CaseDef; n: number };
  stream: { case: CaseDef; n: number };
}

export const PEAK_SIZES = { compute: 512, stream: 1 << 23 } as const;

export interface PeakOptions {
  kernels: PeakKernels;
  backends: readonly Backend[];
  dtypes?: readonly DType[];
  /** Sampling time per kernel (ms); a roof needs a median, not the run's full budget. */
  timeMs?: number;
  progress?: Progress;
  signal?: AbortSignal;
}

/**
 * Times both kernels on every backend and dtype that has them and pairs the results; a backend or
 * dtype for which either kernel is missing or failed has no peak (the report then draws no roof for it).
 */
export async function measurePeaks(o: PeakOptions): Promise<Peak[]> {
  const time = (k: PeakKernels['compute']) =>
    benchCases({
      cases: [k.case],
      backends: o.backends,
      dtypes: o.dtypes,
      sizes: [k.n],
      timeMs: o.timeMs ?? 100,
      warmupMs: 30,
      progress: o.progress,
      phase: 'peaks',
      signal: o.signal,
    });
  const compute = await time(o.kernels.compute);
  const stream = await time(o.kernels.stream);
  const key = (b: BenchRecord) => `${b.backend}|${b.threads}|${b.dtype}`;
  const streamed = new Map(stream.filter((b) => b.status === 'ok' && b.gbps !== undefined).map((b) => [key(b), b]));
  return compute.flatMap((c) => {
    const s = streamed.get(key(c));
    if (c.status !== 'ok' || c.gflops === undefined || s === undefined) return [];
    return [
      {
        backend: c.backend,
        threads: c.threads,
        dtype: c.dtype,
        gflops: c.gflops,
        gbps: s.gbps!,
        compute: `${c.case} ${c.label}`,
        stream: `${s.case} ${s.label}`,
      },
    ];
  });
}
