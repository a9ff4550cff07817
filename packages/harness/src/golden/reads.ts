// A golden entry checked against what its case declares it reads (core/case.ts GoldenReads), before
// the check runs: a user's manifest that lacks a param or an array, or gives one the wrong type, is a
// GoldenError naming the entry and the field instead of a TypeError deep inside the check.
import { GoldenError, type GoldenArrays, type GoldenEntry, type GoldenParamType, type GoldenReads, type HostTensor } from '@lowrank/core';

interface Field { name: string; optional: boolean }

function field(declared: string): Field {
  return declared.endsWith('?') ? { name: declared.slice(0, -1), optional: true } : { name: declared, optional: false };
}

function names(list: GoldenArrays, params: Readonly<Record<string, unknown>>): Field[] {
  return ('names' in list ? list.names(params) : list).map(field);
}

function hasType(v: unknown, t: GoldenParamType): boolean {
  switch (t) {
    case 'number': return typeof v === 'number';
    case 'integer': return Number.isInteger(v);
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'number[]': return Array.isArray(v) && v.every((x) => typeof x === 'number');
  }
}

/** Every way the entry differs from the declaration, one phrase each; empty when it conforms. */
export function readsProblems(reads: GoldenReads, entry: GoldenEntry): string[] {
  const problems: string[] = [];
  for (const [declared, type] of Object.entries(reads.params)) {
    const { name, optional } = field(declared);
    const v = entry.params[name];
    if (v === undefined) { if (!optional) problems.push(`params.${name} (${type}) is missing`); }
    else if (!hasType(v, type)) problems.push(`params.${name} should be ${type === 'integer' ? 'an integer' : `a ${type}`}, got ${JSON.stringify(v)}`);
  }
  if (problems.length > 0) return problems; // the array names may depend on the params
  for (const [kind, list] of [['inputs', reads.inputs], ['outputs', reads.outputs]] as const) {
    for (const { name, optional } of names(list, entry.params)) {
      if (entry[kind][name] === undefined && !optional) problems.push(`${kind}.${name} is missing`);
    }
  }
  return problems;
}

/** An object holding only `allowed` keys of `source`, whose every other property read throws: the check may read only what it declared. */
function declaredOnly<T>(source: Readonly<Record<string, T>>, allowed: ReadonlySet<string>, what: string, caseId: string): Record<string, T> {
  const kept = Object.fromEntries(Object.entries(source).filter(([k]) => allowed.has(k)));
  return new Proxy(kept, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !allowed.has(key) && !(key in Object.prototype) && key !== 'then' && key !== 'toJSON') {
        throw new GoldenError(`case ${caseId} read ${what}.${key}, which its golden declaration (verify.reads) does not list`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/**
 * The entry as the check may see it, or a GoldenError naming every field the entry lacks or mistypes.
 * `where` names the manifest and the entry in the message.
 */
export function conformingEntry(caseId: string, reads: GoldenReads, entry: GoldenEntry, where: string): GoldenEntry {
  const problems = readsProblems(reads, entry);
  if (problems.length > 0) throw new GoldenError(`${where}: entry '${entry.id}' does not have what case ${caseId} reads: ${problems.join('; ')}`);
  const params = new Set(Object.keys(reads.params).map((d) => field(d).name));
  const arrays = (list: GoldenArrays) => new Set(names(list, entry.params).map((f) => f.name));
  return {
    ...entry,
    params: declaredOnly(entry.params, params, 'params', caseId),
    inputs: declaredOnly<HostTensor>(entry.inputs, arrays(reads.inputs), 'inputs', caseId),
    outputs: declaredOnly<HostTensor>(entry.outputs, arrays(reads.outputs), 'outputs', caseId),
  };
}
