import { OptionError } from "../../errors.js";
import { closest } from "../../options.js";
import type { Sampler } from "../sampler.js";
import { CoarseToFineSampler, type CoarseToFineSamplerOptions } from "./coarse-to-fine-sampler.js";
import { GridSampler, type GridSamplerOptions } from "./grid-sampler.js";
import { RandomSampler, type RandomSamplerOptions } from "./random-sampler.js";
import { TPESampler, type TPESamplerOptions } from "./tpe/tpe-sampler.js";

const BUILDERS: Record<string, (options: Record<string, unknown>) => Sampler> = {
  random: (o) => new RandomSampler(o as RandomSamplerOptions),
  grid: (o) => new GridSampler(o as unknown as GridSamplerOptions),
  "coarse-to-fine": (o) => new CoarseToFineSampler(o as CoarseToFineSamplerOptions),
  tpe: (o) => new TPESampler(o as TPESamplerOptions),
};

/** The names samplerFromSpec knows, as spec().name and the CLI's --sampler spell them. */
export const SAMPLER_NAMES: readonly string[] = Object.keys(BUILDERS);

/**
 * Rebuilds a sampler from its spec() — the JSON a study keeps in its minima:sampler attr — so a
 * worker that loads the study samples as its creator did. `overrides` replace options of the spec:
 * a worker passes its own seed so that workers do not repeat each other's draws.
 */
export function samplerFromSpec(spec: unknown, overrides: Record<string, unknown> = {}): Sampler {
  if (typeof spec !== "object" || spec === null || typeof (spec as { name?: unknown }).name !== "string") {
    throw new OptionError({ where: "samplerFromSpec", what: "a sampler spec is an object with a name", expected: `{ name: ${SAMPLER_NAMES.map((n) => `"${n}"`).join(" | ")}, …options }`, got: JSON.stringify(spec) ?? String(spec) });
  }
  const { name, ...options } = spec as { name: string } & Record<string, unknown>;
  const build = BUILDERS[name];
  if (build === undefined) {
    const hint = closest(name, SAMPLER_NAMES);
    throw new OptionError({ where: "samplerFromSpec", what: `unknown sampler "${name}"${hint ? ` — did you mean "${hint}"?` : ""}`, expected: `one of ${SAMPLER_NAMES.join(", ")}` });
  }
  return build({ ...options, ...overrides });
}
