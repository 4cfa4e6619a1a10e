import { OptionError } from "../../errors.js";
import { checkOptions, nonNegativeInt, option, optional, type OptionsOf } from "../../options.js";
import { allocate } from "../../tensor/dtype.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { imageBatch, isGenerator } from "./images.js";

const RANDOM_CROP_OPTIONS = {
  /** Output [height, width], or one number for both (default: the input's). */
  size: optional<number | [number, number]>(), // checked against the padded image below
  /** Zeros added on every side before cropping (default 0). */
  padding: option(0, nonNegativeInt),
  /** The stream the draws come from (default: the global one, seeded by mn.manualSeed). */
  generator: option<Generator>(defaultGenerator, isGenerator),
};

/** The options of randomCrop. */
export interface RandomCropOptions extends OptionsOf<typeof RANDOM_CROP_OPTIONS> {}

/**
 * A random window of each image of a batch [N, C, H, W], after zero padding on every side
 * (torchvision's RandomCrop(size, padding), per sample): with the input's size and padding k this
 * shifts each image by up to k pixels in each direction, filling with zeros.
 * @example x = mn.data.transforms.randomCrop(x, { padding: 4 }); // the CIFAR recipe
 */
export function randomCrop(x: Tensor, options: RandomCropOptions = {}): Tensor {
  const o = checkOptions("randomCrop", options, RANDOM_CROP_OPTIONS);
  const [n, c, h, w] = imageBatch("randomCrop", x);
  const [oh, ow] = o.size === undefined ? [h, w] : typeof o.size === "number" ? [o.size, o.size] : o.size;
  const ph = h + 2 * o.padding, pw = w + 2 * o.padding;
  if (!Number.isInteger(oh) || !Number.isInteger(ow) || oh < 1 || ow < 1 || oh > ph || ow > pw) {
    throw new OptionError({ where: "randomCrop", what: "invalid size", expected: `positive integers at most the padded image's ${ph}x${pw}`, got: JSON.stringify(o.size) });
  }
  const out = allocate(x.dtype, n * c * oh * ow);
  for (let b = 0; b < n; b++) {
    // The window's top-left corner in padded coordinates, then in the image's (negative: inside the padding).
    const top = o.generator.integer(0, ph - oh + 1) - o.padding, left = o.generator.integer(0, pw - ow + 1) - o.padding;
    for (let ch = 0; ch < c; ch++) {
      const src = (b * c + ch) * h * w, dst = (b * c + ch) * oh * ow;
      for (let i = 0; i < oh; i++) {
        const y = top + i;
        if (y < 0 || y >= h) continue;
        for (let j = 0; j < ow; j++) {
          const xx = left + j;
          if (xx >= 0 && xx < w) out[dst + i * ow + j] = x.data[src + y * w + xx]!;
        }
      }
    }
  }
  return new Tensor(out, [n, c, oh, ow]);
}

/**
 * Shifts each image of a batch by up to maxShift pixels in each direction, filling with zeros: a random
 * crop of the input's size from the image padded by maxShift.
 * @example x = mn.data.transforms.randomShift(x, 2);
 */
export function randomShift(x: Tensor, maxShift: number, options: { generator?: Generator } = {}): Tensor {
  return randomCrop(x, { padding: maxShift, ...options });
}
