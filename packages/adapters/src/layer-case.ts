/**
 * What the adapter layers' cases (LoRA, ALLoRA, DoRA) share. Verification: the golden's inputs on the
 * backend and a metric scaled as LAPACK's LIN tests scale theirs. Benchmark: one forward + backward
 * step on a batch of 64 at width n and rank r, inputs from the shared PRNG, with the trainable
 * parameter count and the Adam state it needs (two moments per parameter, 8 bytes each) among the
 * parameters.
 */
import {
  BYTES_PER_ELEMENT,
  computeEps,
  errorOverLargest,
  fillRandom,
  hostTensor,
  prose,
  putAs,
  type Backend,
  type BenchInstance,
  type DeviceTensor,
  type DType,
  type GoldenEntry,
} from '@lowrank/core';

/** The threshold on every layer output's metric. */
export const LAYER_THRESHOLD = {
  value: 30,
  why: prose`
    LAPACK's LIN threshold on max |ĝ − g| / (ε·K·max |g|), K = in + out + r: the depth of the chained GEMMs (and of
    the row norms where the layer takes them)
  `,
};

/**
 * Checks a layer against a golden entry: its named inputs go to the backend, `body` computes the
 * outputs and scores each with `metric(name, computed)` = max |ĝ − g| / (ε·K·max |g|) against the
 * golden output `name`, K = in + out + r from the entry's parameters. Every tensor made is released.
 */
export async function checkLayer<K extends string>(
  be: Backend,
  dtype: DType,
  entry: GoldenEntry,
  names: readonly K[],
  body: (
    t: Record<K, DeviceTensor>,
    metric: (name: string, computed: DeviceTensor) => Promise<number>,
  ) => Promise<Record<string, number>>,
): Promise<Record<string, number>> {
  const release = be.track();
  try {
    const t = Object.fromEntries(
      await Promise.all(names.map(async (k) => [k, await putAs(be, dtype, entry.inputs[k])] as const)),
    ) as Record<K, DeviceTensor>;
    const { inputs, outputs, rank } = entry.params as { inputs: number; outputs: number; rank: number };
    const unit = computeEps(be, dtype) * (inputs + outputs + rank);
    return await body(
      t,
      async (name, computed) => errorOverLargest((await be.download(computed)).data, entry.outputs[name].data) / unit,
    );
  } finally {
    release();
  }
}

// A type, not an interface: benchmark parameters must be assignable to a string-keyed record.
export type LayerBenchParams = {
  width: number;
  rank: number;
  batch: number;
  trainable: number;
  adamStateBytes: number;
};

/** Widths 256 and 1024 (or `sizes`), ranks 8 and 64 below the width; `extra` trainable parameters per output (DoRA's m: 1). */
export function layerBenchParams(sizes: readonly number[] | undefined, extra = 0): LayerBenchParams[] {
  return (sizes ?? [256, 1024]).flatMap((width) =>
    [8, 64]
      .filter((r) => r < width)
      .map((rank) => {
        const trainable = 2 * rank * width + extra * width;
        return { width, rank, batch: 64, trainable, adamStateBytes: 2 * trainable * 8 };
      }),
  );
}

/** W₀ (n×n), A (r×n), B (n×r, small and nonzero), x and ∂y (batch×n) on the backend. */
export async function layerInputs(
  be: Backend,
  dtype: DType,
  { width: n, rank, batch }: LayerBenchParams,
): Promise<Record<'w0' | 'a' | 'b' | 'x' | 'dy', DeviceTensor>> {
  const up = (stream: number, rows: number, cols: number, scale: number) =>
    be.upload(
      hostTensor(
        dtype,
        [rows, cols],
        (fillRandom({ seed: 0, stream }, 'normal', 'f64', rows * cols) as Float64Array).map((v) => v * scale),
      ),
    );
  return {
    w0: await up(150, n, n, 1 / Math.sqrt(n)),
    a: await up(151, rank, n, 1 / Math.sqrt(n)),
    b: await up(152, n, rank, 0.01),
    x: await up(153, batch, n, 1),
    dy: await up(154, batch, n, 1),
  };
}

/** A timed step: `step` runs forward and backward; every tensor it makes is released after the step. */
export function layerStep(
  be: Backend,
  inputs: Record<string, DeviceTensor>,
  step: () => Promise<unknown>,
): BenchInstance {
  return {
    async run() {
      const release = be.track();
      await step();
      await be.sync();
      release();
    },
    dispose() {
      for (const t of Object.values(inputs)) be.dispose(t);
    },
  };
}

/** Bytes a layer step moves at least: W₀, A, B once; x, ∂y, y, ∂x; h and ∂h (cost models add their extras). */
export const layerBytes = ({ width: n, rank: r, batch: b }: LayerBenchParams, dtype: DType) =>
  (n * n + 4 * r * n + 6 * b * n + 4 * b * r) * BYTES_PER_ELEMENT[dtype];
