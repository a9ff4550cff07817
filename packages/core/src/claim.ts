import type { Backend, PrimitiveName } from './backend.ts';
import type { DType } from './dtype.ts';
import type { ClaimPlot } from './claim-plot.ts';
import { ArgumentError, LowrankError } from './errors.ts';

/**
 * A paper's claim as a falsifiable check, declared beside the algorithm it tests: the paper's own
 * statement and numbers, the synthetic experiment (a full form and a reduced one for `npm test`),
 * the quantities it measures and the predicates that decide whether the claim was reproduced.
 */

/** A number the paper states (or the plan's planning check measured), shown beside ours. */
export interface PaperNumber {
  readonly quantity: string;
  readonly value: string;
}

/** Sizes, seeds, iterations: everything the experiment depends on, recorded with its results. */
export type ClaimExperiment = Readonly<Record<string, number | string | boolean | readonly number[]>>;

/** What one run of the experiment measured. A blow-up is a measurement: values may be ±Infinity or NaN. */
export interface ClaimOutcome {
  readonly measured: Readonly<Record<string, number>>;
  readonly seeds: readonly number[];
}

/**
 * What a running experiment tells the harness: where it is. Awaiting `step` also yields to the event
 * loop, so the progress line's clock, Ctrl-C and timers are served during a long experiment.
 */
export interface ClaimContext {
  step(what: string): Promise<void>;
}

/**
 * What a predicate is evidence of:
 * - identity: algebra or a theorem checked numerically (Eckart–Young, Woodbury, an exact solve);
 * - mechanism: the method reproduces a target inside its own model class (it cannot lose by design);
 * - empirical: a target or task not drawn from the method's class, where the method could lose.
 * A claim reads "reproduced" only when it has empirical predicates and all its predicates hold;
 * with only identity and mechanism predicates holding it reads "mechanism verified".
 */
export type EvidenceKind = 'identity' | 'mechanism' | 'empirical';
export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['identity', 'mechanism', 'empirical'];

/**
 * Where a measured quantity of the reduced run must lie: a closed interval [lo, hi] (an open end is
 * ±Infinity; a blow-up is +Infinity), or 'timed' for a wall-clock quantity, which must be measured and
 * finite but is not held to a range: tests do not time things (the full run judges it).
 */
export type Band = readonly [lo: number, hi: number] | 'timed';
/** A band per dtype, for a quantity whose size follows the dtype's ε (an error, a tolerance). */
export type DTypeBands = Readonly<Partial<Record<DType, Band>>>;

export function inBand(v: number, band: Band): boolean {
  return band === 'timed' ? Number.isFinite(v) : v >= band[0] && v <= band[1];
}

/** The band a run in `dtype` is held to, or undefined when the claim declares none for that dtype. */
export function bandFor(band: Band | DTypeBands, dtype: DType): Band | undefined {
  return typeof band === 'string' || Array.isArray(band) ? (band as Band) : (band as DTypeBands)[dtype];
}

/**
 * One part of the pass rule, in words (`rule`) and as code (`holds`), with the kind of evidence it is.
 * `K`: the quantities `holds` may read by name (a claim's banded quantities, see ClaimDef).
 */
export interface ClaimPredicate<K extends string = string> {
  readonly name: string;
  readonly rule: string;
  readonly kind: EvidenceKind;
  /** Decides on the measurement; a quantifier goes through `forAll`, so a rule over nothing is an error, not a pass. */
  holds(measured: Readonly<Record<K, number>>): boolean;
}

/** A claim's verdict: from its predicates' outcomes and kinds (see EvidenceKind). */
export type ClaimVerdict = 'reproduced' | 'mechanism verified' | 'not reproduced';

export function claimVerdict(predicates: ReadonlyArray<{ kind: EvidenceKind; holds: boolean }>): ClaimVerdict {
  if (!predicates.every((p) => p.holds)) return 'not reproduced';
  return predicates.some((p) => p.kind === 'empirical') ? 'reproduced' : 'mechanism verified';
}

/** A predicate quantified over an empty measurement: an error of the claim, never a pass. */
export class VacuousPredicateError extends LowrankError {
  constructor(message: string) {
    super('E_CLAIM', message);
  }
}

/** ∀ x ∈ items: test(x), refusing an empty `items` (VacuousPredicateError naming `what`). */
export function forAll<T>(items: readonly T[], test: (x: T) => boolean, what = 'measured values'): boolean {
  if (items.length === 0) throw new VacuousPredicateError(`the rule quantifies over no ${what}`);
  return items.every(test);
}

/**
 * The measured entries whose key passes `test`, each value read by key: a predicate over a family of
 * quantities uses this rather than Object.entries, so the band check sees which quantities it reads.
 */
export function measuredWhere<K extends string>(
  m: Readonly<Record<K, number>>,
  test: (key: string) => boolean,
): Array<[string, number]> {
  const all = m as Readonly<Record<string, number>>;
  return Object.keys(all)
    .filter(test)
    .map((k) => [k, all[k]]);
}

/**
 * A claim. `K` is the union of its banded quantities' names, inferred from `bands`: a predicate reading
 * a quantity by a name that has no band (a misspelling) is a compile error, not a silent `undefined`
 * (families of quantities are read through `measuredWhere`, by a test on the name).
 */
export interface ClaimDef<E extends ClaimExperiment = ClaimExperiment, K extends string = string> {
  /** `family/paper-key/claim`, e.g. 'second-order/dyn-stability-sgd/trace-threshold'. */
  readonly id: string;
  /** Paper id (docs/papers.md), S01…S45. */
  readonly paper: string;
  readonly family: string;
  readonly title: string;
  /** The paper's own statement, quoted or closely paraphrased. */
  readonly statement: string;
  readonly paperNumbers: readonly PaperNumber[];
  readonly primitives: readonly PrimitiveName[];
  readonly dtypes: readonly DType[];
  /**
   * full: the experiment as planned (`lowrank claims --full`); standard: the main job's form, seconds
   * long and still judged by the predicates; reduced: what the tests run on every backend.
   */
  readonly experiment: { readonly full: E; readonly standard: E; readonly reduced: E };
  readonly predicates: readonly ClaimPredicate<K>[];
  /**
   * Where the reduced experiment's measured quantities must lie, on every backend and dtype the tests
   * run: the tests assert these numbers, never a verdict, so fixing an experiment needs new bands and
   * no other test edit. Every quantity a predicate reads has a band. Derived by `npm run claims:bands`
   * (the reduced run over several seed sets and backends, widened; see scripts/claim-bands.mjs).
   */
  readonly bands: Readonly<Record<K, Band | DTypeBands>>;
  /** Where a predicate departs from the plan's: the measurement that justifies it. */
  readonly calibration?: string;
  /** The claim's central relation, drawn from a run's measurement on the report's claim card. */
  plot(measured: Readonly<Record<string, number>>, experiment: E): ClaimPlot;
  run(be: Backend, dtype: DType, experiment: E, ctx: ClaimContext): Promise<ClaimOutcome>;
}

/**
 * A paragraph written across lines of a template literal: every run of whitespace (line breaks and
 * indentation included) becomes one space, and the ends are trimmed. Claims' statements, rules and
 * calibration notes use it instead of strings joined with `+`.
 */
export function prose(strings: TemplateStringsArray, ...values: readonly unknown[]): string {
  return strings
    .reduce((text, s, i) => text + s + (i < values.length ? String(values[i]) : ''), '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Identity helper that keeps `E` and `K` (the banded quantities' names) inferred at the definition site. */
export function defineClaim<E extends ClaimExperiment, K extends string>(c: ClaimDef<E, K>): ClaimDef<E, K> {
  return c;
}

/** Least-squares slope of log(y) against log(x): the exponent of a power law y ∝ x^slope. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log),
    ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length,
    my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/**
 * The least of each timing in `timings` over `rounds` rounds, taking turns in ABBA order (round r in reverse when r is
 * odd): a slow spell of a shared machine then falls on every one alike, and no single spell decides a ratio. Each
 * timing runs its work once and returns its time (msPerCall, or one synced run).
 */
export async function fastestInterleaved(
  timings: ReadonlyArray<() => Promise<number>>,
  rounds: number,
): Promise<number[]> {
  if (!Number.isInteger(rounds) || rounds < 1 || timings.length === 0)
    throw new ArgumentError(
      `fastestInterleaved: needs timings and a whole number of rounds ≥ 1, got ${timings.length} timings and ${rounds} rounds`,
    );
  const best = timings.map(() => Infinity);
  for (let round = 0; round < rounds; round++) {
    const order = timings.map((_, i) => (round % 2 === 0 ? i : timings.length - 1 - i));
    for (const i of order) best[i] = Math.min(best[i], await timings[i]());
  }
  return best;
}

/**
 * Wall-clock milliseconds per call of `run` on the backend, for a claim's timed quantity: calls repeat
 * until `minMs` have passed, the backend synced every 4 calls and before the clock stops. A claim keeps
 * the fastest of several such batches, interleaved with what it is compared against.
 */
export async function msPerCall(be: Backend, run: () => Promise<unknown>, minMs: number): Promise<number> {
  await be.sync();
  const t0 = performance.now();
  let calls = 0;
  do {
    await run();
    if (++calls % 4 === 0) await be.sync();
  } while (performance.now() - t0 < minMs || calls % 4 !== 0);
  return (performance.now() - t0) / calls;
}
