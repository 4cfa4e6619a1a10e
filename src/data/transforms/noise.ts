import { checkOptions, atLeast } from "../../options.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { imageBatch, isGenerator } from "./images.js";

/**
 * x plus independent Gaussian noise of standard deviation std: noise injection into the inputs.
 * @example x = mn.data.transforms.gaussianNoise(x, { std: 0.1 });
 */
export function gaussianNoise(x: Tensor, options: { std?: number; generator?: Generator } = {}): Tensor {
  const o = checkOptions("gaussianNoise", options, { std: 0.1, generator: defaultGenerator }, { std: atLeast(0), generator: isGenerator });
  if (x.dtype === "int32") imageBatch("gaussianNoise", x); // refuses integer input with the shared message
  const out = x.data.slice();
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + o.std * o.generator.normal();
  return new Tensor(out, x.shape);
}
