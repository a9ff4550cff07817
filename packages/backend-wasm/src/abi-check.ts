// Load-time check of a compiled kernel module against the declared ABI (abi.ts). The JavaScript API
// tells only an export's parameter count, so this reads the module's own type, import, function and
// export sections (WebAssembly core spec §5.5) to get each exported function's full signature.
import { BackendUnavailableError } from '@lowrank/core';
import { ABI, declaredSignatures, type Signature } from './abi.ts';

const VALTYPE: Record<number, string> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

/** A cursor over the module bytes; every read checks the bounds, so a corrupt module is an error, not a hang. */
class Reader {
  pos = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly end = bytes.length,
  ) {}
  byte(): number {
    if (this.pos >= this.end) throw new Error(`unexpected end at byte ${this.pos}`);
    return this.bytes[this.pos++];
  }
  u32(): number {
    let result = 0,
      shift = 0,
      b: number;
    do {
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (shift > 35) throw new Error(`LEB128 too long at byte ${this.pos}`);
    } while (b & 0x80);
    return result;
  }
  skip(n: number): void {
    if (this.pos + n > this.end) throw new Error(`unexpected end at byte ${this.pos}`);
    this.pos += n;
  }
  name(): string {
    const n = this.u32();
    const start = this.pos;
    this.skip(n);
    return new TextDecoder().decode(this.bytes.subarray(start, start + n));
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/** Each exported function's signature, rendered as "(i32, f64) -> i32" ("-> void" for no result). */
export function exportedSignatures(bytes: Uint8Array): Map<string, string> {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d)
    throw new Error('not a WebAssembly module');
  const r = new Reader(bytes);
  r.pos = 8;
  const types: string[] = [];
  const funcTypes: number[] = []; // function index → type index; imported functions first
  const exports = new Map<string, number>();
  while (r.pos < bytes.length) {
    const id = r.byte(),
      size = r.u32(),
      end = r.pos + size;
    if (end > bytes.length) throw new Error(`section ${id} runs past the end of the module`);
    const s = new Reader(bytes, end);
    s.pos = r.pos;
    if (id === 1) {
      for (let i = 0, n = s.u32(); i < n; i++) {
        if (s.byte() !== 0x60) throw new Error('type section: expected a function type');
        const params = Array.from({ length: s.u32() }, () => VALTYPE[s.byte()] ?? '?');
        const results = Array.from({ length: s.u32() }, () => VALTYPE[s.byte()] ?? '?');
        types.push(`(${params.join(', ')}) -> ${results.length === 0 ? 'void' : results.join(', ')}`);
      }
    } else if (id === 2) {
      for (let i = 0, n = s.u32(); i < n; i++) {
        s.name();
        s.name();
        const kind = s.byte();
        if (kind === 0) funcTypes.push(s.u32());
        else if (kind === 1) {
          s.byte();
          s.limits();
        } else if (kind === 2) s.limits();
        else if (kind === 3) {
          s.byte();
          s.byte();
        } else throw new Error(`import section: unknown kind ${kind}`);
      }
    } else if (id === 3) {
      for (let i = 0, n = s.u32(); i < n; i++) funcTypes.push(s.u32());
    } else if (id === 7) {
      for (let i = 0, n = s.u32(); i < n; i++) {
        const name = s.name(),
          kind = s.byte(),
          index = s.u32();
        if (kind === 0) exports.set(name, index);
      }
    }
    r.pos = end;
  }
  const out = new Map<string, string>();
  for (const [name, index] of exports) out.set(name, types[funcTypes[index]] ?? '?');
  return out;
}

/** Every difference between the module's exported functions and the table, one line each; empty when they agree. */
export function abiMismatches(bytes: Uint8Array, table: Record<string, Signature> = ABI): string[] {
  const declared = declaredSignatures(table);
  const actual = exportedSignatures(bytes);
  const problems: string[] = [];
  for (const [name, sig] of declared) {
    const got = actual.get(name);
    if (got === undefined) problems.push(`${name}: declared ${sig}, missing from the module`);
    else if (got !== sig) problems.push(`${name}: declared ${sig}, module has ${got}`);
  }
  for (const [name, sig] of actual)
    if (!declared.has(name)) problems.push(`${name}: exported as ${sig}, not declared in abi.ts`);
  return problems;
}

/** Refuses a module whose exports differ from the declared ABI, naming each difference. */
export function checkAbi(bytes: Uint8Array, variant: string): void {
  let problems: string[];
  try {
    problems = abiMismatches(bytes);
  } catch (e) {
    throw new BackendUnavailableError(`wasm: cannot read ${variant}: ${(e as Error).message}`, { cause: e });
  }
  if (problems.length > 0) {
    throw new BackendUnavailableError(
      `wasm: ${variant} does not match the kernel ABI in abi.ts (rebuild with 'npm run build'):\n  ${problems.join('\n  ')}`,
    );
  }
}
