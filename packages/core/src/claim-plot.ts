/**
 * The plot a claim declares beside its predicates: its central relation drawn from the quantities the
 * run measured (error against T on log-log axes, growth against the step size with the threshold
 * marked), so a reader sees the evidence rather than a list of numbers. The harness evaluates it on
 * each run's measurement and files the points with the record; the report draws them on the claim's card.
 */

export interface PlotAxis {
  readonly name: string;
  readonly log?: boolean;
  /** A categorical axis: point x values index these names (seeds, methods). */
  readonly categories?: readonly string[];
}

export interface PlotSeries {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [x: number, y: number]>;
  /** 'line' (default) joins the points; 'points' does not; 'reference' is a dashed guide (the paper's rate). */
  readonly style?: 'line' | 'points' | 'reference';
}

/** A threshold or the paper's value: a vertical line at x = at (axis 'x') or a horizontal one at y = at. */
export interface PlotMark {
  readonly axis: 'x' | 'y';
  readonly at: number;
  readonly label: string;
}

export interface ClaimPlot {
  readonly title: string;
  readonly x: PlotAxis;
  readonly y: PlotAxis;
  readonly series: readonly PlotSeries[];
  readonly marks?: readonly PlotMark[];
}

/**
 * The measured quantities whose key matches `pattern`, as points sorted by x: x from the pattern's
 * first capture group (a number in the key, e.g. /^sgd η·TrH\/2=(.+)$/), y the value.
 */
export function pointsFrom(
  m: Readonly<Record<string, number>>,
  pattern: RegExp,
  x: (match: RegExpMatchArray) => number = (g) => Number(g[1]),
): Array<[number, number]> {
  return Object.keys(m)
    .map((k) => [k.match(pattern), m[k]] as const)
    .filter((e): e is readonly [RegExpMatchArray, number] => e[0] !== null)
    .map(([g, v]): [number, number] => [x(g), v])
    .sort((a, b) => a[0] - b[0]);
}

/** One point per seed, x the seed's index in `seeds`, for keys `seed ${s}: ${what}` (the usual per-seed form). */
export function perSeed(
  m: Readonly<Record<string, number>>,
  seeds: readonly number[],
  key: (seed: number) => string,
): Array<[number, number]> {
  return seeds.map((s, i): [number, number] => [i, m[key(s)]]);
}

/** The categorical seed axis for `perSeed` points. */
export function seedAxis(seeds: readonly number[]): PlotAxis {
  return { name: 'seed', categories: seeds.map((s) => `seed ${s}`) };
}
