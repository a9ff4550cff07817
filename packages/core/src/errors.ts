/**
 * Typed errors. Every failure a user can cause (a bad shape, a non-finite value where a kernel
 * forbids one, a corrupt file, a missing GPU) is one of these, with a message that names the
 * argument or file at fault. `code` is stable and machine-readable; the CLI maps it to exit codes.
 */
export type ErrorCode =
  | 'E_ARGUMENT'
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_NONFINITE'
  | 'E_UNSUPPORTED'
  | 'E_BACKEND_UNAVAILABLE'
  | 'E_DEVICE_LOST'
  | 'E_DEVICE'
  | 'E_NUMERICAL'
  | 'E_GOLDEN'
  | 'E_RESULTS'
  | 'E_DISPOSED'
  | 'E_INTERRUPTED'
  | 'E_CLAIM';

export class LowrankError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An argument is out of its domain (negative size, unknown option, NaN alpha…). */
export class ArgumentError extends LowrankError {
  constructor(message: string) {
    super('E_ARGUMENT', message);
  }
}

/** Operand shapes do not conform. */
export class ShapeError extends LowrankError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** Operands have mixed or unsupported dtypes. */
export class DTypeError extends LowrankError {
  constructor(message: string) {
    super('E_DTYPE', message);
  }
}

/** A NaN or ±Inf reached a kernel or algorithm that forbids them. */
export class NonFiniteError extends LowrankError {
  constructor(message: string) {
    super('E_NONFINITE', message);
  }
}

/** The backend has no kernel for this primitive and dtype (see its capability table). */
export class UnsupportedError extends LowrankError {
  constructor(message: string) {
    super('E_UNSUPPORTED', message);
  }
}

/** A backend cannot start here (no GPU adapter, no WASM SIMD…). */
export class BackendUnavailableError extends LowrankError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_BACKEND_UNAVAILABLE', message, options);
  }
}

/** A GPU device was lost mid-run. */
export class DeviceLostError extends LowrankError {
  constructor(message: string) {
    super('E_DEVICE_LOST', message);
  }
}

/** A golden manifest or array is unreadable, fails its schema or its sha256. */
export class GoldenError extends LowrankError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_GOLDEN', message, options);
  }
}

/** A results file is unreadable, fails its schema, or cannot be written. */
export class ResultsError extends LowrankError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_RESULTS', message, options);
  }
}

/** A device tensor was used after `dispose`. */
export class DisposedError extends LowrankError {
  constructor(message: string) {
    super('E_DISPOSED', message);
  }
}

/**
 * The device reported an error while running a kernel: a GPU's validation error or out of memory, or a WASM
 * worker thread that stopped answering inside a kernel.
 */
export class DeviceError extends LowrankError {
  constructor(message: string) {
    super('E_DEVICE', message);
  }
}

/**
 * The input is numerically unfit for the operation: not positive definite for Cholesky, singular for
 * a solve. The message names the failing pivot.
 */
export class NumericalError extends LowrankError {
  constructor(message: string) {
    super('E_NUMERICAL', message);
  }
}

/** The run was interrupted (SIGINT, SIGTERM): raised at the next kernel call, so work stops within ~50 ms. */
export class InterruptedError extends LowrankError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_INTERRUPTED', message, options);
  }
}
