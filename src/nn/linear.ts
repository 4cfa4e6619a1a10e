import { OptionError } from "../errors.js";
import { zeros } from "../tensor/create.js";
import type { FloatDType } from "../tensor/dtype.js";
import type { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { linear } from "./functional.js";
import { linearActivated } from "./linear-activated.js";
import { kaimingUniform, uniform } from "./init.js";
import { Module } from "./module.js";

export interface LinearOptions {
  bias?: boolean;
  dtype?: FloatDType;
  generator?: Generator;
}

/**
 * A fully connected layer, y = x·Wᵀ + b, W of shape [outFeatures, inFeatures].
 * Initialized as torch.nn.Linear: W ~ kaiming_uniform(a=√5), i.e. U(−1/√in, 1/√in), and
 * b ~ U(−1/√in, 1/√in).
 * @example const fc = new mn.nn.Linear(784, 256);
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [name, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new OptionError({ where: "Linear", what: `invalid ${name}`, expected: "a positive integer", got: String(v) });
    }
    const dtype = options.dtype ?? "float32";
    const init = options.generator ? { generator: options.generator } : {};
    this.weight = this.registerParameter("weight", kaimingUniform(zeros([outFeatures, inFeatures], { dtype }), { ...init, a: Math.sqrt(5) }));
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = options.bias === false ? null : this.registerParameter("bias", uniform(zeros([outFeatures], { dtype }), -bound, bound, init));
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  /** forward, then a ReLU, the bias and the ReLU in one pass (Sequential calls this for a Linear followed by a ReLU). */
  forwardRelu(x: Tensor): Tensor {
    return linearActivated(x, this.weight, this.bias, true);
  }

  protected override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
