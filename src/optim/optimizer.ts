import { enableGrad } from "../autograd/no-grad.js";
import { MinimaError, OptionError, StateDictError, showShape } from "../errors.js";
import { checkOptions, show, withDefaults, type Option } from "../options.js";
import { allocate, type FloatArray } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { kernels } from "../backend/select.js";
import { cannotReplay, guard, hostOp, inPlan, isRecording } from "../backend/capture/record.js";

/** The options every optimizer has (each rule declares them with its own defaults and docs). */
export interface GroupOptions {
  lr?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/** A rule's option spec (src/options.ts): one entry per option of O. */
export type RuleOptions<O> = { [K in keyof O]-?: Option<Exclude<O[K], undefined>> };

/** A param group: its tensors and its resolved options (PyTorch's param_groups entries). */
export type ParamGroup<O> = Required<O> & { params: Tensor[] };

/** Either a list of tensors, or groups with options of their own. */
export type Params<O> = readonly Tensor[] | readonly (O & { params: readonly Tensor[] })[];

/** A parameter's state buffers by name: those its rule's options turn on. */
export type Buffers = Readonly<Partial<Record<string, FloatArray>>>;

/**
 * An update rule: its options, state buffers, the coefficients of a step, and one in-place update over
 * flat arrays. The base class does the rest (groups, state, validation, state dicts), so an optimizer
 * file holds only its math. C names the coefficients the update reads, in order, and B its buffers.
 */
export interface Rule<O extends GroupOptions, C extends readonly number[] = readonly number[], B extends Buffers = Buffers> {
  name: string;
  /** Each option's default, doc and check, in the order messages list them. */
  options: RuleOptions<O>;
  /** Extra validation across options (nesterov needs momentum...); returns an error message or null. */
  validate?(o: Required<O>): string | null;
  /**
   * The state buffers, each on or off for these options, zero-filled at the first step; in the order a fused
   * kernel takes them (with null for one that is off).
   */
  buffers(o: Required<O>): Record<string, boolean>;
  /** Scalar state and its initial values, if the rule keeps any. */
  scalars?(o: Required<O>): Record<string, number>;
  /**
   * The numbers of step t (1 at a parameter's first) that are the same for every element: step sizes, bias
   * corrections, 1 − β, the sign, flags as 1 or 0. They are computed here once per parameter and step (advancing
   * the parameter's scalar state, if any), and both the rule's update and a backend's fused kernel for it
   * (Kernels.optimizerStep, native/src/optim-loops.h) read them, in this order.
   */
  coefficients(o: Required<O>, t: number, scalars: Record<string, number>): C;
  /**
   * The update, in place over flat arrays: the reference a backend's fused kernel must equal. The rules read
   * k by index (destructuring an array cost V8 half the time of a 100-element parameter's step) and turn its
   * flags into booleans before the loop, and read the buffers by name (a buffer that is off is then absent from
   * the record's shape, and V8 drops its test from the loop): each of these cost 3 to 10% of Adam's js step.
   */
  step(p: FloatArray, g: FloatArray, buffers: B, k: C): void;
}

interface ParamState {
  step: number;
  /** The state buffers that are on, by name: what the rule's update and state dicts take. */
  buffers: Record<string, FloatArray>;
  /** The same in the rule's order, null for those that are off: what a fused kernel takes. */
  ordered: (FloatArray | null)[];
  scalars: Record<string, number>;
  /**
   * This step's coefficients, rewritten in place each step (by a host op: a captured step's replay recomputes
   * them from the step count and the group's options, lr included, before its kernels run).
   */
  coefficients?: Float64Array;
}

/** The JSON form of an optimizer's state, as torch's state_dict: state keyed by parameter index. */
export interface OptimizerStateDict {
  state: Record<string, { step: number; [buffer: string]: number | number[] }>;
  paramGroups: Record<string, unknown>[];
}

/**
 * value's elements when it is an iterable other than a tensor or a string; else a clear error (a bare
 * TypeError "params is not iterable" before, for a tensor given where a list of them belongs).
 */
function listOf(where: string, what: string, value: unknown, expected: string): unknown[] {
  const iterable = typeof value === "object" && value !== null && !(value instanceof Tensor) && typeof (value as Iterable<unknown>)[Symbol.iterator] === "function";
  if (iterable) return [...(value as Iterable<unknown>)];
  const got = value instanceof Tensor ? `a tensor ${showShape(value.shape)} (put it in a list: [tensor])` : typeof value === "object" && value !== null
    ? ("params" in value ? "a single param group (put it in a list: [group])" : "an object") : show(value);
  throw new OptionError({ where, what: `${what} is not a list`, expected, got });
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
    this.defaults = this.resolve(options, rule.options);
    const list = listOf(rule.name, "params", params, "an iterable of tensors or of param groups ({ params, ...options }), such as model.parameters()") as
      (Tensor | (O & { params: readonly Tensor[] }))[];
    if (list.length === 0) throw new OptionError({ where: rule.name, what: "got an empty parameter list" });
    const isGroups = list.every((x) => typeof x === "object" && x !== null && "params" in x && !("data" in x));
    if (isGroups) for (const g of list as (O & { params: readonly Tensor[] })[]) this.addParamGroup(g);
    else this.addParamGroup({ params: list as Tensor[] } as unknown as O & { params: readonly Tensor[] });
  }

  /** Checked options, the rest from `spec` (the rule's, or with a group's defaults the optimizer's). */
  private resolve(options: Partial<O>, spec: RuleOptions<O>): Required<O> {
    const o = checkOptions(this.rule.name, options, spec) as Required<O>;
    const problem = this.rule.validate?.(o);
    if (problem) throw new OptionError({ where: this.rule.name, what: problem });
    return o;
  }

  /** Adds a group of parameters with its own options (the rest from the defaults). */
  addParamGroup(group: O & { params: readonly Tensor[] }): void {
    const { params: given, ...options } = group;
    const params = listOf(this.rule.name, "a param group's params", given, "an iterable of tensors") as Tensor[];
    const o = this.resolve(options as unknown as Partial<O>, withDefaults(this.rule.options, this.defaults));
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
      cannotReplay(`${this.rule.name}'s step(closure) reads the closure's loss in JavaScript`);
      const l = enableGrad(closure);
      loss = typeof l === "number" ? l : l.item();
    }
    const table = kernels(), fused = table.optimizerStep;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (p.grad.dtype !== p.dtype || p.grad.numel() !== p.numel()) {
          throw new MinimaError({ where: `${this.rule.name}.step`, what: `the gradient of a parameter does not match it (${p.grad.dtype} [${p.grad.shape}] vs ${p.dtype} [${p.shape}])` });
        }
        const st = this.stateFor(p, group);
        hostOp(() => {
          st.step += 1;
          const k = this.rule.coefficients(group, st.step, st.scalars);
          if (st.coefficients?.length !== k.length) st.coefficients = new Float64Array(k.length);
          st.coefficients.set(k);
        }, {
          writes: () => [st.coefficients!],
          save: () => {
            const step = st.step, scalars = { ...st.scalars };
            return () => { st.step = step; Object.assign(st.scalars, scalars); };
          },
        });
        const k = st.coefficients! as unknown as Parameters<Rule<O>["step"]>[3];
        const data = p.data as FloatArray, grad = p.grad.data as FloatArray;
        // A backend's fused kernel when it has one for this rule, else the rule's own loop (in a captured step, in
        // its place among the kernels: a native plan leaves its addon call for it, still faster than eager).
        if (!fused?.(this.rule.name, data, grad, st.ordered, k)) {
          inPlan(`${this.rule.name}'s update`, () => this.rule.step(data, grad, st.buffers, k), [data, grad, ...Object.values(st.buffers), st.coefficients!]);
        }
      }
    }
    this.guardReplays();
    return loss;
  }

  /**
   * While a step is captured (mn.compile): its replays check first that this optimizer still steps the same
   * parameters with the same state (loadStateDict replaces the state's arrays; addParamGroup adds parameters).
   */
  private guardReplays(): void {
    if (!isRecording()) return;
    const params = this.paramGroups.flatMap((g) => g.params);
    const states = params.map((p) => this.state.get(p));
    guard(() => {
      const now = this.paramGroups.flatMap((g) => g.params);
      if (now.length !== params.length || now.some((p, i) => p !== params[i])) return `${this.rule.name}'s parameters changed`;
      if (params.some((p, i) => this.state.get(p) !== states[i])) return `${this.rule.name}'s state was replaced (loadStateDict)`;
      return null;
    });
  }

  private stateFor(p: Tensor, group: ParamGroup<O>): ParamState {
    let st = this.state.get(p);
    if (!st) {
      st = this.newState(group, 0, () => allocate(p.dtype, p.numel()) as FloatArray, { ...this.rule.scalars?.(group) });
      this.state.set(p, st);
    }
    return st;
  }

  /** A parameter's state with the buffers the group's options turn on, each made by `buffer(name)`. */
  private newState(group: ParamGroup<O>, step: number, buffer: (name: string) => FloatArray, scalars: Record<string, number>): ParamState {
    const buffers: Record<string, FloatArray> = {};
    const ordered = Object.entries(this.rule.buffers(group)).map(([name, on]) => (on ? (buffers[name] = buffer(name)) : null));
    return { step, buffers, ordered, scalars };
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
      Object.assign(group, this.resolve(options as Partial<O>, withDefaults(this.rule.options, this.defaults)));
    });
    this.state.clear();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      if (!p) throw new StateDictError({ where, what: `state for param index ${key}, which the optimizer does not have` });
      const group = this.paramGroups.find((g) => g.params.includes(p))!;
      const saved = (name: string): FloatArray => {
        const values = entry[name];
        if (!Array.isArray(values) || values.length !== p.numel()) {
          throw new StateDictError({ where, what: `buffer ${name} of param ${key} has ${Array.isArray(values) ? values.length : "no"} values, expected ${p.numel()}` });
        }
        const arr = allocate(p.dtype, p.numel()) as FloatArray;
        arr.set(values);
        return arr;
      };
      const st = this.newState(group, entry.step, saved, {});
      for (const name of Object.keys(this.rule.scalars?.(group) ?? {})) {
        const value = entry[name];
        if (typeof value !== "number") throw new StateDictError({ where, what: `scalar state ${name} of param ${key} is missing` });
        st.scalars[name] = value;
      }
      this.state.set(p, st);
    }
  }
}
