import { ShapeError, StateDictError, showShape } from "../errors.js";
import { show } from "../options.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * The base of every layer and model, as torch.nn.Module: it owns named parameters, buffers
 * and child modules, and gives them back recursively with dotted names ("0.weight").
 * Subclasses register what they own in the constructor and implement `forward`.
 * @example class Net extends mn.nn.Module { fc = this.registerModule("fc", new mn.nn.Linear(4, 2)); forward(x) { return this.fc.forward(x); } }
 */
export abstract class Module {
  /** Training mode (dropout, batch norm behave differently); set by train() / eval(). */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly ownModules = new Map<string, Module>();

  abstract forward(...inputs: Tensor[]): Tensor;

  /** Registers a trainable tensor (made to require grad) under name, and returns it. */
  protected registerParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    this.ownParameters.set(name, t);
    return t;
  }

  /** Registers state that is saved with the weights but not trained (running statistics). */
  protected registerBuffer(name: string, t: Tensor): Tensor {
    this.ownBuffers.set(name, t);
    return t;
  }

  /** Registers a child module under name, and returns it. */
  protected registerModule<M extends Module>(name: string, m: M): M {
    this.ownModules.set(name, m);
    return m;
  }

  /** Every parameter, this module's and its descendants'. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** [dotted name, parameter] pairs, in registration order. */
  namedParameters(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, p] of this.ownParameters) out.push([prefix + n, p]);
    for (const [n, m] of this.ownModules) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  namedBuffers(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [n, b] of this.ownBuffers) out.push([prefix + n, b]);
    for (const [n, m] of this.ownModules) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** The direct children. */
  children(): Module[] {
    return [...this.ownModules.values()];
  }

  namedChildren(): [string, Module][] {
    return [...this.ownModules.entries()];
  }

  /** This module and all its descendants, depth first. */
  modules(): Module[] {
    return [this, ...this.children().flatMap((c) => c.modules())];
  }

  /** Sets training mode here and below. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode here and below. */
  eval(): this {
    return this.train(false);
  }

  /** Freezes (false) or unfreezes (true) every parameter. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /** Clears the gradients of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Total number of parameter elements. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.numel(), 0);
  }

  /** Parameters and buffers by dotted name, sharing their data (copy before you change them). */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [n, t] of [...this.namedParameters(), ...this.namedBuffers()]) out[n] = t.detach();
    return out;
  }

  /** The stateDict with every tensor copied: a snapshot that later training leaves as it is (best weights, a rollback point). */
  copyStateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [n, t] of Object.entries(this.stateDict())) out[n] = t.clone();
    return out;
  }

  /**
   * Copies values into the parameters and buffers by name. Missing or unexpected keys
   * (when strict) and shape mismatches fail, naming the key.
   */
  loadStateDict(state: Record<string, Tensor>, options: { strict?: boolean } = {}): void {
    const where = `${this.constructor.name}.loadStateDict`;
    if (typeof state !== "object" || state === null || Array.isArray(state) || state instanceof Tensor || state instanceof Map) {
      const got = state instanceof Tensor ? `a tensor ${showShape(state.shape)}` : state instanceof Map ? "a Map (Object.fromEntries(map) makes one)" : show(state);
      throw new StateDictError({ where, what: "the state dict is not an object of tensors", expected: "{ name: tensor }, as stateDict() returns", got });
    }
    const strict = options.strict ?? true;
    const own = new Map([...this.namedParameters(), ...this.namedBuffers()]);
    if (strict) {
      const missing = [...own.keys()].filter((k) => !(k in state));
      const unexpected = Object.keys(state).filter((k) => !own.has(k));
      if (missing.length || unexpected.length) {
        const parts = [];
        if (missing.length) parts.push(`missing keys: ${missing.join(", ")}`);
        if (unexpected.length) parts.push(`unexpected keys: ${unexpected.join(", ")}`);
        throw new StateDictError({ where, what: parts.join("; ") });
      }
    }
    for (const [name, target] of own) {
      const src = state[name];
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) throw new StateDictError({ where, what: `${name} is not a tensor`, got: show(src) });
      if (src.shape.length !== target.shape.length || src.shape.some((d, i) => d !== target.shape[i])) {
        throw new ShapeError({ where, what: `size mismatch for ${name}: the checkpoint has ${showShape(src.shape)}, the model has ${showShape(target.shape)}` });
      }
      target.data.set(src.data);
    }
  }

  /** A one-line description of this module's own settings, shown by toString(). */
  protected extraRepr(): string {
    return "";
  }

  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return head + ")";
    const lines = children.map(([n, m]) => `  (${n}): ${m.toString().replace(/\n/g, "\n  ")}`);
    return `${head}\n${lines.join("\n")}\n)`;
  }
}

/**
 * A deep copy of a module: objects, arrays, Maps, Sets and Modules are copied with their
 * prototypes; tensors get their own data (same shape, dtype and requiresGrad, no grad, no
 * graph); typed arrays are copied once, so views of one storage stay views of one storage.
 * Anything else (functions, Generators, other class instances) is shared.
 */
export function cloneModule<M extends Module>(model: M): M {
  const memo = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    if (memo.has(v)) return memo.get(v);
    if (v instanceof Tensor) {
      const t = new Tensor(copy(v.data) as Tensor["data"], v.shape, v.requiresGrad);
      memo.set(v, t);
      return t;
    }
    if (v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array) {
      const d = v.slice();
      memo.set(v, d);
      return d;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      memo.set(v, out);
      for (const x of v) out.push(copy(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      memo.set(v, out);
      for (const [k, x] of v) out.set(k, copy(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set();
      memo.set(v, out);
      for (const x of v) out.add(copy(x));
      return out;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (!(v instanceof Module) && proto !== Object.prototype && proto !== null) return v;
    const out = Object.create(proto as object | null) as object;
    memo.set(v, out);
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      if ("value" in d) d.value = copy(d.value);
      Object.defineProperty(out, key, d);
    }
    return out;
  };
  return copy(model) as M;
}
