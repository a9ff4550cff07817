import { cdiv } from '../program.ts';

/** A 1-D dispatch of `n` invocations (workgroups of 256) folded into 2-D past the 65535 limit. */
export function grid1d(n: number): [number, number, number] {
  const groups = cdiv(n, 256);
  return groups <= 65535 ? [groups, 1, 1] : [65535, cdiv(groups, 65535), 1];
}

/**
 * The entry point of a `grid1d` dispatch: unfolds the 2-D grid into the flat invocation index `index`
 * and returns early past `bound` (the last workgroup is partial). The function body follows.
 */
export function entry1d(index: string, bound: string): string {
  return `@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let ${index} = g.x + g.y * nw.x * 256u;
  if (${index} >= ${bound}) { return; }`;
}
