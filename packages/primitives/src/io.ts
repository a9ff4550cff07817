import { computeEps, getF64, putAs } from '@lowrank/core';

/** The case helpers of @lowrank/core under the short names the primitive cases use. */
export const put = putAs;
export const get = getF64;
export const epsFor = computeEps;

export function num(params: Readonly<Record<string, unknown>>, key: string): number {
  return params[key] as number;
}
