import type { Tensor } from "../../tensor/tensor.js";
import {
  callF, checkNotCaptured, checkOutputsRequireGrad, checkV, functionalOptions, gradOrNull, prepareInputs, unpack, asList, zerosForNull,
  type Args, type FunctionalOptions, type Like, type Tensors,
} from "./arguments.js";

/**
 * The vector-Jacobian product vᵀ·J of f at `inputs` (torch.autograd.functional.vjp): one backward pass
 * seeded with v. Returns `[output, vjp]`: f's output, and the product shaped like the inputs (a Tensor
 * for a Tensor, an array for an array). v matches f's output; it may be omitted when that is a single
 * Tensor with one element (v = 1 then, and vjp is the gradient). An input the output does not depend on
 * gets zeros (an error with `strict`); `createGraph` keeps both results differentiable.
 * @example const [y, g] = mn.autograd.functional.vjp((x) => x.square(), x, mn.onesLike(x)); // g = 2x
 */
export function vjp<const I extends Tensors, const O extends Tensors>(f: (...xs: Args<I>) => O, inputs: I, v?: Like<O>,
  options?: FunctionalOptions): [Like<O>, Like<I>] {
  const { createGraph, strict } = functionalOptions("vjp", options);
  const [inIsArray, given] = asList("vjp", "inputs", inputs);
  const xs = prepareInputs("vjp", given, createGraph);
  const [outIsArray, outputs] = callF("vjp", f as (...xs: Tensor[]) => unknown, xs);
  checkOutputsRequireGrad("vjp", outputs, strict);
  checkNotCaptured("vjp", outputs, given, xs);
  const vs = checkV("vjp", v, outputs, outIsArray, "output");
  const grads = gradOrNull(outputs, vs, xs, { createGraph });
  const products = zerosForNull("vjp", grads, xs, strict, (i) => `the output of f does not depend on input ${i}`);
  return [unpack(outputs, outIsArray, createGraph), unpack(products, inIsArray, createGraph)] as [Like<O>, Like<I>];
}
