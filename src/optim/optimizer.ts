import { enableGrad } from "../autograd/no-grad.js";
import { MinimaError, OptionError, StateDictError } from "../errors.js";
import { checkOptions, type Check } from "../options.js";
import { allocate, type FloatArray } from "../tensor/dtype.js";
import type { Tensor } from "../tensor/tensor.js";
import { kernels } from "../backend/select.js";

/** Options every optimizer takes. */
export interface GroupOptions {
  lr?: number;
  weightDecay?: number;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

/** A param group: its tensors and its resolved options (PyTorch's param_groups entries). */
export type ParamGroup<O> = Required<O> & { params: Tensor[] };

/** Either a list of tensors, or groups with options of their own. */
export type Params<O> = readonly Tensor[] | readonly (O & { params: readonly Tensor[] })[];

/** What a rule's update sees for one parameter: flat views of its data, gradient and state buffers. */
export interface StepArgs<O> {
  p: FloatArray;
  g: FloatArray;
  /** The state buffers named by `buffers`, zero-filled at the first step. */
  s: Record<string, FloatArray>;
  /** Named scalar state (NAdam's μ product...), updated in place. */
  sc: Record<string, number>;
  /** 1 at the first step of this parameter. */
  t: number;
  o: Required<O>;
}

/**
 * An update rule: defaults, checks, state buffers and one in-place update over flat arrays.
 * The base class does the rest (groups, state, validation, state dicts), so an optimizer
 * file holds only its math.
 */
export interface Rule<O extends GroupOptions> {
  name: string;
  defaults: Required<O>;
  checks: { [K in keyof O]?: Check };
  /** Extra validation across options (nesterov needs momentum...); returns an error message or null. */
  validate?(o: Required<O>): string | null;
  buffers(o: Required<O>): string[];
  /** Scalar state and its initial values, if the rule keeps any. */
  scalars?(o: Required<O>): Record<string, number>;
  /** The update, in place over flat arrays: the reference a backend's fused kernel must equal. */
  step(args: StepArgs<O>): void;
}

interface ParamState {
  step: number;
  buffers: Record<string, FloatArray>;
  scalars: Record<string, number>;
}

/** The JSON form of an optimizer's state, as torch's state_dict: state keyed by parameter index. */
export interface OptimizerStateDict {
  state: Record<string, { step: number; [buffer: string]: number | number[] }>;
  paramGroups: Record<string, unknown>[];
}

/**
 * The base of every optimizer (torch.optim.Optimizer): param groups with their options,
 * lazily created per-parameter state, zeroGrad, step(closure) and state dicts.
 */
export class Optimizer<O extends GroupOptions> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly state = new Map<Tensor, ParamState>();
  protected readonly defaults: Required<O>;

  constructor(params: Params<O>, options: O, protected readonly rule: Rule<O>) {
    this.defaults = this.resolve(options, rule.defaults);
    const list = [...params] as (Tensor | (O & { params: readonly Tensor[] }))[];
    if (list.length === 0) throw new OptionError({ where: rule.name, what: "got an empty parameter list" });
    const isGroups = list.every((x) => typeof x === "object" && x !== null && "params" in x && !("data" in x));
    if (isGroups) for (const g of list as (O & { params: readonly Tensor[] })[]) this.addParamGroup(g);
    else this.addParamGroup({ params: list as Tensor[] } as unknown as O & { params: readonly Tensor[] });
  }

  private resolve(options: Partial<O>, base: Required<O>): Required<O> {
    const o = checkOptions<Required<O>>(this.rule.name, options as Partial<Required<O>>, base, this.rule.checks as { [K in keyof Required<O>]?: Check });
    const problem = this.rule.validate?.(o);
    if (problem) throw new OptionError({ where: this.rule.name, what: problem });
    return o;
  }

  /** Adds a group of parameters with its own options (the rest from the defaults). */
  addParamGroup(group: O & { params: readonly Tensor[] }): void {
    const { params, ...options } = group;
    const o = this.resolve(options as unknown as Partial<O>, this.defaults);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      if (typeof p !== "object" || !("data" in p)) throw new OptionError({ where: this.rule.name, what: `param ${i} of the group is not a Tensor` });
      if (p.dtype === "int32") throw new OptionError({ where: this.rule.name, what: `param ${i} is int32; only floating-point tensors can be optimized` });
      if (seen.has(p)) throw new OptionError({ where: this.rule.name, what: `param ${i} appears in more than one param group` });
      seen.add(p);
    });
    this.paramGroups.push({ ...o, params: [...params] });
  }

  /** Clears gradients: sets them to null (default, as PyTorch ≥ 2.0) or fills them with zeros. */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (options.setToNone ?? true) p.grad = null;
        else if (p.grad) p.grad = p.grad.detach().clone().mul(0);
      }
    }
  }

  /**
   * Updates every parameter that has a gradient; parameters without one are skipped and
   * their step count does not advance. With a closure (which must zero grads, compute the
   * loss, call backward and return the loss) the closure runs first and its loss is returned.
   */
  step(closure?: () => Tensor | number): number | undefined {
    let loss: number | undefined;
    if (closure) {
      const l = enableGrad(closure);
      loss = typeof l === "number" ? l : l.item();
    }
    // A backend may provide a fused kernel under the rule's name; the rule's loop is the fallback.
    const update = (kernels().optimizerSteps?.[this.rule.name] as ((a: StepArgs<O>) => void) | undefined) ?? this.rule.step;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (p.grad.dtype !== p.dtype || p.grad.numel() !== p.numel()) {
          throw new MinimaError({ where: `${this.rule.name}.step`, what: `the gradient of a parameter does not match it (${p.grad.dtype} [${p.grad.shape}] vs ${p.dtype} [${p.shape}])` });
        }
        const st = this.stateFor(p, group);
        st.step += 1;
        update({ p: p.data as FloatArray, g: p.grad.data as FloatArray, s: st.buffers, sc: st.scalars, t: st.step, o: group });
      }
    }
    return loss;
  }

  private stateFor(p: Tensor, group: ParamGroup<O>): ParamState {
    let st = this.state.get(p);
    if (!st) {
      const buffers: Record<string, FloatArray> = {};
      for (const name of this.rule.buffers(group)) buffers[name] = allocate(p.dtype, p.numel()) as FloatArray;
      st = { step: 0, buffers, scalars: { ...this.rule.scalars?.(group) } };
      this.state.set(p, st);
    }
    return st;
  }

  /** A JSON-serializable copy of the state and the groups' options (params as indices). */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict["state"] = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...options } = g;
      const ids = params.map((p) => {
        const st = this.state.get(p);
        if (st) {
          const entry: { step: number; [k: string]: number | number[] } = { ...st.scalars, step: st.step };
          for (const [k, v] of Object.entries(st.buffers)) entry[k] = Array.from(v);
          state[String(index)] = entry;
        }
        return index++;
      });
      return { ...options, params: ids };
    });
    return { state, paramGroups };
  }

  /** Restores a state dict saved from an optimizer over parameters of the same sizes. */
  loadStateDict(sd: OptimizerStateDict): void {
    const where = `${this.rule.name}.loadStateDict`;
    if (!sd || !Array.isArray(sd.paramGroups) || typeof sd.state !== "object") {
      throw new StateDictError({ where, what: "not an optimizer state dict", expected: "{ state, paramGroups }" });
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new StateDictError({ where, what: `the state dict has ${sd.paramGroups.length} param groups, the optimizer ${this.paramGroups.length}` });
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    sd.paramGroups.forEach((saved, gi) => {
      const group = this.paramGroups[gi]!;
      const ids = saved["params"] as number[];
      if (!Array.isArray(ids) || ids.length !== group.params.length) {
        throw new StateDictError({ where, what: `param group ${gi} has ${Array.isArray(ids) ? ids.length : "no"} params in the state dict, ${group.params.length} in the optimizer` });
      }
      const { params: _ignored, ...options } = saved;
      Object.assign(group, this.resolve(options as Partial<O>, this.defaults));
    });
    this.state.clear();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      if (!p) throw new StateDictError({ where, what: `state for param index ${key}, which the optimizer does not have` });
      const group = this.paramGroups.find((g) => g.params.includes(p))!;
      const buffers: Record<string, FloatArray> = {};
      for (const name of this.rule.buffers(group)) {
        const values = entry[name];
        if (!Array.isArray(values) || values.length !== p.numel()) {
          throw new StateDictError({ where, what: `buffer ${name} of param ${key} has ${Array.isArray(values) ? values.length : "no"} values, expected ${p.numel()}` });
        }
        const arr = allocate(p.dtype, p.numel()) as FloatArray;
        arr.set(values);
        buffers[name] = arr;
      }
      const scalars: Record<string, number> = {};
      for (const name of Object.keys(this.rule.scalars?.(group) ?? {})) {
        const value = entry[name];
        if (typeof value !== "number") throw new StateDictError({ where, what: `scalar state ${name} of param ${key} is missing` });
        scalars[name] = value;
      }
      this.state.set(p, { step: entry.step, buffers, scalars });
    }
  }
}
