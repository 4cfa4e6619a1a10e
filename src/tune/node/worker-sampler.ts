import { StudyError } from "../../errors.js";
import { ATTR } from "../attrs.js";
import type { Sampler } from "../sampler.js";
import { samplerFromSpec } from "../samplers/from-spec.js";

/** Rebuilds a sampler from the spec a study stores (minima:sampler). */
export type SamplerFromSpec = (spec: Record<string, unknown>) => Sampler;

/**
 * The sampler of one worker: the study's sampler, rebuilt from its spec, with a seed of its own so
 * that workers do not draw the same points. Worker i of a seeded study draws with seed + i (worker
 * 0 repeats a one-process run); a worker without an index, or a study without a seed, draws with a
 * random seed, as Optuna's samplers do without one. undefined when the study records no sampler.
 */
export function workerSampler(spec: unknown, workerIndex: number | undefined, fromSpec: SamplerFromSpec = samplerFromSpec): Sampler | undefined {
  // A study that Optuna created records no sampler: loadStudy's default then, as Optuna's load_study without one.
  if (spec === undefined) return undefined;
  if (spec === null || typeof spec !== "object" || typeof (spec as { name?: unknown }).name !== "string") {
    throw new StudyError({ where: "mn.tune.runWorker", what: `the study's sampler (system attr ${ATTR.sampler}) is malformed`, expected: 'an object like {"name": "random", "seed": 0}', got: JSON.stringify(spec) });
  }
  const own: Record<string, unknown> = { ...(spec as Record<string, unknown>) };
  const seed = own["seed"];
  if (typeof seed === "number" && workerIndex !== undefined) own["seed"] = (seed + workerIndex) % 2 ** 32;
  else delete own["seed"];
  return fromSpec(own);
}
