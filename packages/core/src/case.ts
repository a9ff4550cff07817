import type { Backend, DeviceTensor, PrimitiveName } from './backend.ts';
import { EPSILON, type DType } from './dtype.ts';
import type { CostModel } from './primitives/cost.ts';
import { castTensor, type HostTensor } from './tensor.ts';

/** One golden entry as the harness hands it to a case: inputs regenerated or read, outputs read, all float64. */
export interface GoldenEntry {
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly dtypes: readonly DType[];
  readonly inputs: Readonly<Record<string, HostTensor>>;
  readonly outputs: Readonly<Record<string, HostTensor>>;
}

/**
 * A threshold on a scaled ratio, declared with the case (never inside a test), with the reason it is
 * what it is. A metric passes when value ≤ threshold; NaN never passes.
 */
export interface Threshold {
  readonly value: number;
  readonly why: string;
}

/** A tighter or looser threshold for one backend and/or dtype, with its justification. */
export interface ThresholdOverride {
  readonly metric: string;
  readonly backend?: string;
  readonly dtype?: DType;
  readonly value: number;
  readonly why: string;
}

/** The JSON type of a golden param as a check reads it; a trailing `?` marks one the entry may omit. */
export type GoldenParamType = 'number' | 'integer' | 'string' | 'boolean' | 'number[]';

/** Array names, listed or (when they depend on the params) a rule with its description for golden/CASES.md. */
export type GoldenArrays =
  | readonly string[]
  | { readonly names: (params: Readonly<Record<string, unknown>>) => readonly string[]; readonly doc: string };

/**
 * What a case's check reads from each golden entry, declared once with the case: the harness checks
 * every entry against it before the check runs (a missing or mistyped field is a GoldenError naming
 * it), hands the check only the declared fields (reading another one is an error, so the declaration
 * stays true), and `npm run golden:doc` writes golden/CASES.md from it.
 */
export interface GoldenReads {
  /** Param name (`name?` when optional) → its type. */
  readonly params: Readonly<Record<string, GoldenParamType>>;
  /** Input arrays (`name?` when optional), or a rule when the names depend on the entry's params. */
  readonly inputs: GoldenArrays;
  /** Output arrays, as `inputs`. */
  readonly outputs: GoldenArrays;
  /** Conventions a golden author must follow (order, signs, layout, units), in a sentence. */
  readonly conventions?: string;
}

export interface VerificationSpec {
  /** Golden folder under the golden root, e.g. 'primitives/gemm'; several cases may share one. */
  readonly golden: string;
  readonly reads: GoldenReads;
  readonly thresholds: Readonly<Record<string, Threshold>>;
  readonly overrides?: readonly ThresholdOverride[];
  /** Runs the entry on the backend in `dtype` and returns each metric's achieved value. */
  check(be: Backend, dtype: DType, entry: GoldenEntry): Promise<Record<string, number>>;
}

/** One prepared benchmark: inputs are on the device; `run` is what is timed. */
export interface BenchInstance {
  run(): Promise<unknown>;
  /** Copies the output back to the host: timed with `run` for the end-to-end time of GPU backends. */
  readback?(): Promise<unknown>;
  /** The accuracy this very run achieved (a scaled ratio, same meaning as in verification). */
  accuracy?(): Promise<{ metric: string; value: number }>;
  dispose(): void;
}

export interface BenchSpec<P extends Record<string, number | string | boolean>> {
  /** Parameter grid; `sizes` (from --sizes) replaces the default sizes where the case has one size knob. */
  params(sizes?: readonly number[]): readonly P[];
  cost(p: P, dtype: DType): CostModel;
  setup(be: Backend, dtype: DType, p: P): Promise<BenchInstance>;
}

/** A case: everything the harness needs to verify and benchmark one algorithm or primitive. */
export interface CaseDef<
  P extends Record<string, number | string | boolean> = Record<string, number | string | boolean>,
> {
  /** Unique id, `family/name`, e.g. 'primitives/gemm'. */
  readonly id: string;
  readonly family: string;
  /** Id of the paper (S01…S45, docs/papers.md) where the case reproduces one. */
  readonly paper?: string;
  readonly title: string;
  /** Primitives the case calls: a backend lacking any of them reports the case as unsupported. */
  readonly primitives: readonly PrimitiveName[];
  readonly dtypes: readonly DType[];
  readonly verify?: VerificationSpec;
  readonly bench?: BenchSpec<P>;
}

/** Identity helper that keeps `P` inferred at the definition site. */
export function defineCase<P extends Record<string, number | string | boolean>>(c: CaseDef<P>): CaseDef<P> {
  return c;
}

/** Uploads a float64 golden tensor in the dtype under test (f32/f16 round to nearest). */
export function putAs(be: Backend, dtype: DType, t: HostTensor): Promise<DeviceTensor> {
  return be.upload(castTensor(t, dtype));
}

/** Downloads a device tensor widened to float64, for comparisons on the host. */
export async function getF64(be: Backend, t: DeviceTensor): Promise<Float64Array> {
  return Float64Array.from((await be.download(t)).data);
}

/** ε of the dtype the backend actually computes `dtype` in: the unit of every verification ratio. */
export function computeEps(be: Backend, dtype: DType): number {
  return EPSILON[be.info.computeDType[dtype]];
}
