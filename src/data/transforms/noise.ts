import { atLeast, checkOptions, option, type OptionsOf } from "../../options.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { imageBatch, isGenerator } from "./images.js";

const GAUSSIAN_NOISE_OPTIONS = {
  /** The noise's standard deviation (default 0.1). */
  std: option(0.1, atLeast(0)),
  /** The stream the draws come from (default: the global one, seeded by mn.manualSeed). */
  generator: option<Generator>(defaultGenerator, isGenerator),
};

/** The options of gaussianNoise. */
export interface GaussianNoiseOptions extends OptionsOf<typeof GAUSSIAN_NOISE_OPTIONS> {}

/**
 * x plus independent Gaussian noise of standard deviation std: noise injection into the inputs.
 * @example x = mn.data.transforms.gaussianNoise(x, { std: 0.1 });
 */
export function gaussianNoise(x: Tensor, options: GaussianNoiseOptions = {}): Tensor {
  const o = checkOptions("gaussianNoise", options, GAUSSIAN_NOISE_OPTIONS);
  if (x.dtype === "int32") imageBatch("gaussianNoise", x); // refuses integer input with the shared message
  const out = x.data.slice();
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + o.std * o.generator.normal();
  return new Tensor(out, x.shape);
}
