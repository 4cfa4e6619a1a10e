// What torch.autograd.functional's helpers share: one Tensor or an array of them in, the same structure
// out; inputs made into fresh graph leaves; v checked against what it multiplies; gradients that are
// null where an output does not depend on an input, turned into zeros (or an error in strict mode).
import { AutogradError, DTypeError, ShapeError, showShape } from "../../errors.js";
import { checkOptions, isBoolean, option, type OptionsOf } from "../../options.js";
import { isFloat } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { onesLike, propagate } from "../backward.js";
import { empty } from "../ops/util.js";
import { record, withGradMode } from "../tape.js";

/** One tensor, or several (a function of several is called with them spread, as torch calls func(*inputs)). */
export type Tensors = Tensor | readonly Tensor[];

/** A result shaped like T: a Tensor for a Tensor, an array of as many Tensors for an array (a tuple keeps its length). */
export type Like<T extends Tensors> = T extends Tensor ? Tensor : { -readonly [K in keyof T]: Tensor };

/** The arguments f is called with: the one Tensor, or the array's Tensors spread. */
export type Args<T extends Tensors> = T extends readonly Tensor[] ? T : [T];

export const FUNCTIONAL_OPTIONS = {
  /** Record the computation of the results too, so they can be differentiated again (torch's create_graph; default false). */
  createGraph: option(false, isBoolean),
  /**
   * Fail when a result would be zeros only because an output does not depend on an input (or a gradient
   * on the inputs), instead of returning those zeros (torch's strict; default false).
   */
  strict: option(false, isBoolean),
};

/** Options of vjp, jvp, hvp, vhp, jacobian and hessian. */
export interface FunctionalOptions extends OptionsOf<typeof FUNCTIONAL_OPTIONS> {}

export function functionalOptions(where: string, given: FunctionalOptions | undefined): { createGraph: boolean; strict: boolean } {
  return checkOptions(where, given, FUNCTIONAL_OPTIONS);
}

/** A Tensor or an array of Tensors as [isArray, the tensors], or a message naming what is not a Tensor. */
export function asList(where: string, name: string, value: unknown, item = (i: number) => `${name}[${i}]`): [boolean, Tensor[]] {
  const isArray = Array.isArray(value);
  const list: unknown[] = isArray ? value : [value];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new DTypeError({ where, what: `${isArray ? item(i) : name} is not a Tensor`, expected: "a Tensor or an array of Tensors", got: describe(t) });
    }
  });
  return [isArray, list as Tensor[]];
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? (value.constructor?.name ?? "an object") : typeof value;
}

/**
 * The inputs as new tensors that require grad, so gradients are taken with respect to exactly these (not
 * the same tensors captured by f): detached copies sharing data, or with createGraph a recorded alias of an
 * input that requires grad, so the results stay differentiable with respect to the caller's tensor.
 */
export function prepareInputs(where: string, inputs: readonly Tensor[], createGraph: boolean): Tensor[] {
  return inputs.map((t, i) => {
    if (!isFloat(t.dtype)) throw new DTypeError({ where, what: `input ${i} must be a floating-point tensor`, expected: "float32 or float64", got: t.dtype });
    if (createGraph && t.requiresGrad) return withGradMode(true, () => record(new Tensor(t.data, t.shape), "alias", [t], (gy) => [gy]));
    return t.detach().requiresGrad_(true);
  });
}

/** Calls f with recording on (even inside noGrad) and checks it returned a Tensor or an array of Tensors. */
export function callF(where: string, f: (...xs: Tensor[]) => unknown, inputs: readonly Tensor[]): [boolean, Tensor[]] {
  return outputsOf(where, withGradMode(true, () => f(...inputs)));
}

/** f's result as [isArray, the tensors], or a message naming what is not a Tensor. */
export function outputsOf(where: string, out: unknown): [boolean, Tensor[]] {
  return asList(where, "the output of f", out, (i) => `output ${i} of f`);
}

/**
 * v as a list matching `refs` (what it multiplies: f's outputs or the inputs) in count, shape and dtype.
 * Omitted, it is a single 1, which only a single one-element ref allows.
 */
export function checkV(where: string, v: unknown, refs: readonly Tensor[], refsAreArray: boolean, kind: "output" | "input"): Tensor[] {
  const whole = kind === "output" ? `the output${refsAreArray ? "s" : ""} of f` : `the input${refsAreArray ? "s" : ""}`;
  if (v === undefined) {
    const ref = refs[0]!;
    if (refsAreArray || ref.numel() !== 1) {
      throw new AutogradError({
        where, what: `v can be omitted only when ${kind === "output" ? "f returns" : "the input is"} a single Tensor with one element`,
        got: refsAreArray ? `an array of ${refs.length}` : `shape ${showShape(ref.shape)}`,
      });
    }
    return [onesLike(ref)];
  }
  const [vIsArray, vs] = asList(where, "v", v);
  if (vIsArray !== refsAreArray || vs.length !== refs.length) {
    throw new ShapeError({
      where, what: `v must match ${whole}`,
      expected: refsAreArray ? `an array of ${refs.length} Tensors` : "a Tensor",
      got: vIsArray ? `an array of ${vs.length}` : "a Tensor",
    });
  }
  vs.forEach((t, i) => {
    const ref = refs[i]!;
    const what = refsAreArray ? `v[${i}] does not match ${kind} ${i}${kind === "output" ? " of f" : ""}` : `v does not match ${whole}`;
    if (t.shape.length !== ref.shape.length || t.shape.some((d, k) => d !== ref.shape[k])) {
      throw new ShapeError({ where, what, expected: `shape ${showShape(ref.shape)}`, got: showShape(t.shape) });
    }
    if (t.dtype !== ref.dtype) throw new ShapeError({ where, what, expected: `dtype ${ref.dtype}`, got: t.dtype });
  });
  return vs.map((t) => t.detach());
}

/**
 * The gradients of outputs (seeded by `seeds`) with respect to each input, null where no output depends on
 * it. Outputs that do not require grad contribute nothing (torch's _autograd_grad).
 */
export function gradOrNull(outputs: readonly (Tensor | null)[], seeds: readonly Tensor[], inputs: readonly Tensor[],
  options: { createGraph: boolean; retainGraph?: boolean }): (Tensor | null)[] {
  const live = outputs.flatMap((o, i) => (o !== null && o.requiresGrad ? [i] : []));
  if (live.length === 0) return inputs.map(() => null);
  const grads = propagate(live.map((i) => outputs[i]!), live.map((i) => seeds[i]!), options);
  return inputs.map((t) => {
    const g = grads.get(t);
    if (g === undefined) return null;
    return options.createGraph ? g : g.detach();
  });
}

/** Zeros shaped like refs where a gradient is null, or the strict-mode error naming the input. */
export function zerosForNull(where: string, grads: readonly (Tensor | null)[], refs: readonly Tensor[], strict: boolean, independent: (i: number) => string): Tensor[] {
  return grads.map((g, i) => {
    if (g === null) {
      if (strict) throw new AutogradError({ where, what: `${independent(i)}, which strict mode does not allow` });
      return empty(refs[i]!.shape, refs[i]!.dtype);
    }
    return g;
  });
}

/**
 * Fails where f used a caller's input itself (captured, as a Module's forward uses its parameters) and not
 * the argument it was called with: the derivative with respect to the argument is then zero, which torch
 * returns silently.
 */
export function checkNotCaptured(where: string, outputs: readonly (Tensor | null)[], given: readonly Tensor[], args: readonly Tensor[]): void {
  if (!given.some((t, i) => t.requiresGrad && t !== args[i])) return;
  const reached = new Set<Tensor>();
  const stack = outputs.filter((o): o is Tensor => o !== null && o.requiresGrad);
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (reached.has(t)) continue;
    reached.add(t);
    for (const input of t.gradFn?.inputs ?? []) if (input.requiresGrad) stack.push(input);
  }
  given.forEach((t, i) => {
    if (reached.has(t) && !reached.has(args[i]!)) {
      throw new AutogradError({
        where, what: `f used input ${i} itself, not the argument it was called with, so the derivative with respect to that argument is zero; `
          + "compute from f's arguments (a Module's forward uses its own parameters: write the loss as a function of them, or use mn.autograd.grad)",
      });
    }
  });
}

/** Under strict mode, fails for an output of f that is not computed from the inputs. */
export function checkOutputsRequireGrad(where: string, outputs: readonly Tensor[], strict: boolean): void {
  if (!strict) return;
  outputs.forEach((o, i) => {
    if (!o.requiresGrad) throw new AutogradError({ where, what: `output ${i} of f does not require grad (it is not computed from the inputs), which strict mode does not allow` });
  });
}

/** The tensors back in the caller's structure: the one Tensor, or the array. Detached unless createGraph. */
export function unpack(list: readonly Tensor[], isArray: boolean, createGraph: boolean): Tensor | Tensor[] {
  const out = createGraph ? [...list] : list.map((t) => (t.requiresGrad ? t.detach() : t));
  return isArray ? out : out[0]!;
}
