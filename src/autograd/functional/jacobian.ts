import { Tensor } from "../../tensor/tensor.js";
import { stack } from "../ops/indexing.js";
import { reshape } from "../ops/shape.js";
import { empty } from "../ops/util.js";
import {
  asList, callF, checkNotCaptured, checkOutputsRequireGrad, functionalOptions, gradOrNull, prepareInputs, unpack, zerosForNull,
  type Args, type FunctionalOptions, type Tensors,
} from "./arguments.js";

/**
 * The Jacobian's layout: one Tensor for one input and one output; an array over the inputs (or over the
 * outputs) when only that side is an array; with arrays on both sides, J[i][j] for output i and input j.
 */
export type JacobianOf<I extends Tensors, O extends Tensors> =
  O extends Tensor ? (I extends Tensor ? Tensor : { -readonly [K in keyof I]: Tensor })
    : { -readonly [K in keyof O]: I extends Tensor ? Tensor : { -readonly [L in keyof I]: Tensor } };

/**
 * The Jacobian of f at `inputs` (torch.autograd.functional.jacobian, reverse mode): d output / d input, of
 * shape [...output.shape, ...input.shape], one backward pass per output element — for small outputs.
 * Where an output does not depend on an input, its block is zeros (an error with `strict`); `createGraph`
 * makes the Jacobian differentiable (`hessian` is the Jacobian of the gradient).
 * @example mn.autograd.functional.jacobian((x) => x.square(), mn.tensor([1, 2])); // [[2, 0], [0, 4]]
 */
export function jacobian<const I extends Tensors, const O extends Tensors>(f: (...xs: Args<I>) => O, inputs: I, options?: FunctionalOptions): JacobianOf<I, O> {
  return jacobianOf("jacobian", f as (...xs: Tensor[]) => unknown, inputs, options) as JacobianOf<I, O>;
}

/** jacobian(), with the function name its messages give (hessian runs it twice). */
export function jacobianOf(where: string, f: (...xs: Tensor[]) => unknown, inputs: unknown, options: FunctionalOptions | undefined): Tensor | Tensor[] | Tensor[][] {
  const { createGraph, strict } = functionalOptions(where, options);
  const [inIsArray, given] = asList(where, "inputs", inputs);
  const xs = prepareInputs(where, given, createGraph);
  const [outIsArray, outputs] = callF(where, f, xs);
  checkOutputsRequireGrad(where, outputs, strict);
  checkNotCaptured(where, outputs, given, xs);
  const blocks = outputs.map((out, i) => {
    const rows: Tensor[][] = xs.map(() => []);
    for (let e = 0; e < out.numel(); e++) {
      const seed = empty(out.shape, out.dtype);
      seed.data[e] = 1;
      const grads = gradOrNull([out], [seed], xs, { createGraph, retainGraph: true });
      zerosForNull(where, grads, xs, strict, (j) => `output ${i} of f does not depend on input ${j}`).forEach((g, j) => rows[j]!.push(g));
    }
    const blocksOfOutput = xs.map((x, j) => {
      const shape = [...out.shape, ...x.shape];
      return out.numel() === 0 ? empty(shape, x.dtype) : reshape(stack(rows[j]!), shape);
    });
    return unpack(blocksOfOutput, inIsArray, createGraph);
  });
  return outIsArray ? blocks as Tensor[] | Tensor[][] : blocks[0]!;
}
