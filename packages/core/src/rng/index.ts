export * from './philox.ts';
export * from './detmath.ts';
export * from './stream.ts';
export * from './reader.ts';
