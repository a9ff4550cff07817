import { z } from 'zod';

/** Goldens are written by scripts/golden/*.py; this schema is exported to golden/schema.json for other writers. */
export const GOLDEN_SCHEMA_VERSION = 1;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
const Shape = z.array(z.number().int().nonnegative());

/** How a generated input is drawn: element i = round(draw_i · scale + shift) from stream (seed, stream) at offset + i. */
export const Recipe = z.object({
  dist: z.enum(['uniform', 'normal']),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  stream: z.number().int().nonnegative().max(2 ** 32 - 1),
  offset: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  scale: z.number(),
  shift: z.number(),
  round: z.enum(['f16', 'f32', 'f64']),
}).strict();

/** float64 little-endian values at byte `offset` of the data file. */
export const StoredArray = z.object({ shape: Shape, offset: z.number().int().nonnegative(), sha256: Sha256 }).strict();
export const GeneratedArray = z.object({ shape: Shape, generated: Recipe, sha256: Sha256 }).strict();

export const GoldenEntrySchema = z.object({
  id: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
  dtypes: z.array(z.enum(['f16', 'f32', 'f64'])).min(1),
  inputs: z.record(z.string(), z.union([StoredArray, GeneratedArray])),
  outputs: z.record(z.string(), StoredArray),
}).strict();

export const GoldenManifest = z.object({
  schemaVersion: z.literal(GOLDEN_SCHEMA_VERSION),
  family: z.string().min(1),
  case: z.string().min(1),
  description: z.string(),
  generator: z.object({
    script: z.string(),
    python: z.string(),
    numpy: z.string(),
    scipy: z.string(),
    blas: z.string(),
  }).loose(),
  created: z.string(),
  dataFile: z.string().regex(/^[\w.-]+$/, 'a file name in the same folder'),
  dataBytes: z.number().int().nonnegative(),
  entries: z.array(GoldenEntrySchema).min(1, 'a golden needs at least one entry (an empty list would verify nothing)'),
}).strict();
export type GoldenManifest = z.infer<typeof GoldenManifest>;

/** The manifest schema as JSON Schema (draft 2020-12), as committed in golden/schema.json. */
export function goldenJsonSchema(): unknown {
  return {
    ...z.toJSONSchema(GoldenManifest),
    title: 'lowrank-bench golden manifest',
    description: 'One case: entries of inputs (stored or regenerated from the PRNG) and expected outputs; arrays are float64 little-endian in dataFile.',
  };
}
