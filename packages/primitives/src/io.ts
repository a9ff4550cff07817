import { castTensor, EPSILON, type Backend, type DeviceTensor, type DType, type HostTensor } from '@lowrank/core';

/** Uploads a float64 golden tensor in the dtype under test. */
export function put(be: Backend, dtype: DType, t: HostTensor): Promise<DeviceTensor> {
  return be.upload(castTensor(t, dtype));
}

/** Downloads and widens to float64 for comparison. */
export async function get(be: Backend, t: DeviceTensor): Promise<Float64Array> {
  return Float64Array.from((await be.download(t)).data);
}

/** ε of the dtype the backend actually computes `dtype` in. */
export function epsFor(be: Backend, dtype: DType): number {
  return EPSILON[be.info.computeDType[dtype]];
}

export function num(params: Readonly<Record<string, unknown>>, key: string): number {
  return params[key] as number;
}
