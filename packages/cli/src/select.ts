/**
 * What a command runs: the cases and claims its --family, --paper and --filter select. A filter that
 * selects nothing is a usage error naming the closest names, raised before anything runs, so a
 * mistyped filter never produces an empty results file.
 */
import { ArgumentError, type CaseDef, type ClaimDef } from '@lowrank/core';
import { benchKeys, globToRegExp } from '@lowrank/harness';
import type { CliOptions } from './args.ts';
import { ALL_CASES, ALL_CLAIMS } from './cases.ts';

export interface Selection {
  cases: CaseDef[];
  claims: ClaimDef[];
  /** Lines for the log: what a filter left out (claims none of which matched, say). */
  notes: string[];
}

/** Edit distance, for suggesting names close to a filter that matched nothing. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** The names nearest to `query`: those containing its words first, then by edit distance of the last path part. */
export function closestNames(names: readonly string[], query: string, count = 5): string[] {
  const q = query.replace(/[*?]/g, '').toLowerCase();
  const score = (n: string) => {
    const lower = n.toLowerCase();
    const tail = lower.slice(lower.lastIndexOf('/') + 1);
    return (q !== '' && lower.includes(q) ? 0 : 1000) + Math.min(distance(q, tail), distance(q, lower));
  };
  return [...new Set(names)].sort((a, b) => score(a) - score(b) || a.localeCompare(b)).slice(0, count);
}

export function select(o: CliOptions): Selection {
  const byFamily = <T extends { family: string }>(xs: readonly T[]) => xs.filter((x) => o.families === undefined || o.families.includes(x.family));
  let cases = byFamily(ALL_CASES);
  let claims = byFamily(ALL_CLAIMS).filter((c) => o.papers === undefined || o.papers.includes(c.paper));
  const notes: string[] = [];
  if (o.filter !== undefined) {
    const re = globToRegExp(o.filter);
    const keys = benchKeys(cases, o.sizes);
    const benchMatches = keys.some((k) => re.test(k) || re.test(k.split(' ')[0]));
    const measuring = o.command === 'bench' || o.command === 'run' || o.command === 'verify';
    if (measuring && !benchMatches && !cases.some((c) => re.test(c.id))) {
      const near = closestNames(cases.map((c) => c.id), o.filter);
      throw new ArgumentError(`--filter '${o.filter}' matches no benchmark or case (names are 'case-id params', e.g. '${keys[0] ?? 'primitives/gemm n=256'}'); closest: ${near.join(', ')}${/[*?]/.test(o.filter) ? '' : ` — try --filter '*${o.filter}*'`}`);
    }
    cases = cases.filter((c) => re.test(c.id) || benchKeys([c], o.sizes).some((k) => re.test(k)));
    const matching = claims.filter((c) => re.test(c.id) || re.test(c.paper));
    if (o.command === 'claims' && matching.length === 0) {
      throw new ArgumentError(`--filter '${o.filter}' matches no claim; closest: ${closestNames(claims.map((c) => c.id), o.filter).join(', ')}`);
    }
    if (o.command === 'run' && matching.length === 0) notes.push(`claims: none matches --filter '${o.filter}'; skipped`);
    claims = matching;
  }
  return { cases, claims, notes };
}
