// Node built-ins the harness imports, for the browser runner: an import map in index.html points
// each node:* specifier here. Reads go through fetch (the suite is served from the repository root);
// nothing in the browser path writes files or spawns processes, so those entry points refuse loudly.
const refuse = (what) => () => {
  throw new Error(`${what} is not available in the browser runner`);
};

export async function readFile(path, encoding) {
  const response = await fetch(String(path));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return encoding === undefined ? new Uint8Array(await response.arrayBuffer()) : response.text();
}
export const writeFile = refuse('writeFile'),
  link = refuse('link'),
  rename = refuse('rename'),
  unlink = refuse('unlink');
export const mkdir = refuse('mkdir'),
  copyFile = refuse('copyFile'),
  readdir = refuse('readdir'),
  mkdtempSync = refuse('mkdtempSync');
export async function stat(path) {
  const response = await fetch(String(path), { method: 'HEAD' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return { isFile: () => true, isDirectory: () => false };
}
export const join = (...parts) =>
  parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/+/g, '/');
export const dirname = (p) => p.slice(0, Math.max(0, p.lastIndexOf('/')));
export const basename = (p) => p.slice(p.lastIndexOf('/') + 1);
export const resolve = (p) => p;
export const sep = '/';
export const fileURLToPath = (u) => new URL(String(u)).pathname;
export const pathToFileURL = (p) => new URL(p, location.href);
export const createRequire = () => ({ resolve: refuse('require.resolve') });
export const spawnSync = refuse('spawnSync'),
  execFileSync = refuse('execFileSync');
const cores = navigator.hardwareConcurrency || 1;
export const cpus = () => Array.from({ length: cores }, () => ({ model: 'browser', speed: 0 }));
export const totalmem = () => (navigator.deviceMemory || 0) * 2 ** 30;
export const freemem = () => 0;
export const platform = () => 'browser';
export const arch = () => 'unknown';
export const release = () => navigator.userAgent;
export const hostname = () => location.hostname;
export const loadavg = () => [0, 0, 0];
export const tmpdir = () => '/tmp';
export const availableParallelism = () => cores;
export class Worker {
  constructor() {
    refuse('worker_threads')();
  }
}
export default {
  readFile,
  writeFile,
  stat,
  join,
  cpus,
  totalmem,
  freemem,
  platform,
  arch,
  release,
  hostname,
  loadavg,
  tmpdir,
  availableParallelism,
};
