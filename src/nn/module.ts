import { ShapeError, StateDictError, showShape } from "../errors.js";
import { show } from "../options.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * The base of every layer and model, as torch.nn.Module: it owns named parameters, buffers
 * and child modules, and gives them back recursively with dotted names ("0.weight").
 * Subclasses register what they own in the constructor and implement `forward`. A child module or a parameter (a
 * leaf tensor that requires grad) assigned to a field is registered under the field's name too, as PyTorch's
 * `self.fc = nn.Linear(4, 2)` is: found when the module is first asked for its parameters, children or state, in the
 * order the fields were assigned, with the state-dict keys registerModule would give ("fc.weight").
 *
 * `Module<In, Out>` types `forward`: `In` is the tuple of its arguments, `Out` what it returns. The defaults
 * (`Tensor[]` in, `Tensor` out) fit every layer that maps tensors to a tensor, so `class Net extends mn.nn.Module` with
 * `forward(x: Tensor): Tensor` needs no type arguments; a forward with other arguments or a tuple output names them.
 * @example class Net extends mn.nn.Module { fc = this.registerModule("fc", new mn.nn.Linear(4, 2)); forward(x: mn.Tensor) { return this.fc.forward(x); } }
 * @example class Net extends mn.nn.Module { fc: mn.nn.Linear; constructor() { super(); this.fc = new mn.nn.Linear(4, 2); } forward(x: mn.Tensor) { return this.fc.forward(x); } }
 * @example class Heads extends mn.nn.Module<[x: mn.Tensor, mask: mn.Tensor], [logits: mn.Tensor, value: mn.Tensor]> {
 *   forward(x: mn.Tensor, mask: mn.Tensor): [mn.Tensor, mn.Tensor] { ... }
 * }
 * const [logits, value] = new Heads().forward(x, mask);
 */
export abstract class Module<In extends unknown[] = Tensor[], Out = Tensor> {
  /** Training mode (dropout, batch norm behave differently); set by train() / eval(). */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly ownModules = new Map<string, AnyModule>();

  /** The computation (torch's forward): called directly, `model.forward(x)`. */
  abstract forward(...inputs: In): Out;

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
  protected registerModule<M extends AnyModule>(name: string, m: M): M {
    this.ownModules.set(name, m);
    return m;
  }

  /**
   * Registers the Module and parameter fields not registered yet (a field assigned a new value replaces what was
   * registered under its name). Each one goes before the first registered entry whose field was assigned after it, so
   * fields and registerModule/registerParameter calls keep the order they were made in. Runs on every query rather than
   * on assignment, so that forward passes read plain fields (a Proxy would slow every property read).
   */
  private adoptFields(): void {
    const keys = Object.keys(this);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!, v = (this as Record<string, unknown>)[key];
      if (v instanceof Module) {
        if (this.ownModules.get(key) !== v && !has(this.ownModules, v)) adopt(this.ownModules, key, v, keys, this);
      } else if (v instanceof Tensor && v.requiresGrad && v.isLeaf) {
        if (this.ownParameters.get(key) !== v && !has(this.ownParameters, v) && !has(this.ownBuffers, v)) adopt(this.ownParameters, key, v, keys, this);
      }
    }
  }

  /** Every parameter, this module's and its descendants'. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** [dotted name, parameter] pairs, in registration order. */
  namedParameters(prefix = ""): [string, Tensor][] {
    this.adoptFields();
    const out: [string, Tensor][] = [];
    for (const [n, p] of this.ownParameters) out.push([prefix + n, p]);
    for (const [n, m] of this.ownModules) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** [dotted name, buffer] pairs (running statistics), in registration order. */
  namedBuffers(prefix = ""): [string, Tensor][] {
    this.adoptFields();
    const out: [string, Tensor][] = [];
    for (const [n, b] of this.ownBuffers) out.push([prefix + n, b]);
    for (const [n, m] of this.ownModules) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** The direct children (of any forward signature: narrow with instanceof to call one). */
  children(): AnyModule[] {
    this.adoptFields();
    return [...this.ownModules.values()];
  }

  /** [name, child] pairs of the direct children, in registration order. */
  namedChildren(): [string, AnyModule][] {
    this.adoptFields();
    return [...this.ownModules.entries()];
  }

  /** This module and all its descendants, depth first. */
  modules(): AnyModule[] {
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

  /** The module tree, as torch prints it: each child indented under its name, `(0): Linear(inFeatures=4, outFeatures=2, bias=true)`. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return head + ")";
    const lines = children.map(([n, m]) => `  (${n}): ${m.toString().replace(/\n/g, "\n  ")}`);
    return `${head}\n${lines.join("\n")}\n)`;
  }
}

/**
 * A module of any forward signature: what a container holds or a function that never calls forward takes.
 * Its forward takes nothing callable (`never`), so calling one needs a narrower type (instanceof, or the class).
 */
export type AnyModule = Module<never, unknown>;

/**
 * A deep copy of a module: objects, arrays, Maps, Sets and Modules are copied with their
 * prototypes; tensors get their own data (same shape and dtype, no grad, no graph; a leaf keeps
 * requiresGrad, a tensor computed from others is copied detached, so it is no parameter); typed arrays are copied once, so views of one storage stay views of one storage.
 * Anything else (functions, Generators, other class instances) is shared.
 */
export function cloneModule<M extends AnyModule>(model: M): M {
  const memo = new Map<object, unknown>();
  const copy = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    if (memo.has(v)) return memo.get(v);
    if (v instanceof Tensor) {
      const t = new Tensor(copy(v.data) as Tensor["data"], v.shape, v.requiresGrad && v.isLeaf);
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

function has<T>(map: Map<string, T>, v: T): boolean {
  for (const x of map.values()) if (x === v) return true;
  return false;
}

/**
 * Puts `v` into `map` under the field name `key`: in place of what was registered under that name, else before the
 * first entry held by a field assigned after `key` (entries without a field keep their place), else last.
 */
function adopt<T>(map: Map<string, T>, key: string, v: T, keys: readonly string[], owner: object): void {
  if (map.has(key)) {
    map.set(key, v);
    return;
  }
  const field = (name: string) => ((owner as Record<string, unknown>)[name] === map.get(name) ? keys.indexOf(name) : -1);
  const at = keys.indexOf(key), entries = [...map];
  const before = entries.findIndex(([name]) => field(name) > at);
  if (before < 0) {
    map.set(key, v);
    return;
  }
  entries.splice(before, 0, [key, v]);
  map.clear();
  for (const [name, x] of entries) map.set(name, x);
}
