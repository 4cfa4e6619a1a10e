import { Generator } from "../../../src/index.js";

/**
 * A year of noisy daily temperatures (°F, as in the lecture's London example): a seasonal curve, cold in January and
 * warm in July, plus Gaussian noise from a seeded generator, so a link with the same seed shows the same year.
 *   θ_t = 55 − 20·cos(2π (t − 20) / 365) + 6·N(0, 1),   t = 1 … 365
 */
export function temperatures(seed: number, days = 365): number[] {
  const g = new Generator(seed);
  return Array.from({ length: days }, (_, i) => 55 - 20 * Math.cos((2 * Math.PI * (i + 1 - 20)) / 365) + 6 * g.normal());
}
