import type { Generator } from "../../tensor/random.js";

/** A Gamma(shape, 1) variate (Marsaglia & Tsang 2000; shape < 1 boosted by U^(1/shape)). */
function gamma(g: Generator, shape: number): number {
  if (shape < 1) return gamma(g, shape + 1) * Math.pow(g.random() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = g.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = g.random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) variate, as the ratio of Gammas: the mixing weight of mixup and cutmix. */
export function beta(g: Generator, a: number, b: number): number {
  const x = gamma(g, a), y = gamma(g, b);
  return x / (x + y);
}
