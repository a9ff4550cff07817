/**
 * Interleaved timing of several implementations of each case, for the anchor scripts: every case runs in rounds; a
 * round gives each implementation one slice of calls, in forward order on even rounds and reverse order on odd ones
 * (ABBA), so drift on a shared machine falls on all of them alike; a ratio is the median of the per-round ratios of
 * slice medians (against the first implementation), with its range over rounds.
 */
import { median } from '@lowrank/core';
import { cpus } from 'node:os';

/** One implementation of a case: `slice(reps)` runs it reps times and returns each call's ms. */
export interface Impl {
  impl: string;
  slice(reps: number): Promise<number[]>;
}

/** A slice from a function: reps calls, each timed. */
export const timed =
  (f: () => unknown) =>
  async (reps: number): Promise<number[]> => {
    const ms: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await f();
      ms.push(performance.now() - t0);
    }
    return ms;
  };

export interface Row {
  label: string;
  impl: string;
  /** Median over rounds of each round's slice median. */
  medianMs: number;
  /** This implementation's time over the first implementation's, per round: median, min, max. */
  overFirst: { median: number; min: number; max: number };
}

/** Times every case's implementations in `rounds` interleaved rounds of slices lasting about `sliceMs` each. */
export async function interleave(
  cases: ReadonlyMap<string, readonly Impl[]>,
  rounds: number,
  sliceMs: number,
  log: (line: string) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [label, impls] of cases) {
    // Reps per slice from one warm call each, so a slice lasts about sliceMs.
    const reps: number[] = [];
    for (const im of impls)
      reps.push(Math.max(1, Math.min(50, Math.round(sliceMs / Math.max(0.01, (await im.slice(1))[0])))));
    log(`${label}: ${rounds} rounds of ${impls.map((im, k) => `${im.impl} ×${reps[k]}`).join(', ')}`);
    const per: number[][] = impls.map(() => []);
    for (let r = 0; r < rounds; r++) {
      const order = impls.map((_, k) => k);
      if (r % 2 === 1) order.reverse();
      for (const k of order) per[k].push(median(await impls[k].slice(reps[k])));
    }
    impls.forEach((im, k) => {
      const ratios = per[k].map((t, r) => t / per[0][r]);
      rows.push({
        label,
        impl: im.impl,
        medianMs: median(per[k]),
        overFirst: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
      });
    });
  }
  return rows;
}

/** The rows as a table: case, implementation, median ms, time over the first implementation's [min–max]. */
export function formatRows(rows: readonly Row[], rounds: number, first: string): string {
  const head =
    `\n${rounds} interleaved rounds per case; ratio = that implementation's time / ${first}'s, median [min–max] over rounds\n` +
    `${'case'.padEnd(21)} ${'implementation'.padEnd(29)}  median ms   time / ${first}\n`;
  return (
    head +
    rows
      .map((r) => {
        const q = r.overFirst;
        return `${r.label.padEnd(21)} ${r.impl.padEnd(29)} ${r.medianMs.toFixed(r.medianMs < 1 ? 3 : 1).padStart(10)}   ${q.median.toFixed(2)} [${q.min.toFixed(2)}–${q.max.toFixed(2)}]\n`;
      })
      .join('')
  );
}

/** What a results file says of the machine and of our implementations beside its rows. */
export function machineOf(ours: ReadonlyArray<{ name: string; be: { info: { description: string } } }>) {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    date: new Date().toISOString(),
    ours: ours.map((o) => `${o.name}: ${o.be.info.description}`),
  };
}
