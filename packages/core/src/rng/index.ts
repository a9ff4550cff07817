export * from './philox.ts';
export * from './detmath.ts';
export * from './stream.ts';
