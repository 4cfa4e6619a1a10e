import { mm } from "../autograd/ops/matmul.js";
import { biasActivation } from "../autograd/ops/bias-activation.js";
import { ShapeError, showShape, OptionError } from "../errors.js";
import { defaultGenerator, type Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { empty } from "../autograd/ops/util.js";

/**
 * Stateless forms of the layers (torch.nn.functional). The activations and poolings are the
 * tensor ops; the losses live in losses/ and are re-exported here.
 */
export { relu, leakyRelu, sigmoid, tanh, gelu } from "../autograd/ops/math.js";
export { softmax, logSoftmax } from "../autograd/ops/softmax.js";
export { conv2d, unfold, fold, type Conv2dOptions, type Window2dOptions, type Pair } from "../autograd/ops/conv.js";
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from "../autograd/ops/pool.js";
export type { MaxPool2dOptions, AvgPool2dOptions, Size2d } from "../autograd/ops/pool.js";
export { batchNorm, type BatchNormOptions } from "../autograd/ops/batch-norm.js";
export {
  crossEntropy, nllLoss, mseLoss, multiMarginLoss, l1Loss, smoothL1Loss, huberLoss, binaryCrossEntropy,
  binaryCrossEntropyWithLogits, klDiv, cosineEmbeddingLoss,
} from "./losses/index.js";
export type {
  Reduction, ReductionOptions, CrossEntropyOptions, MultiMarginOptions, SmoothL1Options, HuberOptions, BCEOptions,
  BCEWithLogitsOptions, KLDivOptions, CosineEmbeddingOptions,
} from "./losses/index.js";
export { stochasticDepth } from "./stochastic-depth.js";

/**
 * y = x·Wᵀ + b for x [..., in], W [out, in], b [out]. Wᵀ is never materialized: the matmul
 * kernel reads W transposed.
 * @example const y = F.linear(x, weight, bias);
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return linearActivated(x, weight, bias ?? null, false);
}

/** linear, then a ReLU when relu is set, the bias and the ReLU in one pass over the product. */
export function linearActivated(x: Tensor, weight: Tensor, bias: Tensor | null, relu: boolean): Tensor {
  const inF = weight.shape[1];
  if (weight.ndim !== 2 || x.ndim < 1 || x.shape[x.ndim - 1] !== inF) {
    throw new ShapeError({ where: "linear", what: `input ${showShape(x.shape)} does not fit weight ${showShape(weight.shape)}: the last dim must be ${inF}` });
  }
  const flat = x.ndim === 2 ? x : x.reshape([-1, inF!]);
  const y = mm(flat, weight, false, true);
  const outShape = [...x.shape.slice(0, -1), weight.shape[0]!];
  if (!bias && !relu) return x.ndim === 2 ? y : y.reshape(outShape);
  const [n, c] = y.shape as [number, number];
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== c)) {
    throw new ShapeError({ where: "linear", what: "bias must be 1-D [outFeatures]", expected: `[${c}]`, got: showShape(bias.shape) });
  }
  return biasActivation(y, bias, { n, c, l: 1, channelsFirst: false }, relu, outShape);
}

/**
 * Inverted dropout (Srivastava et al. 2014): in training, zero each element with
 * probability p and scale the rest by 1/(1−p), so evaluation needs no rescaling.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  checkProbability("dropout", p);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const mask = empty(x.shape, x.dtype);
  const scale = 1 / (1 - p);
  for (let i = 0; i < mask.data.length; i++) mask.data[i] = generator.random() < p ? 0 : scale;
  return x.mul(mask);
}

/** Throws unless p is a probability. */
export function checkProbability(where: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new OptionError({ where, what: "invalid p", expected: "a probability in [0, 1]", got: String(p) });
}
