import type { Kernels, PlanCall, PlanKernel } from "../kernels.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { kernels, withKernels } from "../select.js";

/**
 * What one step did, as recorded by `record`: its kernel calls in order, the host ops (work done in JavaScript that
 * a replay must redo before the calls: the optimizers' per-step coefficients, dropout's mask), and the first reason
 * the step cannot be replayed at all, if one came up (a kernel result read by JavaScript, a rule without a fused loop).
 */
export interface Trace {
  readonly calls: PlanCall[];
  readonly hostOps: HostOp[];
  /** The arrays the host ops write (each op's `writes`, read after its recorded run): a replay's inputs, like the batch. */
  readonly hostWrites: TypedArray[];
  /** Savers of the JavaScript state the host ops change (a step count, a generator): each returns what puts it back. */
  readonly hostSaves: (() => () => void)[];
  /** Checks a replay makes first: each null while what the step was captured on still holds, else why not. */
  readonly guards: Guard[];
  /** The tensors whose `grad` the step set, with the gradient it left there: a replay sets these back. */
  readonly grads: [owner: { grad: unknown }, grad: unknown][];
  cannotReplay: string | null;
}

/**
 * Work a step does in JavaScript between kernels that a replay must redo, run before the replayed calls, in the
 * order recorded. It may read only state of its own and JavaScript values (a step count, group.lr, a generator),
 * never an array a kernel writes during the step, and must write only arrays it owns (which the calls then read).
 */
export type HostOp = () => void;

/** What a host op changes besides running: the arrays it writes, and how to save and restore its JavaScript state. */
export interface HostEffects {
  /** The arrays the op writes, asked once after its recorded run. */
  writes?(): readonly TypedArray[];
  /** Saves the JavaScript state the op changes (mn.compile's verification runs a step twice from one start); returns its restorer. */
  save?(): () => void;
}

/** A check before each replay: null while the arrays and JavaScript state the step was captured on still hold, else why not. */
export type Guard = () => string | null;

let current: { trace: Trace; table: Kernels; gradOwners: Set<{ grad: unknown }> } | null = null;

/** Whether a step is being recorded now. */
export function isRecording(): boolean {
  return current !== null;
}

/** Runs fn on the unwrapped table during a recording (JavaScript work's own kernel calls are not the step's). */
function unrecorded(fn: () => void): void {
  if (current) withKernels(current.table, fn);
  else fn();
}

/**
 * Runs `op` now and, while a step is being recorded, records it as a host op that every replay runs again (before
 * the step's kernel calls, in recorded order). Eager code calls this where it writes an array in JavaScript each
 * step: outside a recording it is a plain call. `effects` names the arrays it writes (a replay's inputs: a backend
 * that keeps copies copies them in) and saves the JavaScript state it advances (a generator, a step count).
 * @example hostOp(() => fillMask(mask, p, generator), { writes: () => [mask], save: () => savedGenerator(generator) });
 */
export function hostOp(op: HostOp, effects: HostEffects = {}): void {
  const recording = current;
  unrecorded(op);
  if (!recording) return;
  recording.trace.hostOps.push(op);
  if (effects.writes) recording.trace.hostWrites.push(...effects.writes());
  if (effects.save) recording.trace.hostSaves.push(effects.save);
}

/**
 * Runs `work` now and, while a step is being recorded, records it as a call in its place among the kernel calls
 * (kernel "js", args [label, work, touches]): JavaScript that reads arrays the step's kernels wrote, such as an
 * optimizer rule's own loop where the backend fuses none, or batch norm's running statistics. `touches` lists
 * every array it reads or writes (a backend that keeps copies of the arrays copies these out before and in after).
 * The JavaScript replay runs it in order; a backend whose plan runs outside JavaScript splits its run there.
 * @example inPlan(`${rule.name}'s update`, () => rule.step(p, g, buffers, k), [p, g, ...Object.values(buffers), k]);
 */
export function inPlan(label: string, work: () => void, touches: readonly TypedArray[]): void {
  current?.trace.calls.push({ kernel: "js", args: [label, work, touches], result: undefined });
  unrecorded(work);
}

/**
 * Says that the step being recorded cannot be replayed, and why (one clause, shown in the note of the fallback to
 * eager); the first reason is kept. Outside a recording it does nothing.
 * @example cannotReplay(`${this.rule.name}'s step(closure) reads the closure's loss in JavaScript`);
 */
export function cannotReplay(reason: string): void {
  if (current && current.trace.cannotReplay === null) current.trace.cannotReplay = reason;
}

/**
 * Adds a check that every replay makes before it runs (while a step is being recorded; else nothing): when the
 * JavaScript state the step's calls were decided on has changed (an optimizer's state replaced by loadStateDict, a
 * module's training mode), the check says why and the step is captured anew.
 * @example guard(() => (this.state.get(p) === st ? null : "the optimizer's state was replaced"));
 */
export function guard(check: Guard): void {
  current?.trace.guards.push(check);
}

/** A guard that `read()` still gives what it gives now (Object.is), else `reason`. */
export function guardValue(read: () => unknown, reason: string): void {
  if (!current) return;
  const value = read();
  guard(() => (Object.is(read(), value) ? null : reason));
}

/** Notes that the step set `owner.grad` (backward does): a replay leaves there the gradient the step left. */
export function noteGrad(owner: { grad: unknown }): void {
  current?.gradOwners.add(owner);
}

/** Notes that JavaScript read a tensor's values during the step (item()): its JavaScript may depend on them. */
export function noteReadBack(how: string): void {
  cannotReplay(`the step reads a tensor's value in JavaScript (${how})`);
}

/** Kernels whose result a replay cannot reproduce for JavaScript: the step reads a number back mid-step. */
const READ_BACK: ReadonlySet<string> = new Set(["sumOfSquares"]);

/**
 * Runs `step` on the active backend while recording every kernel call it makes (through a wrapper of the kernel
 * table: typed-array arguments are kept by identity, plain arrays copied) and every host op. Recordings do not nest.
 */
export function record<T>(step: () => T): { value: T; trace: Trace } {
  if (current) throw new Error("record: a step is already being recorded (recordings do not nest)");
  const trace: Trace = { calls: [], hostOps: [], hostWrites: [], hostSaves: [], guards: [], grads: [], cannotReplay: null };
  const table = kernels();
  const gradOwners = new Set<{ grad: unknown }>();
  current = { trace, table, gradOwners };
  try {
    const value = withKernels(recordingTable(table, trace), step);
    for (const owner of gradOwners) trace.grads.push([owner, owner.grad]);
    return { value, trace };
  } finally {
    current = null;
  }
}

/** The table with every kernel wrapped to append its call to `trace`. */
function recordingTable(table: Kernels, trace: Trace): Kernels {
  const wrap = (kernel: PlanKernel, fn: (...args: never[]) => unknown, self: object) => (...args: unknown[]) => {
    const result = (fn as (...a: unknown[]) => unknown).apply(self, args);
    trace.calls.push({ kernel, args: args.map(keep), result });
    if (READ_BACK.has(kernel) && trace.cannotReplay === null) trace.cannotReplay = `the step reads ${kernel}'s result back in JavaScript`;
    return result;
  };
  const wrapped: Record<string, unknown> = { ...table };
  for (const [name, value] of Object.entries(table)) {
    if (typeof value !== "function" || name === "setNumThreads" || name === "numThreads" || name === "ready" || name === "compilePlan") continue;
    wrapped[name] = wrap(name as PlanKernel, value as (...args: never[]) => unknown, table);
  }
  const conv = table.convolution;
  if (conv) {
    const convolution: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(conv)) {
      if (typeof fn === "function") convolution[name] = wrap(`convolution.${name}` as PlanKernel, fn as (...args: never[]) => unknown, conv);
    }
    wrapped["convolution"] = convolution;
  }
  return wrapped as unknown as Kernels;
}

/** An argument as a replay passes it: typed arrays (and objects holding them) as they are, plain arrays copied. */
function keep(arg: unknown): unknown {
  if (Array.isArray(arg)) return arg.map(keep);
  return arg;
}
