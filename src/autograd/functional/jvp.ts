import type { Tensor } from "../../tensor/tensor.js";
import { empty } from "../ops/util.js";
import {
  asList, callF, checkNotCaptured, checkOutputsRequireGrad, checkV, functionalOptions, gradOrNull, prepareInputs, unpack, zerosForNull,
  type Args, type FunctionalOptions, type Like, type Tensors,
} from "./arguments.js";

/**
 * The Jacobian-vector product J·v of f at `inputs` (torch.autograd.functional.jvp), by double backward as
 * torch computes it: the backward pass is linear in its seed u, so differentiating Jᵀu with respect to u,
 * seeded with v, gives J·v — forward-mode results from reverse mode, at the cost of two backward passes.
 * Returns `[output, jvp]`, the product shaped like f's output. v matches the inputs; it may be omitted
 * when the input is a single Tensor with one element. Options as `vjp`.
 * @example const [y, dy] = mn.autograd.functional.jvp((x) => x.tanh(), x, v); // dy = (1 − y²)·v
 */
export function jvp<const I extends Tensors, const O extends Tensors>(f: (...xs: Args<I>) => O, inputs: I, v?: Like<I>,
  options?: FunctionalOptions): [Like<O>, Like<O>] {
  const { createGraph, strict } = functionalOptions("jvp", options);
  const [inIsArray, given] = asList("jvp", "inputs", inputs);
  const xs = prepareInputs("jvp", given, createGraph);
  const vs = checkV("jvp", v, xs, inIsArray, "input");
  const [outIsArray, outputs] = callF("jvp", f as (...xs: Tensor[]) => unknown, xs);
  checkOutputsRequireGrad("jvp", outputs, strict);
  checkNotCaptured("jvp", outputs, given, xs);
  // The seed's value never reaches the result (the backward is linear in it); zeros keep NaN and ∞ out.
  const us = outputs.map((o) => empty(o.shape, o.dtype).requiresGrad_(true));
  const transposed = gradOrNull(outputs, us, xs, { createGraph: true });
  if (strict) zerosForNull("jvp", transposed, xs, true, (i) => `the output of f does not depend on input ${i}`);
  const grads = gradOrNull(transposed, vs, us, { createGraph });
  const products = zerosForNull("jvp", grads, outputs, strict, (i) => `output ${i} of f does not depend on the inputs`);
  return [unpack(outputs, outIsArray, createGraph), unpack(products, outIsArray, createGraph)] as [Like<O>, Like<O>];
}
