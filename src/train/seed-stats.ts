/** A number measured once per seed: the values, their mean and their sample standard deviation. */
export interface SeedStat {
  /** One value per seed, in the order of the seeds. */
  values: number[];
  mean: number;
  /**
   * The sample standard deviation, √(Σ(x − mean)² / (n − 1)) (Bessel's correction, as torch.std and
   * pandas compute it); NaN for a single seed, as torch.std gives.
   */
  std: number;
}

/**
 * The mean and sample standard deviation of one value per seed. A NaN (a diverged run) makes both
 * NaN: it is never averaged away.
 * @example seedStat([0.30, 0.32, 0.34]) // { values: [...], mean: 0.32, std: 0.02 }
 */
export function seedStat(values: readonly number[]): SeedStat {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const std = n < 2 ? NaN : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  return { values: [...values], mean, std };
}

/** A curve averaged over seeds, with the range the seeds span at each point. */
export interface SeedBand {
  mean: number[];
  min: number[];
  max: number[];
}

/**
 * The pointwise mean, minimum and maximum of curves of one value per step, one curve per seed. A
 * run that stopped early has a shorter curve: each point averages the curves that reach it.
 * @example seedBand([[3, 2, 1], [5, 4]]) // { mean: [4, 3, 1], min: [3, 2, 1], max: [5, 4, 1] }
 */
export function seedBand(curves: readonly (readonly number[])[]): SeedBand {
  const length = Math.max(0, ...curves.map((c) => c.length));
  const band: SeedBand = { mean: [], min: [], max: [] };
  for (let i = 0; i < length; i++) {
    const at = curves.filter((c) => i < c.length).map((c) => c[i]!);
    band.mean.push(at.reduce((s, v) => s + v, 0) / at.length);
    band.min.push(Math.min(...at));  // NaN when a seed's is
    band.max.push(Math.max(...at));
  }
  return band;
}
