import { OptionError } from "../errors.js";
import { show } from "../options.js";
import { zeros } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

/** The params as a list of tensors, after checking them and lambda. */
function checkPenalty(where: string, params: Tensor | Iterable<Tensor>, lambda: number): Tensor[] {
  if (typeof lambda !== "number" || !(lambda >= 0) || lambda === Infinity) {
    throw new OptionError({ where, what: "invalid lambda", expected: "a finite number ≥ 0", got: show(lambda) });
  }
  // A model passed whole is the likely mistake: say what to pass instead.
  if (params instanceof Module || params == null || (!(params instanceof Tensor) && typeof (params as Iterable<Tensor>)[Symbol.iterator] !== "function")) {
    throw new OptionError({ where, what: "params must be a Tensor or an iterable of Tensors", expected: "model.parameters() or decayedParameters(model)", got: params instanceof Module ? `a ${params.constructor.name}` : String(params) });
  }
  const list = params instanceof Tensor ? [params] : [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new OptionError({ where, what: `param ${i} is not a Tensor`, got: show(p) });
  });
  return list;
}

/** Σ of f(p) over the params, a 0-d tensor in the graph (float32 zero when there are none). */
function total(list: Tensor[], f: (p: Tensor) => Tensor): Tensor {
  if (list.length === 0) return zeros([]);
  return list.map(f).reduce((acc, s) => acc.add(s));
}

/**
 * The L2 penalty (λ/2)·Σ w² over params, a scalar to add to the loss. Its gradient is λ·w, so
 * SGD on loss + l2Penalty(params, λ) takes the same steps as SGD with weightDecay λ; unlike the
 * optimizer's weightDecay it shows in the loss, and stays L2 regularization (not decoupled decay)
 * with adaptive optimizers such as Adam (Loshchilov & Hutter 2019 explain why that differs).
 * @example const loss = F.crossEntropy(model.forward(x), y).add(mn.nn.l2Penalty(mn.nn.decayedParameters(model), 1e-4));
 */
export function l2Penalty(params: Tensor | Iterable<Tensor>, lambda: number): Tensor {
  return total(checkPenalty("l2Penalty", params, lambda), (p) => p.square().sum()).mul(lambda / 2);
}

/**
 * The L1 penalty λ·Σ|w| over params, a scalar to add to the loss; it pushes weights to exactly
 * zero (sparsity). Its gradient is λ·sign(w), with the subgradient 0 taken at w = 0 (as torch's
 * abs backward), so a weight that lands exactly on 0 is not pushed off it by the penalty.
 * @example const loss = F.mseLoss(model.forward(x), y).add(mn.nn.l1Penalty(mn.nn.decayedParameters(model), 1e-5));
 */
export function l1Penalty(params: Tensor | Iterable<Tensor>, lambda: number): Tensor {
  return total(checkPenalty("l1Penalty", params, lambda), (p) => p.abs().sum()).mul(lambda);
}

/**
 * The parameters worth regularizing: weights of 2 or more dims (Linear and Conv kernels), not
 * biases or BatchNorm's scale and shift. Those few 1-D parameters hardly overfit, and decaying
 * a norm layer's scale only fights the normalization: the usual "no decay on bias and norm" of
 * Keras's kernel_regularizer and of most training recipes.
 * @example const decayed = mn.nn.decayedParameters(model);
 * const rest = model.parameters().filter((p) => !decayed.includes(p));
 * const opt = new mn.optim.AdamW([{ params: decayed, weightDecay: 0.05 }, { params: rest, weightDecay: 0 }]);
 */
export function decayedParameters(model: Module): Tensor[] {
  if (!(model instanceof Module)) throw new OptionError({ where: "decayedParameters", what: "model must be a Module", got: show(model) });
  return model.parameters().filter((p) => p.ndim >= 2);
}
