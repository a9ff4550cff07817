// LAPACK's dlarfg on host arrays: the reference backend's factorizations and ops.svd's completion share it.
/**
 * LAPACK dlarfg on x = buf[o, o + len): (I − τ·v·vᵀ)·x = β·e₁ with β = −sign(x₀)·‖x‖; v overwrites x
 * (v₀ = 1 written). τ = 0 and β = x₀ when x[1:] is already zero.
 */
export function householderVector(buf: Float64Array, o: number, len: number): { tau: number; beta: number } {
  let alpha = buf[o];
  const norm = () => {
    let s = 0;
    for (let i = 1; i < len; i++) s = Math.hypot(s, buf[o + i]);
    return s;
  };
  let xnorm = norm();
  if (xnorm === 0) return { tau: 0, beta: alpha };
  let beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  // dlarfg: while |β| < safmin, 1/(α − β) would overflow: scale x up by 1/safmin (at most 20 times,
  // as LAPACK does), compute the reflector there, and scale β back. τ and v are scale-invariant.
  let knt = 0;
  if (Math.abs(beta) < SAFMIN_F64) {
    do {
      knt++;
      for (let i = 1; i < len; i++) buf[o + i] /= SAFMIN_F64;
      beta /= SAFMIN_F64;
      alpha /= SAFMIN_F64;
    } while (Math.abs(beta) < SAFMIN_F64 && knt < 20);
    xnorm = norm();
    beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  const scale = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) buf[o + i] *= scale;
  buf[o] = 1;
  for (let j = 0; j < knt; j++) beta *= SAFMIN_F64;
  return { tau, beta };
}

/** LAPACK's safe minimum dlamch('S')/dlamch('E'): 1/SAFMIN does not overflow, nor do quotients by it. */
export const SAFMIN_F64 = 2.2250738585072014e-308 / 1.1102230246251565e-16;
