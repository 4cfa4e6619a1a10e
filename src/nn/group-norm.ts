import { applyGroupNorm } from "../autograd/ops/group-norm.js";
import { OptionError } from "../errors.js";
import { atLeast, checkOptions, choice, isBoolean, option, type OptionsOf } from "../options.js";
import { ones, zeros } from "../tensor/create.js";
import type { FloatDType } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

const GROUP_NORM_LAYER_OPTIONS = {
  /** Added to the variance before the square root (default 1e-5). */
  eps: option(1e-5, atLeast(0)),
  /** Learn a per-channel weight (ones at first) and bias (zeros) (default true). */
  affine: option(true, isBoolean),
  /** The dtype of the weight and bias (default "float32"). */
  dtype: choice<FloatDType[]>("float32", "float64"),
};

/** The options of GroupNorm (torch's, in camelCase). */
export interface GroupNormLayerOptions extends OptionsOf<typeof GROUP_NORM_LAYER_OPTIONS> {}

/**
 * Group normalization of [N, C, *] input (torch.nn.GroupNorm): the numChannels channels in numGroups
 * groups, each group of each sample normalized by its own statistics, then a per-channel weight and bias;
 * independent of the batch size, the same in training and evaluation; see F.groupNorm. State-dict keys:
 * weight, bias.
 * @example const norm = new mn.nn.GroupNorm(8, 32); // after new mn.nn.Conv2d(16, 32, 3)
 */
export class GroupNorm extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;
  readonly affine: boolean;

  constructor(readonly numGroups: number, readonly numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    for (const [name, v] of [["numGroups", numGroups], ["numChannels", numChannels]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new OptionError({ where: "GroupNorm", what: `invalid ${name}`, expected: "a positive integer", got: String(v) });
    }
    if (numChannels % numGroups !== 0) {
      throw new OptionError({ where: "GroupNorm", what: `numChannels ${numChannels} does not split into numGroups ${numGroups}`, expected: `a multiple of ${numGroups}`, got: String(numChannels) });
    }
    const o = checkOptions("GroupNorm", options, GROUP_NORM_LAYER_OPTIONS);
    ({ eps: this.eps, affine: this.affine } = o);
    this.weight = o.affine ? this.registerParameter("weight", ones([numChannels], { dtype: o.dtype })) : null;
    this.bias = o.affine ? this.registerParameter("bias", zeros([numChannels], { dtype: o.dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return applyGroupNorm("GroupNorm", x, this.numGroups, this.numChannels, this.weight, this.bias, this.eps);
  }

  protected override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
