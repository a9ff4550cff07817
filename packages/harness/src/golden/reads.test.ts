import { GoldenError, hostTensor, type GoldenEntry, type GoldenReads } from '@lowrank/core';
import { describe, expect, it } from 'vitest';
import { conformingEntry, readsProblems } from './reads.ts';

const t = () => hostTensor('f64', [1], [1]);
const entry = (params: Record<string, unknown>, inputs: string[], outputs: string[]): GoldenEntry => ({
  id: 'e1', params, dtypes: ['f64'],
  inputs: Object.fromEntries(inputs.map((n) => [n, t()])),
  outputs: Object.fromEntries(outputs.map((n) => [n, t()])),
});
const READS: GoldenReads = {
  params: { m: 'integer', alpha: 'number', trans: 'boolean', 'op?': 'string', ranks: 'number[]' },
  inputs: ['a', 'c?'],
  outputs: { names: (p) => (p.ranks as number[]).map((r) => `err_r${r}`), doc: 'err_r{r} per rank' },
};
const GOOD = { m: 3, alpha: 0.5, trans: false, ranks: [1, 2] };

describe('golden entries against what the case reads', () => {
  it('accepts a conforming entry, with optional fields absent and extra ones ignored', () => {
    expect(readsProblems(READS, entry({ ...GOOD, note: 'x' }, ['a', 'b'], ['err_r1', 'err_r2']))).toEqual([]);
  });

  it('names every missing or mistyped param, then every missing array (names computed from the params)', () => {
    expect(readsProblems(READS, entry({ m: 2.5, alpha: '1', ranks: [1] }, [], []))).toEqual([
      'params.m should be an integer, got 2.5', 'params.alpha should be a number, got "1"', 'params.trans (boolean) is missing',
    ]);
    expect(readsProblems(READS, entry({ ...GOOD, op: 3 }, ['a'], ['err_r1', 'err_r2']))).toEqual(['params.op should be a string, got 3']);
    expect(readsProblems(READS, entry(GOOD, [], ['err_r1']))).toEqual(['inputs.a is missing', 'outputs.err_r2 is missing']);
  });

  it('raises a GoldenError naming the manifest, entry and case; the check sees only declared fields', () => {
    expect(() => conformingEntry('fam/case', READS, entry(GOOD, ['a'], []), 'g/manifest.json')).toThrow(GoldenError);
    expect(() => conformingEntry('fam/case', READS, entry(GOOD, ['a'], []), 'g/manifest.json'))
      .toThrow("g/manifest.json: entry 'e1' does not have what case fam/case reads: outputs.err_r1 is missing; outputs.err_r2 is missing");
    const seen = conformingEntry('fam/case', READS, entry({ ...GOOD, note: 'x' }, ['a', 'b'], ['err_r1', 'err_r2']), 'g');
    expect(seen.params.m).toBe(3);
    expect({ ...seen.params }).toEqual(GOOD);
    expect(seen.inputs.c).toBeUndefined(); // declared optional: absent is fine
    expect(() => seen.params.note).toThrow(/case fam\/case read params\.note, which its golden declaration \(verify\.reads\) does not list/);
    expect(() => seen.inputs.b).toThrow(/read inputs\.b/);
  });
});
