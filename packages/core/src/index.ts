export * from './dtype.ts';
export * from './errors.ts';
export * from './tensor.ts';
export * from './backend.ts';
export * from './primitives.ts';
export * as ops from './ops.ts';
export * from './rng/index.ts';
export * from './case.ts';
export * from './metrics.ts';
