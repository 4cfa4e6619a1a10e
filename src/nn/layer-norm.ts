import { applyLayerNorm, checkNormalizedShape } from "../autograd/ops/layer-norm.js";
import { atLeast, checkOptions, choice, isBoolean, option, type OptionsOf } from "../options.js";
import { ones, zeros } from "../tensor/create.js";
import type { FloatDType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

const LAYER_NORM_LAYER_OPTIONS = {
  /** Added to the variance before the square root (default 1e-5). */
  eps: option(1e-5, atLeast(0)),
  /** Learn an elementwise weight (ones at first) and bias (zeros) of shape normalizedShape (default true). */
  elementwiseAffine: option(true, isBoolean),
  /** The dtype of the weight and bias (default "float32"). */
  dtype: choice<FloatDType[]>("float32", "float64"),
};

/** The options of LayerNorm (torch's, in camelCase). */
export interface LayerNormLayerOptions extends OptionsOf<typeof LAYER_NORM_LAYER_OPTIONS> {}

/**
 * Layer normalization over the last dims of its input, those of normalizedShape (torch.nn.LayerNorm):
 * y = (x − mean) / √(var + eps) · weight + bias, the statistics of each sample's own normalized dims,
 * the same in training and evaluation; see F.layerNorm. State-dict keys: weight, bias.
 * @example const norm = new mn.nn.LayerNorm(256); // over the last dim of x [batch, 256] or [batch, tokens, 256]
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    this.normalizedShape = checkNormalizedShape("LayerNorm", normalizedShape);
    const o = checkOptions("LayerNorm", options, LAYER_NORM_LAYER_OPTIONS);
    ({ eps: this.eps, elementwiseAffine: this.elementwiseAffine } = o);
    this.weight = o.elementwiseAffine ? this.registerParameter("weight", ones(this.normalizedShape, { dtype: o.dtype })) : null;
    this.bias = o.elementwiseAffine ? this.registerParameter("bias", zeros(this.normalizedShape, { dtype: o.dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return applyLayerNorm("LayerNorm", x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  protected override extraRepr(): string {
    return `[${this.normalizedShape.join(", ")}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}
