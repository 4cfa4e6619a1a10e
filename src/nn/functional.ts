import { defaultGenerator, type Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { dropoutMask } from "./dropout-mask.js";
import { linearActivated } from "./linear-activated.js";
import { checkProbability } from "./probability.js";

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
export { silu, softplus, elu, mish } from "../autograd/ops/smooth-activations.js";
export { layerNorm, type LayerNormOptions } from "../autograd/ops/layer-norm.js";
export { groupNorm, type GroupNormOptions } from "../autograd/ops/group-norm.js";
export { embedding, type EmbeddingOptions } from "../autograd/ops/embedding.js";
export { dropout2d } from "./dropout2d.js";

/**
 * y = x·Wᵀ + b for x [..., in], W [out, in], b [out]. Wᵀ is never materialized: the matmul
 * kernel reads W transposed.
 * @example const y = F.linear(x, weight, bias);
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return linearActivated(x, weight, bias ?? null, false);
}

/**
 * Inverted dropout (Srivastava et al. 2014): in training, zero each element with
 * probability p and scale the rest by 1/(1−p), so evaluation needs no rescaling.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  checkProbability("dropout", p);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  return x.mul(dropoutMask(x.shape, x.dtype, p, generator));
}
