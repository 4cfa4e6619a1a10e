import { Generator } from "../../tensor/random.js";
import { checkOptions, nonNegativeInt, optional, type OptionsOf } from "../../options.js";
import type { Distribution, ParamValue } from "../distributions.js";
import type { Sampler } from "../sampler.js";
import { transformedBounds, untransform } from "../transform.js";

const RANDOM_SAMPLER = {
  /** Seed of the sampler's own generator; without one, a random seed (as Optuna). */
  seed: optional<number>(nonNegativeInt),
};
export interface RandomSamplerOptions extends OptionsOf<typeof RANDOM_SAMPLER> {}

/**
 * Uniform sampling in the transformed space (log-uniform for log parameters): the notes' advice
 * over a grid, since random search tries a new value of the one parameter that matters every trial.
 */
export class RandomSampler implements Sampler {
  readonly name = "random";
  private readonly rng: Generator;
  private readonly seed: number | undefined;

  constructor(options: RandomSamplerOptions = {}) {
    const o = checkOptions("RandomSampler", options, RANDOM_SAMPLER);
    this.seed = o.seed;
    this.rng = new Generator(o.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  spec(): Record<string, unknown> {
    return { name: this.name, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }

  sampleIndependent(_study: unknown, _trial: unknown, _name: string, dist: Distribution): ParamValue {
    return sampleUniform(dist, this.rng);
  }
}

/** One uniform draw from the distribution's transformed space. */
export function sampleUniform(dist: Distribution, rng: Generator): ParamValue {
  if (dist.kind === "categorical") return dist.choices[rng.integer(0, dist.choices.length)]!;
  const [lo, hi] = transformedBounds(dist);
  return untransform(dist, lo + (hi - lo) * rng.random());
}
