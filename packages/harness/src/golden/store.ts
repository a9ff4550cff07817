import { fillRandom, GoldenError, hostTensor, roundToF16, type GoldenEntry, type HostTensor } from '@lowrank/core';
import { join } from 'node:path';
import type { z } from 'zod';
import { readBytes, readText, sha256Hex } from '../storage.ts';
import { GoldenManifest, type GeneratedArray, type StoredArray } from './schema.ts';

export interface LoadedGolden {
  readonly manifest: GoldenManifest;
  readonly entries: readonly GoldenEntry[];
}

/** zod issues as one line each: `entries[3].inputs.a.sha256: a lowercase hex sha256`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ')
    + (issues.length > 5 ? `; and ${issues.length - 5} more` : '');
}

function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function f64le(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

function toBytesLE(values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return out;
}

/** The largest array a golden may hold or generate (2^25 float64 values, 256 MiB), checked before allocating. */
export const MAX_GOLDEN_ELEMENTS = 2 ** 25;

/** Regenerates a PRNG input exactly as scripts/golden/golden_store.py `generated` drew it. */
export function regenerate(spec: z.infer<typeof GeneratedArray>): Float64Array {
  const r = spec.generated;
  const n = sizeOfShape(spec.shape);
  if (!(n <= MAX_GOLDEN_ELEMENTS)) throw new GoldenError(`a generated input of shape [${spec.shape.join(', ')}] has ${n} elements, over the limit ${MAX_GOLDEN_ELEMENTS}`);
  const draws = fillRandom({ seed: r.seed, stream: r.stream }, r.dist, 'f64', n, r.offset);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draws[i] * r.scale + r.shift;
  if (r.round === 'f16') return out.map(roundToF16);
  return r.round === 'f32' ? Float64Array.from(Float32Array.from(out)) : out;
}

/**
 * Reads a golden case folder: validates the manifest against its schema, checks the data file's size
 * and every array's sha256, and regenerates PRNG inputs (whose sha256 then proves that this build's
 * generator agrees with the Python one). Any problem is a `GoldenError` naming the file and the array.
 */
export async function loadGolden(root: string, name: string): Promise<LoadedGolden> {
  const dir = join(root, name);
  const manifestPath = join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readText(manifestPath));
  } catch (cause) {
    throw new GoldenError(`${manifestPath}: unreadable golden manifest (${(cause as Error).message})`, { cause });
  }
  const parsed = GoldenManifest.safeParse(raw);
  if (!parsed.success) throw new GoldenError(`${manifestPath}: does not match the golden schema: ${formatIssues(parsed.error.issues)}`);
  const manifest = parsed.data;
  const dataPath = join(dir, manifest.dataFile);
  let data: Uint8Array;
  try {
    data = await readBytes(dataPath);
  } catch (cause) {
    throw new GoldenError(`${dataPath}: cannot read golden data (${(cause as Error).message})`, { cause });
  }
  if (data.byteLength !== manifest.dataBytes) {
    throw new GoldenError(`${dataPath}: has ${data.byteLength} bytes but the manifest says ${manifest.dataBytes} (truncated or replaced?)`);
  }

  const read = async (where: string, spec: z.infer<typeof StoredArray> | z.infer<typeof GeneratedArray>): Promise<HostTensor> => {
    let values: Float64Array;
    if (!(sizeOfShape(spec.shape) <= MAX_GOLDEN_ELEMENTS)) {
      throw new GoldenError(`${manifestPath}: ${where} has shape [${spec.shape.join(', ')}], ${sizeOfShape(spec.shape)} elements, over the limit ${MAX_GOLDEN_ELEMENTS}`);
    }
    if ('generated' in spec) {
      values = regenerate(spec);
      if (await sha256Hex(toBytesLE(values)) !== spec.sha256) {
        throw new GoldenError(`${manifestPath}: ${where} regenerated from seed ${spec.generated.seed} does not match its sha256: the PRNG disagrees with the golden generator`);
      }
    } else {
      const bytes = sizeOfShape(spec.shape) * 8;
      if (spec.offset % 8 !== 0) throw new GoldenError(`${manifestPath}: ${where} is misaligned: offset ${spec.offset} is not a multiple of 8 (float64 values)`);
      if (spec.offset + bytes > data.byteLength) {
        throw new GoldenError(`${dataPath}: ${where} lies outside the data file (offset ${spec.offset}, ${bytes} bytes, file ${data.byteLength})`);
      }
      const slice = data.subarray(spec.offset, spec.offset + bytes);
      if (await sha256Hex(slice) !== spec.sha256) throw new GoldenError(`${dataPath}: ${where} fails its sha256 (corrupt golden data)`);
      values = f64le(slice);
    }
    return hostTensor('f64', spec.shape, values);
  };

  const entries: GoldenEntry[] = [];
  for (const e of manifest.entries) {
    const inputs: Record<string, HostTensor> = {};
    const outputs: Record<string, HostTensor> = {};
    for (const [k, spec] of Object.entries(e.inputs)) inputs[k] = await read(`entry ${e.id} input ${k}`, spec);
    for (const [k, spec] of Object.entries(e.outputs)) outputs[k] = await read(`entry ${e.id} output ${k}`, spec);
    entries.push({ id: e.id, params: e.params, dtypes: e.dtypes, inputs, outputs });
  }
  return { manifest, entries };
}
