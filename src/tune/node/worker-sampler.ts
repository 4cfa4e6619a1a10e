import { StudyError } from "../../errors.js";
import { ATTR } from "../attrs.js";
import type { Sampler } from "../sampler.js";
import { RandomSampler } from "../samplers/random-sampler.js";

/** Rebuilds a sampler from the spec a study stores (minima:sampler). */
export type SamplerFromSpec = (spec: Record<string, unknown>) => Sampler;

/**
 * The sampler of one worker: the study's sampler, rebuilt from its spec, with a seed of its own so
 * that workers do not draw the same points. Worker i of a seeded study draws with seed + i (worker
 * 0 repeats a one-process run); a worker without an index, or a study without a seed, draws with a
 * random seed, as Optuna's samplers do without one.
 */
export function workerSampler(spec: unknown, workerIndex: number | undefined, fromSpec: SamplerFromSpec = knownSamplers): Sampler {
  // A study that Optuna created records no sampler: the default one, as Optuna's load_study without a sampler.
  spec ??= { name: "random" };
  if (spec === null || typeof spec !== "object" || typeof (spec as { name?: unknown }).name !== "string") {
    throw new StudyError({ where: "mn.tune.runWorker", what: `the study's sampler (system attr ${ATTR.sampler}) is malformed`, expected: 'an object like {"name": "random", "seed": 0}', got: JSON.stringify(spec) });
  }
  const own: Record<string, unknown> = { ...(spec as Record<string, unknown>) };
  const seed = own["seed"];
  if (typeof seed === "number" && workerIndex !== undefined) own["seed"] = (seed + workerIndex) % 2 ** 32;
  else delete own["seed"];
  return fromSpec(own);
}

/** The samplers this file knows until samplers/from-spec.ts (samplerFromSpec) takes its place. */
function knownSamplers(spec: Record<string, unknown>): Sampler {
  if (spec["name"] === "random") return new RandomSampler(spec["seed"] === undefined ? {} : { seed: spec["seed"] as number });
  throw new StudyError({ where: "mn.tune.runWorker", what: `cannot rebuild the study's sampler "${String(spec["name"])}"`, expected: '"random"' });
}
