import { conv2d, conv2dActivated, pair, type Conv2dOptions, type Pair } from "../autograd/ops/conv.js";
import { conv2dReluMaxPool } from "../autograd/ops/conv-pool.js";
import { OptionError } from "../errors.js";
import { zeros } from "../tensor/create.js";
import type { FloatDType } from "../tensor/dtype.js";
import type { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { kaimingUniform, uniform } from "./init.js";
import { Module } from "./module.js";
import type { MaxPool2d } from "./pool.js";

export interface Conv2dLayerOptions extends Conv2dOptions {
  bias?: boolean;
  dtype?: FloatDType;
  generator?: Generator;
}

/**
 * A 2-D convolution layer (torch.nn.Conv2d): weight [outChannels, inChannels/groups, kh, kw], bias
 * [outChannels]. Initialized as torch: weight ~ kaiming_uniform(a=√5), i.e. U(−1/√fanIn, 1/√fanIn) with
 * fanIn = inChannels/groups·kh·kw, and bias ~ U(−1/√fanIn, 1/√fanIn).
 * @example const conv = new mn.nn.Conv2d(1, 32, 3, { padding: 1 });
 */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly options: Conv2dOptions;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions = {}) {
    super();
    const groups = options.groups ?? 1;
    for (const [name, v] of [["inChannels", inChannels], ["outChannels", outChannels], ["groups", groups]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new OptionError({ where: "Conv2d", what: `invalid ${name}`, expected: "a positive integer", got: String(v) });
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new OptionError({ where: "Conv2d", what: `inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups`, got: String(groups) });
    }
    this.kernelSize = pair("Conv2d", "kernelSize", kernelSize, 1);
    const { bias, dtype = "float32", generator, ...conv } = options;
    this.options = conv;
    const init = generator ? { generator } : {};
    const shape = [outChannels, inChannels / groups, ...this.kernelSize];
    this.weight = this.registerParameter("weight", kaimingUniform(zeros(shape, { dtype }), { ...init, a: Math.sqrt(5) }));
    const bound = 1 / Math.sqrt((inChannels / groups) * this.kernelSize[0] * this.kernelSize[1]);
    this.bias = bias === false ? null : this.registerParameter("bias", uniform(zeros([outChannels], { dtype }), -bound, bound, init));
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options);
  }

  /** forward, then a ReLU, the bias and the ReLU in one pass (Sequential calls this for a Conv2d followed by a ReLU). */
  forwardRelu(x: Tensor): Tensor {
    return conv2dActivated(x, this.weight, this.bias, this.options, true);
  }

  /** forward, a ReLU and pool in one op (Sequential calls this for a Conv2d, a ReLU and a MaxPool2d in a row). */
  forwardReluMaxPool(x: Tensor, pool: MaxPool2d): Tensor {
    return conv2dReluMaxPool(x, this.weight, this.bias, this.options, pool.kernelSize, pool.options);
  }

  protected override extraRepr(): string {
    const o = this.options;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}]` + (o.stride ? `, stride=${JSON.stringify(o.stride)}` : "") +
      (o.padding ? `, padding=${JSON.stringify(o.padding)}` : "") + (o.dilation ? `, dilation=${JSON.stringify(o.dilation)}` : "") +
      (o.groups && o.groups > 1 ? `, groups=${o.groups}` : "") + (this.bias ? "" : ", bias=false");
  }
}
