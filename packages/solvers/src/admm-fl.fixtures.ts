/**
 * S32's clients (catalogue): K clients with n samples each in d dimensions, weights Φ_k = diag(U[0.5, 2]),
 * y_k = X_k·w° + 0.1·noise with w° ~ N(0, I). Rows are drawn N(0, I/d) (unit expected norm), so each client's
 * curvature A_k = X_kᵀΦ_kX_k has eigenvalues around 1.25·n/d and the catalogue's ρ = 1 is of their order; the
 * catalogue does not give the paper's scaling, and with rows N(0, I) (curvature 25 at its sizes, ρ ≪ A_k) ADMM at
 * ρ = 1 no longer converges within its 2000 rounds — recorded by the claim beside the predicates.
 */
import { fillRandom } from '@lowrank/core';
import type { WlsClients } from './admm-fl.ts';

export function wlsClients(
  clients: number,
  samples: number,
  d: number,
  seed: number,
  rowScale = 1 / Math.sqrt(d),
): WlsClients {
  const x = fillRandom({ seed, stream: 1 }, 'normal', 'f64', clients * samples * d).map((v) => v * rowScale);
  const truth = fillRandom({ seed, stream: 2 }, 'normal', 'f64', d);
  const phi = fillRandom({ seed, stream: 3 }, 'uniform', 'f64', clients * samples).map((u) => 0.5 + 1.5 * u);
  const noise = fillRandom({ seed, stream: 4 }, 'normal', 'f64', clients * samples);
  const y = new Float64Array(clients * samples);
  for (let r = 0; r < clients * samples; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[r * d + j] * truth[j];
    y[r] = s + 0.1 * noise[r];
  }
  return { clients, samples, d, x: Float64Array.from(x), phi: Float64Array.from(phi), y };
}
