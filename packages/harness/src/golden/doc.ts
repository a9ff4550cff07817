// golden/CASES.md, written from the cases' own declarations (verify.reads), so the page a golden author
// reads cannot drift from what the checks read: `npm run golden:doc` writes it, a test compares.
import type { CaseDef, GoldenArrays } from '@lowrank/core';

function arrays(list: GoldenArrays): string {
  if ('names' in list) return list.doc;
  return list.length === 0 ? '—' : list.map((n) => `\`${n}\``).join(', ');
}

/** One section per golden folder, naming the cases it serves and, per case, what the check reads. */
export function goldenCasesMarkdown(cases: readonly CaseDef[]): string {
  const byFolder = new Map<string, CaseDef[]>();
  for (const c of cases) if (c.verify !== undefined) byFolder.set(c.verify.golden, [...(byFolder.get(c.verify.golden) ?? []), c]);
  const lines = [
    '# What each case reads from its golden',
    '',
    'Generated from each case\'s `verify.reads` by `npm run golden:doc`; a test fails when this page and the',
    'code disagree. `lowrank verify` checks every entry against this before the check runs: a missing or',
    'mistyped field is a golden error naming it. `name?` marks a field an entry may omit. Arrays are float64',
    '(see README.md for the manifest format); index arrays hold integers stored as float64.',
    '',
  ];
  for (const folder of [...byFolder.keys()].sort()) {
    const served = byFolder.get(folder) as CaseDef[];
    lines.push(`## \`${folder}\``, '');
    if (served.length > 1) lines.push(`Serves ${served.map((c) => `\`${c.id}\``).join(', ')}.`, '');
    lines.push('| case | params | inputs | outputs | conventions |', '|---|---|---|---|---|');
    for (const c of served) {
      const r = c.verify!.reads;
      const params = Object.entries(r.params).map(([n, t]) => `\`${n}\`: ${t}`).join(', ') || '—';
      lines.push(`| \`${c.id}\` | ${params} | ${arrays(r.inputs)} | ${arrays(r.outputs)} | ${(r.conventions ?? '').replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
