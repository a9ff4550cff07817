/**
 * What a command runs: the cases and claims its --family, --paper, --case and --filter select. A filter that
 * selects nothing is a usage error naming the closest names, raised before anything runs, so a
 * mistyped filter never produces an empty results file.
 */
import { ArgumentError, type CaseDef, type ClaimDef } from '@lowrank/core';
import { benchKeys, globToRegExp } from '@lowrank/harness';
import type { CliOptions } from './args.ts';
import { ALL_CASES, ALL_CLAIMS } from './cases.ts';
import { closestNames } from './names.ts';

export interface Selection {
  cases: CaseDef[];
  claims: ClaimDef[];
  /** Lines for the log: what a filter left out (claims none of which matched, say). */
  notes: string[];
}

const byFamily = <T extends { family: string }>(xs: readonly T[], o: CliOptions) =>
  xs.filter((x) => o.families === undefined || o.families.includes(x.family));

/** The cases --family, --paper and --case select from `cases` (this build's, or another build's for --interleave). */
export function selectCases(cases: readonly CaseDef[], o: CliOptions): CaseDef[] {
  return byFamily(cases, o).filter(
    (c) =>
      (o.papers === undefined || (c.paper !== undefined && o.papers.includes(c.paper))) &&
      (o.caseIds === undefined || o.caseIds.includes(c.id)),
  );
}

export function select(o: CliOptions): Selection {
  let cases = selectCases(ALL_CASES, o);
  let claims = byFamily(ALL_CLAIMS, o).filter((c) => o.papers === undefined || o.papers.includes(c.paper));
  const notes: string[] = [];
  if (o.filter !== undefined) {
    const re = globToRegExp(o.filter);
    const keys = benchKeys(cases, o.sizes);
    const measuring = o.command === 'bench' || o.command === 'run' || o.command === 'verify';
    if (measuring && !keys.some((k) => re.test(k)) && !cases.some((c) => re.test(c.id))) {
      const near = closestNames(
        cases.map((c) => c.id),
        o.filter,
      );
      throw new ArgumentError(
        `--filter '${o.filter}' matches no benchmark or case (names are 'case-id params', e.g. '${keys[0] ?? 'primitives/gemm n=256'}'); closest: ${near.join(', ')}${/[*?]/.test(o.filter) ? '' : ` — try --filter '*${o.filter}*'`}`,
      );
    }
    cases = cases.filter((c) => re.test(c.id) || benchKeys([c], o.sizes).some((k) => re.test(k)));
    const matching = claims.filter((c) => re.test(c.id) || re.test(c.paper));
    if (o.command === 'claims' && matching.length === 0) {
      throw new ArgumentError(
        `--filter '${o.filter}' matches no claim; closest: ${closestNames(
          claims.map((c) => c.id),
          o.filter,
        ).join(', ')}`,
      );
    }
    if (o.command === 'run' && matching.length === 0)
      notes.push(`claims: none matches --filter '${o.filter}'; skipped`);
    claims = matching;
  }
  return { cases, claims, notes };
}
