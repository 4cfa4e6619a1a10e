import { checkOptions, option, positiveInt, type OptionsOf } from "../../options.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { imageBatch, isGenerator } from "./images.js";

const CUTOUT_OPTIONS = {
  /** The side of the zeroed square, in pixels (default 8). */
  size: option(8, positiveInt),
  /** The stream the draws come from (default: the global one, seeded by mn.manualSeed). */
  generator: option<Generator>(defaultGenerator, isGenerator),
};

/** The options of cutout. */
export interface CutoutOptions extends OptionsOf<typeof CUTOUT_OPTIONS> {}

/**
 * Cutout (DeVries & Taylor 2017): zeros a size×size square of each image of a batch [N, C, H, W], all
 * channels, its centre drawn uniformly over the image so that near the border only part of it falls inside.
 * @example x = mn.data.transforms.cutout(x, { size: 8 });
 */
export function cutout(x: Tensor, options: CutoutOptions = {}): Tensor {
  const o = checkOptions("cutout", options, CUTOUT_OPTIONS);
  const [n, c, h, w] = imageBatch("cutout", x);
  const out = x.data.slice();
  for (let b = 0; b < n; b++) {
    const cy = o.generator.integer(0, h), cx = o.generator.integer(0, w);
    const y0 = Math.max(0, cy - Math.floor(o.size / 2)), y1 = Math.min(h, cy - Math.floor(o.size / 2) + o.size);
    const x0 = Math.max(0, cx - Math.floor(o.size / 2)), x1 = Math.min(w, cx - Math.floor(o.size / 2) + o.size);
    for (let ch = 0; ch < c; ch++) {
      const plane = (b * c + ch) * h * w;
      for (let y = y0; y < y1; y++) out.fill(0, plane + y * w + x0, plane + y * w + x1);
    }
  }
  return new Tensor(out, x.shape);
}
