import { StudyError } from "../../errors.js";
import type { Sampler } from "../sampler.js";
import { RandomSampler } from "./random-sampler.js";

/**
 * Rebuilds a sampler from its spec() JSON (the study's minima:sampler attr), for workers that load a
 * study. A stand-in written by the CLI part so that `minima tune` builds on main: it knows the random
 * sampler only; the samplers part replaces this file with the one that knows grid, coarse-to-fine and tpe.
 */
export function samplerFromSpec(spec: Readonly<Record<string, unknown>>): Sampler {
  if (spec["name"] === "random") return new RandomSampler(typeof spec["seed"] === "number" ? { seed: spec["seed"] } : {});
  throw new StudyError({ where: "samplerFromSpec", what: `the ${String(spec["name"])} sampler is not in this build of minima`, expected: "random" });
}
