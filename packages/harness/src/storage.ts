/**
 * File access for the harness (node:fs, which Deno provides too). Every write is atomic: the bytes go
 * to a temporary file in the target folder, which is then linked (never overwriting) or renamed into
 * place, so a crash or Ctrl-C never leaves a half-written golden or results file behind.
 */
import { link, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function listDir(path: string): Promise<string[]> {
  return (await readdir(path)).sort();
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
}

/**
 * Writes `data` to `path` atomically. With `overwrite: false` (the default) an existing file is never
 * replaced: the call fails with EEXIST instead (hard links are created atomically or not at all).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { overwrite?: boolean } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPath(path);
  try {
    await writeFile(tmp, data);
    if (opts.overwrite === true) {
      await rename(tmp, path);
      return;
    }
    await link(tmp, path);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** Streams are only needed for sha256; crypto.subtle exists in Node ≥ 19, Deno and browsers. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
