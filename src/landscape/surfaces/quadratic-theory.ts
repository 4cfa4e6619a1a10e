import { OptionError } from "../../errors.js";
import type { Point } from "./surface.js";

/**
 * Gradient descent and heavy ball on a quadratic with Hessian eigenvalues λmax ≥ λmin > 0 (κ = λmax/λmin), as in
 * Distill's "Why Momentum Really Works" and Polyak 1964: each rate is the factor by which the distance to the minimum
 * shrinks per step (in the worst direction, asymptotically).
 */
export interface QuadraticTheory {
  lambdaMax: number;
  lambdaMin: number;
  kappa: number;
  /** Gradient descent converges iff lr < 2/λmax. */
  gdMaxLr: number;
  /** The lr of gradient descent's fastest rate, 2/(λmax + λmin). */
  gdBestLr: number;
  /** (κ − 1)/(κ + 1). */
  gdBestRate: number;
  /** Heavy ball's optimal step α* = (2/(√λmax + √λmin))² (PyTorch's SGD lr, with momentum β). */
  heavyBallLr: number;
  /** β* = ((√κ − 1)/(√κ + 1))². */
  heavyBallMomentum: number;
  /** (√κ − 1)/(√κ + 1). */
  heavyBallRate: number;
}

/** The two eigenvalues of a symmetric 2×2 matrix, largest first. */
export function eigenvalues2(h: readonly [Point, Point]): [number, number] {
  const [[a, b], [c, d]] = h;
  if (b !== c) throw new OptionError({ where: "hessian", what: `[[${a}, ${b}], [${c}, ${d}]] is not symmetric` });
  const mean = (a + d) / 2, radius = Math.hypot((a - d) / 2, b);
  return [mean + radius, mean - radius];
}

/** The theory of a quadratic with this Hessian; null when it is not positive definite (a saddle has no minimum to converge to). */
export function quadraticTheory(hessian: readonly [Point, Point]): QuadraticTheory | null {
  const [lambdaMax, lambdaMin] = eigenvalues2(hessian);
  if (!(lambdaMin > 0)) return null;
  const kappa = lambdaMax / lambdaMin, root = Math.sqrt(kappa);
  return {
    lambdaMax, lambdaMin, kappa,
    gdMaxLr: 2 / lambdaMax, gdBestLr: 2 / (lambdaMax + lambdaMin), gdBestRate: (kappa - 1) / (kappa + 1),
    heavyBallLr: (2 / (Math.sqrt(lambdaMax) + Math.sqrt(lambdaMin))) ** 2, heavyBallMomentum: ((root - 1) / (root + 1)) ** 2, heavyBallRate: (root - 1) / (root + 1),
  };
}

/** Gradient descent's rate at this lr: max over the eigenvalues of |1 − lr·λ| (≥ 1: it does not converge). */
export function gdRate(eigenvalues: readonly number[], lr: number): number {
  return Math.max(...eigenvalues.map((l) => Math.abs(1 - lr * l)));
}

/**
 * Heavy ball's rate at step lr and momentum β (PyTorch's SGD with momentum, dampening 0): the spectral radius of
 * its iteration, the largest |z| over the eigenvalues λ of the roots of z² − (1 + β − lr·λ)z + β.
 */
export function heavyBallRate(eigenvalues: readonly number[], lr: number, momentum: number): number {
  return Math.max(...eigenvalues.map((l) => {
    const t = 1 + momentum - lr * l, disc = t * t - 4 * momentum;
    return disc < 0 ? Math.sqrt(momentum) : (Math.abs(t) + Math.sqrt(disc)) / 2;
  }));
}

/**
 * The rate a trajectory shows: (‖p_K − p*‖ / ‖p_{K/2} − p*‖)^(1/(K − K/2)) over its second half, where the slowest
 * direction dominates; null when it has fewer than 2 steps or reached p* exactly; Infinity when it diverged.
 */
export function measuredRate(x: readonly number[], y: readonly number[], minimum: Point): number | null {
  const last = x.length - 1, mid = Math.floor(last / 2);
  if (last < 2) return null;
  const dist = (k: number) => Math.hypot(x[k]! - minimum[0], y[k]! - minimum[1]);
  const from = dist(mid), to = dist(last);
  if (!Number.isFinite(to)) return Infinity;
  if (from === 0) return null;
  return (to / from) ** (1 / (last - mid));
}
