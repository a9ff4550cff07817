/**
 * ClaimDef's quantity names are checked at compile time: a predicate reading a quantity by a name the
 * claim's bands do not declare is a type error. Compiled here with the TypeScript API, on a claim
 * written as a family would write it, once as is and once with the name misspelled.
 */
import ts from 'typescript';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const virtual = `${here}virtual-claim.ts`;

const claimReading = (name: string) => `
import { defineClaim } from './index.ts';
export const c = defineClaim({
  id: 'x/y/z', paper: 'S00', family: 'x', title: 't', statement: 's', paperNumbers: [],
  primitives: ['gemm'], dtypes: ['f64'],
  experiment: { full: { n: 2 }, standard: { n: 2 }, reduced: { n: 1 } },
  predicates: [{ name: 'p', rule: 'r', kind: 'identity', holds: (m) => m['${name}'] <= 1e-12 }],
  bands: { 'relative error': [0, 1e-12] },
  plot: () => ({ title: 't', x: { name: 'x' }, y: { name: 'y' }, series: [] }),
  async run() { return { measured: { 'relative error': 0 }, seeds: [0] }; },
});
`;

function diagnostics(source: string): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, ...rest) =>
    file === virtual ? ts.createSourceFile(file, source, lang) : read(file, lang, ...rest);
  const program = ts.createProgram([virtual], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === virtual)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('claim quantity names', () => {
  it('a predicate reading a banded quantity compiles', () => {
    expect(diagnostics(claimReading('relative error'))).toEqual([]);
  }, 60_000);

  it('a predicate reading a misspelled quantity does not compile, naming the banded ones', () => {
    const errors = diagnostics(claimReading('relative eror'));
    expect(errors.join('\n')).toMatch(/Property 'relative eror' does not exist .*'relative error'/);
  }, 60_000);
});
