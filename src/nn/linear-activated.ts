import { mm } from "../autograd/ops/matmul.js";
import { biasActivation } from "../autograd/ops/bias-activation.js";
import { ShapeError, showShape } from "../errors.js";
import type { Tensor } from "../tensor/tensor.js";

// Internal: F.linear and Linear's fused Linear+ReLU (Sequential) share it; not part of mn.nn.functional.

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
