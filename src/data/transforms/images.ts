import { ShapeError, showShape } from "../../errors.js";
import { Generator } from "../../tensor/random.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Check } from "../../options.js";

// What the image augmentations share: they take a batch [N, C, H, W] (float, no gradient needed: data,
// not parameters) and draw each sample's randomness from a generator, so the same seed gives the same
// batch.

export const isProbability: Check = (v) => (typeof v === "number" && v >= 0 && v <= 1 ? null : "a probability in [0, 1]");
export const isGenerator: Check = (v) => (v instanceof Generator ? null : "an mn.Generator");

/** [n, c, h, w] of a batch of images, or a clear error naming the transform. */
export function imageBatch(where: string, x: Tensor): [number, number, number, number] {
  if (x.ndim !== 4 || x.dtype === "int32") {
    throw new ShapeError({ where, what: "input must be a float batch of images [N, C, H, W]", got: `${x.dtype} ${showShape(x.shape)}` });
  }
  return x.shape as [number, number, number, number];
}
