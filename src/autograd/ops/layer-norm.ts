import { DTypeError, OptionError, ShapeError, showShape } from "../../errors.js";
import { atLeast, checkOptions, option, show, type OptionsOf } from "../../options.js";
import type { Tensor } from "../../tensor/tensor.js";
import { normalizeGroups } from "./normalize-groups.js";
import { requireFloat } from "./util.js";

const LAYER_NORM_OPTIONS = {
  /** Added to the variance before the square root (default 1e-5). */
  eps: option(1e-5, atLeast(0)),
};

/** The options of layerNorm (torch.nn.functional.layer_norm's, in camelCase). */
export interface LayerNormOptions extends OptionsOf<typeof LAYER_NORM_OPTIONS> {}

/**
 * Layer normalization (Ba et al. 2016; torch.nn.functional.layer_norm): each sample is normalized over its
 * last dims, those of normalizedShape, by their mean and biased variance, then scaled and shifted
 * elementwise: y = (x − mean) / √(var + eps) · weight + bias, weight and bias (optional) of shape
 * normalizedShape. Unlike batch norm, no statistics are kept: training and evaluation compute the same.
 * @example const y = mn.nn.functional.layerNorm(x, [512], weight, bias); // x [batch, tokens, 512]
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], weight: Tensor | null = null,
  bias: Tensor | null = null, options: LayerNormOptions = {}): Tensor {
  const { eps } = checkOptions("layerNorm", options, LAYER_NORM_OPTIONS);
  return applyLayerNorm("layerNorm", x, checkNormalizedShape("layerNorm", normalizedShape), weight, bias, eps);
}

/** normalizedShape as an array, or an error naming it: a positive integer or a non-empty array of them. */
export function checkNormalizedShape(where: string, normalizedShape: unknown): number[] {
  const dims = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(dims) || dims.length === 0 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new OptionError({ where, what: "invalid normalizedShape", expected: "a positive integer or a non-empty array of them", got: show(normalizedShape) });
  }
  return dims as number[];
}

/** layerNorm with its arguments checked, its errors naming `where` (the layer calls this). */
export function applyLayerNorm(where: string, x: Tensor, dims: readonly number[], weight: Tensor | null, bias: Tensor | null, eps: number): Tensor {
  requireFloat(where, x);
  const k = dims.length;
  if (x.ndim < k || dims.some((d, i) => x.shape[x.ndim - k + i] !== d)) {
    throw new ShapeError({ where, what: `input ${showShape(x.shape)} does not end with normalizedShape ${showShape(dims)}`, expected: `[*,${dims.join(",")}]`, got: showShape(x.shape) });
  }
  for (const [name, t] of [["weight", weight], ["bias", bias]] as const) {
    if (!t) continue;
    if (t.ndim !== k || t.shape.some((d, i) => d !== dims[i])) {
      throw new ShapeError({ where, what: `${name} must have the shape normalizedShape`, expected: showShape(dims), got: showShape(t.shape) });
    }
    if (t.dtype !== x.dtype) throw new DTypeError({ where, what: `${name} must have the input's dtype`, expected: x.dtype, got: t.dtype });
  }
  const cols = dims.reduce((a, b) => a * b, 1);
  return normalizeGroups(x, { n: x.numel() / cols, groups: 1, channelsPerGroup: cols, spatial: 1 }, weight, bias, eps);
}
