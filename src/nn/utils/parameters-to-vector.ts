import { cat } from "../../autograd/ops/indexing.js";
import { DTypeError, OptionError, ShapeError, showShape } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";

function tensorList(where: string, params: Iterable<Tensor>): Tensor[] {
  const list = [...params];
  if (list.length === 0) throw new OptionError({ where, what: "got an empty parameter list" });
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new OptionError({ where, what: `param ${i} is not a Tensor`, got: String(p) });
  });
  return list;
}

/**
 * All parameters flattened and joined into one 1-D tensor, in order, as
 * torch.nn.utils.parameters_to_vector: the view of a model as one point θ ∈ ℝⁿ that Newton's
 * method, Hessian-vector products and loss-landscape slices work with. The result is a new
 * tensor, and it stays in the graph (gradients flow back to the parameters). Mixed dtypes are
 * promoted as `mn.cat` promotes them.
 * @example const theta = mn.nn.utils.parametersToVector(model.parameters()); // shape [numParameters]
 */
export function parametersToVector(params: Iterable<Tensor>): Tensor {
  return cat(tensorList("parametersToVector", params).map((p) => p.reshape([p.numel()])));
}

/**
 * Copies a 1-D vector back into the parameters, slice by slice in order, the inverse of
 * parametersToVector (torch.nn.utils.vector_to_parameters). The values are written in place
 * into each parameter's data (converted to its dtype), so optimizers and modules holding the
 * parameters see them. Unlike PyTorch, a vector whose length is not the total number of
 * parameter elements is an error rather than silently truncated.
 * @example mn.noGrad(() => mn.nn.utils.vectorToParameters(theta.add(direction.mul(0.1)), model.parameters()));
 */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor>): void {
  const where = "vectorToParameters";
  if (!(vec instanceof Tensor)) throw new OptionError({ where, what: "vec is not a Tensor", got: String(vec) });
  if (vec.ndim !== 1) throw new ShapeError({ where, what: "vec must be 1-D", got: showShape(vec.shape) });
  if (vec.dtype === "int32") throw new DTypeError({ where, what: "vec is int32; parameters hold floating-point values" });
  const list = tensorList(where, params);
  const total = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.numel() !== total) throw new ShapeError({ where, what: `vec has ${vec.numel()} elements, the parameters ${total}` });
  let offset = 0;
  for (const p of list) {
    p.data.set(vec.data.subarray(offset, offset + p.numel()));
    offset += p.numel();
  }
}
