import { where } from "../../autograd/ops/arith.js";
import { requireFloat } from "../../autograd/ops/util.js";
import { ShapeError, showShape } from "../../errors.js";
import { checkOptions, option, type Check, type OptionsOf } from "../../options.js";
import { sameShape } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkValues, reduce, withReduction } from "./reduction.js";

const cosineRange: Check = (v) => (typeof v === "number" && v >= -1 && v <= 1 ? null : "a number in [-1, 1]");

export const COSINE_EMBEDDING_OPTIONS = withReduction({
  /** The cosine a dissimilar pair (y = −1) is pushed below, in [−1, 1] (default 0; torch suggests 0 to 0.5). */
  margin: option(0, cosineRange),
});

/** The options of cosineEmbeddingLoss. */
export interface CosineEmbeddingOptions extends OptionsOf<typeof COSINE_EMBEDDING_OPTIONS> {}

/**
 * torch's ε, added to each squared norm so that a zero vector gives cosine 0 rather than NaN: 1e-12 as a C++
 * float, which it stays in float64 too (the gradient at a zero vector, about 1/√ε, shows the difference).
 */
const EPSILON = Math.fround(1e-12);

/**
 * Whether pairs of embeddings are alike (y = 1) or not (y = −1), as torch.nn.functional.cosine_embedding_loss:
 * 1 − cos(x₁, x₂) for y = 1, max(0, cos(x₁, x₂) − margin) for y = −1. Inputs are [N, D] with y [N], or one
 * pair [D] with a 0-d y; cos = x₁·x₂ / √((‖x₁‖² + ε)(‖x₂‖² + ε)), ε = 1e-12.
 * @example const loss = F.cosineEmbeddingLoss(a, b, mn.tensor([1, -1, 1]), { margin: 0.2 });
 */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: CosineEmbeddingOptions = {}): Tensor {
  const name = "cosineEmbeddingLoss";
  const { reduction, margin } = checkOptions(name, options, COSINE_EMBEDDING_OPTIONS);
  requireFloat(name, input1, "input1");
  requireFloat(name, input2, "input2");
  if (!sameShape(input1.shape, input2.shape)) {
    throw new ShapeError({ where: name, what: `input1 ${showShape(input1.shape)} and input2 ${showShape(input2.shape)} differ in shape` });
  }
  if (input1.ndim !== 1 && input1.ndim !== 2) {
    throw new ShapeError({ where: name, what: "inputs must be [batch, features] or one pair [features]", got: showShape(input1.shape) });
  }
  const expected = input1.shape.slice(0, -1);
  if (!sameShape(target.shape, expected)) {
    throw new ShapeError({ where: name, what: `target of shape ${showShape(target.shape)} does not match inputs ${showShape(input1.shape)}`, expected: showShape(expected) });
  }
  checkValues(name, target, (v) => v === 1 || v === -1, "target holds a label other than ±1", "1 (a similar pair) or -1 (a dissimilar one)");
  const dim = input1.ndim - 1;
  const dot = input1.mul(input2).sum(dim);
  const norms = input1.mul(input1).sum(dim).add(EPSILON).mul(input2.mul(input2).sum(dim).add(EPSILON));
  const cos = dot.div(norms.sqrt());
  return reduce(where(target.eq(1), cos.neg().add(1), cos.sub(margin).clamp(0, null)), reduction);
}
