/**
 * WGSL pieces the Householder kernels share (qr's panel, syev's reflector and its QL pass), for one workgroup
 * of 256 invocations: workgroup sums, a scaled norm and LAPACK's dlarfg. The factorizations themselves run
 * over many workgroups as passes of command buffers (blocked-factor.ts, jacobi.ts).
 */

/**
 * Workgroup reductions over a 256-slot scratch: every invocation passes its partial value and gets the
 * total (a barrier first, so an earlier reduction's result has been read by all). `scaledNorm` is
 * ‖W[x + first .. x + end)‖ without overflow or underflow: max first, then the sum of squares of x/max;
 * `householder` the reflector QR and the tridiagonalization share.
 */
export const HOUSEHOLDER = /* wgsl */ `
var<workgroup> partial: array<f32, 256>;
fn workgroupSum(v: f32, li: u32) -> f32 {
  workgroupBarrier();
  partial[li] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) { if (li < s) { partial[li] = partial[li] + partial[li + s]; } workgroupBarrier(); }
  return workgroupUniformLoad(&partial[0]);
}
fn scaledNorm(x: u32, first: u32, end: u32, li: u32) -> f32 {
  var big = 0.0;
  for (var i = first + li; i < end; i += 256u) { big = max(big, abs(W[x + i])); }
  workgroupBarrier();
  partial[li] = big;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) { if (li < s) { partial[li] = max(partial[li], partial[li + s]); } workgroupBarrier(); }
  let scale = workgroupUniformLoad(&partial[0]);
  var ss = 0.0;
  // WGSL lets an implementation flush subnormals to zero (lavapipe does, in some operations and not
  // others): a vector whose largest entry is subnormal counts as zero, so no reflector is built from
  // values the arithmetic may treat inconsistently. The error is below f32's smallest normal, 1.2e-38.
  if (scale >= 1.1754944e-38) { for (var i = first + li; i < end; i += 256u) { let v = W[x + i] / scale; ss = ss + v * v; } }
  return select(0.0, scale * sqrt(workgroupSum(ss, li)), scale >= 1.1754944e-38);
}
// √(a² + b²) without overflow or underflow of the squares.
fn hyp(a: f32, b: f32) -> f32 {
  let m = max(abs(a), abs(b));
  if (m == 0.0) { return 0.0; }
  let x = a / m; let y = b / m;
  return m * sqrt(x * x + y * y);
}
// LAPACK's safe minimum for f32, dlamch('S')/dlamch('E'): its reciprocal does not overflow.
const SAFMIN: f32 = 1.9721523e-31;
// LAPACK dlarfg on W[x + first .. x + end): β = −sign(α)·‖x‖, the tail scaled into v and v₀ = 1 written
// (by invocation 0; the caller's next storage barrier publishes it); returns (τ, β), τ = 0 when the tail is 0.
// When |β| < SAFMIN, 1/(α − β) would overflow: as dlarfg does, α, x and β are scaled up (here by one power
// of two f, exact, computed rather than looped so no barrier sits in a branch), and β scaled back.
fn householder(x: u32, first: u32, end: u32, li: u32) -> vec2<f32> {
  let xnorm = scaledNorm(x, first + 1u, end, li);
  var alpha = W[x + first];
  var t = 0.0;
  var beta = alpha;
  if (xnorm > 0.0) {
    let sign = select(1.0, -1.0, alpha < 0.0);
    beta = -sign * hyp(alpha, xnorm);
    var f = 1.0;
    if (abs(beta) < SAFMIN) {
      f = exp2(ceil(log2(SAFMIN / abs(beta))));
      alpha = alpha * f;
      beta = -sign * hyp(alpha, xnorm * f);
    }
    t = (beta - alpha) / beta;
    let inv = 1.0 / (alpha - beta);
    for (var i = first + 1u + li; i < end; i += 256u) { W[x + i] = (W[x + i] * f) * inv; }
    beta = beta / f;
  }
  storageBarrier();
  if (li == 0u) { W[x + first] = 1.0; }
  return vec2<f32>(t, beta);
}`;
