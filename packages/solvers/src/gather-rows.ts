import { hostTensor, ops, sparsePattern, type Backend, type DeviceTensor } from '@lowrank/core';

/**
 * A_S = S·A on the backend: the rows `rows` of A (n×k, repeats allowed, in the order given), as SpMM with a
 * selection matrix S (|rows|×n, one 1 per row) — a gather in |rows|·k reads, without bringing A to the host.
 */
export async function gatherRows(be: Backend, a: DeviceTensor, rows: readonly number[]): Promise<DeviceTensor> {
  const m = rows.length;
  const select = sparsePattern(
    m,
    a.shape[0],
    Array.from({ length: m }, (_, j) => j),
    rows,
  );
  const release = be.track();
  let out: DeviceTensor | undefined;
  try {
    const ones = await be.upload(hostTensor(a.dtype, [m], new Float64Array(m).fill(1)));
    out = await ops.spmm(be, select, ones, a);
    return out;
  } finally {
    release(out);
  }
}
