import { checkOptions, option, type OptionsOf } from "../../options.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { imageBatch, isGenerator, isProbability } from "./images.js";

const RANDOM_FLIP_OPTIONS = {
  /** The chance each image is mirrored (default 0.5). */
  p: option(0.5, isProbability),
  /** The stream the draws come from (default: the global one, seeded by mn.manualSeed). */
  generator: option<Generator>(defaultGenerator, isGenerator),
};

/** The options of randomHorizontalFlip. */
export interface RandomFlipOptions extends OptionsOf<typeof RANDOM_FLIP_OPTIONS> {}

/**
 * Mirrors each image of a batch [N, C, H, W] left to right with probability p (torchvision's
 * RandomHorizontalFlip, per sample).
 * @example x = mn.data.transforms.randomHorizontalFlip(x);
 */
export function randomHorizontalFlip(x: Tensor, options: RandomFlipOptions = {}): Tensor {
  const o = checkOptions("randomHorizontalFlip", options, RANDOM_FLIP_OPTIONS);
  const [n, c, h, w] = imageBatch("randomHorizontalFlip", x);
  const out = x.data.slice();
  for (let b = 0; b < n; b++) {
    if (!(o.generator.random() < o.p)) continue;
    for (let row = b * c * h; row < (b + 1) * c * h; row++) {
      const at = row * w;
      for (let j = 0; j < w; j++) out[at + j] = x.data[at + w - 1 - j]!;
    }
  }
  return new Tensor(out, x.shape);
}
