import { DTypeError, OptionError, ShapeError, showShape } from "../../errors.js";
import { atLeast, checkOptions, option, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { normalizeGroups } from "./normalize-groups.js";
import { requireFloat } from "./util.js";

const GROUP_NORM_OPTIONS = {
  /** Added to the variance before the square root (default 1e-5). */
  eps: option(1e-5, atLeast(0)),
};

/** The options of groupNorm (torch.nn.functional.group_norm's, in camelCase). */
export interface GroupNormOptions extends OptionsOf<typeof GROUP_NORM_OPTIONS> {}

/**
 * Group normalization (Wu & He 2018; torch.nn.functional.group_norm) of x [N, C, *]: the C channels are
 * split into numGroups groups of consecutive channels, each group of each sample is normalized by its
 * mean and biased variance over its channels and positions, then each channel is scaled and shifted:
 * y = (x − mean) / √(var + eps) · weight[c] + bias[c], weight and bias (optional) of shape [C]. It does
 * not depend on the batch: training and evaluation compute the same. numGroups 1 normalizes each
 * sample over all its channels; numGroups = C each channel alone (instance norm).
 * @example const y = mn.nn.functional.groupNorm(x, 8, weight, bias); // x [N, 32, H, W]
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null,
  options: GroupNormOptions = {}): Tensor {
  const { eps } = checkOptions("groupNorm", options, GROUP_NORM_OPTIONS);
  if (!Number.isInteger(numGroups) || numGroups <= 0) {
    throw new OptionError({ where: "groupNorm", what: "invalid numGroups", expected: "a positive integer", got: String(numGroups) });
  }
  return applyGroupNorm("groupNorm", x, numGroups, null, weight, bias, eps);
}

/** groupNorm with its options checked, its errors naming `where`; a layer gives its numChannels, which x must have. */
export function applyGroupNorm(where: string, x: Tensor, numGroups: number, numChannels: number | null, weight: Tensor | null,
  bias: Tensor | null, eps: number): Tensor {
  requireFloat(where, x);
  if (x.ndim < 2) throw new ShapeError({ where, what: "invalid input shape", expected: "a tensor [N,C,*] of at least 2 dims", got: showShape(x.shape) });
  const [n, c] = x.shape as [number, number];
  if (numChannels !== null && c !== numChannels) {
    throw new ShapeError({ where, what: `wrong number of channels in input ${showShape(x.shape)} (dim 1)`, expected: `${numChannels}, the layer's numChannels`, got: String(c) });
  }
  if (c % numGroups !== 0) {
    throw new ShapeError({ where, what: `the channels of input ${showShape(x.shape)} (dim 1) do not split into numGroups ${numGroups}`, expected: `a multiple of ${numGroups}`, got: String(c) });
  }
  for (const [name, t] of [["weight", weight], ["bias", bias]] as const) {
    if (!t) continue;
    if (t.ndim !== 1 || t.shape[0] !== c) {
      throw new ShapeError({ where, what: `${name} must hold one value per channel of input ${showShape(x.shape)}`, expected: `[${c}]`, got: showShape(t.shape) });
    }
    if (t.dtype !== x.dtype) throw new DTypeError({ where, what: `${name} must have the input's dtype`, expected: x.dtype, got: t.dtype });
  }
  const spatial = x.shape.slice(2).reduce((a, b) => a * b, 1);
  return normalizeGroups(x, { n, groups: numGroups, channelsPerGroup: c / numGroups, spatial }, weight, bias, eps);
}
