// Addressing in row-major matrices, for every kernel.

/** Byte offset of element (i, j) of a row-major matrix with leading dimension ld. */
// @ts-ignore: decorator
@inline export function at<T>(base: usize, i: i32, j: i32, ld: i32): usize {
  return base + (<usize>i * ld + j) * sizeof<T>();
}
