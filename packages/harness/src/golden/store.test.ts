import { GoldenError } from '@lowrank/core';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goldenJsonSchema } from './schema.ts';
import { loadGolden } from './store.ts';

const GOLDEN = fileURLToPath(new URL('../../../../golden', import.meta.url));

describe('golden store', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'golden-'));
    await cp(join(GOLDEN, 'primitives', 'dot'), join(root, 'primitives', 'dot'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  const manifestPath = () => join(root, 'primitives', 'dot', 'manifest.json');
  const edit = async (f: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(await readFile(manifestPath(), 'utf8'));
    f(m);
    await writeFile(manifestPath(), JSON.stringify(m));
  };

  it('loads a committed golden, regenerating its PRNG inputs bit for bit', async () => {
    const g = await loadGolden(root, 'primitives/dot');
    expect(g.entries.filter((e) => e.dtypes.includes('f32')).length).toBe(8);
    expect(g.entries.filter((e) => e.dtypes.includes('f16')).length).toBe(2);
    expect(g.entries[3].inputs.x.shape).toEqual([17]);
    expect(g.manifest.generator.executable).toBe('/usr/bin/python3');
  });

  it('reports bad JSON, a schema mismatch and a missing folder by file name', async () => {
    await expect(loadGolden(root, 'primitives/nothing')).rejects.toThrow(/nothing\/manifest.json: unreadable golden manifest/);
    await writeFile(manifestPath(), '{"schemaVersion": 1, ');
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(GoldenError);
    await writeFile(manifestPath(), JSON.stringify({ schemaVersion: 1, family: 'x' }));
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/does not match the golden schema: case: /);
  });

  it('detects a wrong sha256, a truncated data file and a regenerated input that disagrees', async () => {
    const dataPath = join(root, 'primitives', 'dot', 'data.bin');
    const bytes = await readFile(dataPath);
    bytes[9] ^= 1;
    await writeFile(dataPath, bytes);
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/output value fails its sha256/);
    await writeFile(dataPath, bytes.subarray(0, 16));
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/has 16 bytes but the manifest says 80/);
    bytes[9] ^= 1;
    await writeFile(dataPath, bytes);
    await edit((m) => { m.entries[2].inputs.x.generated.seed += 1; });
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/entry n3 input x regenerated from seed .* does not match its sha256/);
  });

  it('rejects stored arrays that point outside the data file', async () => {
    await edit((m) => { m.entries[1].outputs.value.offset = 4096; });
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/lies outside the data file/);
  });

  it('names a misaligned offset, a shape of strings, an empty entry list and an oversized array', async () => {
    await edit((m) => { m.entries[1].outputs.value.offset = 4; });
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/entry .* output value is misaligned: offset 4 is not a multiple of 8/);
    await edit((m) => { m.entries[1].outputs.value.offset = 0; m.entries[1].outputs.value.shape = ['3']; });
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/entries\.1\.outputs\.value\.shape\.0: /);
    await edit((m) => { m.entries = []; });
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/entries: a golden needs at least one entry/);
    await cp(join(GOLDEN, 'primitives', 'dot'), join(root, 'primitives', 'dot'), { recursive: true });
    await edit((m) => { m.entries[2].inputs.x.shape = [10000, 10000]; });
    const t0 = performance.now();
    await expect(loadGolden(root, 'primitives/dot')).rejects.toThrow(/has shape \[10000, 10000\], 100000000 elements, over the limit/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('golden/schema.json is the exported zod schema', async () => {
    const committed = JSON.parse(await readFile(join(GOLDEN, 'schema.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(goldenJsonSchema())));
  });
});
