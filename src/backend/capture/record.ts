import type { Kernels, PlanCall, PlanKernel } from "../kernels.js";
import { kernels, withKernels } from "../select.js";

/**
 * What one step did, as recorded by `record`: its kernel calls in order, the host ops (work done in JavaScript that
 * a replay must redo before the calls: the optimizers' per-step coefficients, dropout's mask), and the first reason
 * the step cannot be replayed at all, if one came up (a kernel result read by JavaScript, a rule without a fused loop).
 */
export interface Trace {
  readonly calls: PlanCall[];
  readonly hostOps: HostOp[];
  cannotReplay: string | null;
}

/**
 * Work a step does in JavaScript between kernels that a replay must redo, run before the replayed calls, in the
 * order recorded. It may read only state of its own and JavaScript values (a step count, group.lr, a generator),
 * never an array a kernel writes during the step, and must write only arrays it owns (which the calls then read).
 */
export type HostOp = () => void;

let current: Trace | null = null;

/** Whether a step is being recorded now. */
export function isRecording(): boolean {
  return current !== null;
}

/**
 * Runs `op` now and, while a step is being recorded, records it as a host op that every replay runs again (before
 * the step's kernel calls, in recorded order). Eager code calls this where it writes an array in JavaScript each
 * step: outside a recording it is a plain call.
 * @example hostOp(() => { for (let i = 0; i < mask.length; i++) mask[i] = generator.random() < p ? 0 : scale; });
 */
export function hostOp(op: HostOp): void {
  current?.hostOps.push(op);
  op();
}

/**
 * Runs `work` now and, while a step is being recorded, records it as a call in its place among the kernel calls
 * (kernel "js", args [label, work]): JavaScript that reads arrays the step's kernels wrote, such as an optimizer
 * rule's own loop where the backend fuses none. The JavaScript replay runs it in order; a backend whose plan runs
 * outside JavaScript (native) refuses such a plan, naming the label.
 * @example inPlan(`${rule.name}'s update`, () => rule.step(p, g, buffers, k));
 */
export function inPlan(label: string, work: () => void): void {
  current?.calls.push({ kernel: "js", args: [label, work], result: undefined });
  work();
}

/**
 * Says that the step being recorded cannot be replayed, and why (one clause, shown in the note of the fallback to
 * eager); the first reason is kept. Outside a recording it does nothing.
 * @example cannotReplay(`${rule.name} has no fused kernel on the ${kernels().name} backend`);
 */
export function cannotReplay(reason: string): void {
  if (current && current.cannotReplay === null) current.cannotReplay = reason;
}

/** Kernels whose result a replay cannot reproduce for JavaScript: the step reads a number back mid-step. */
const READ_BACK: ReadonlySet<string> = new Set(["sumOfSquares"]);

/**
 * Runs `step` on the active backend while recording every kernel call it makes (through a wrapper of the kernel
 * table: typed-array arguments are kept by identity, plain arrays copied) and every host op. Recordings do not nest.
 */
export function record<T>(step: () => T): { value: T; trace: Trace } {
  if (current) throw new Error("record: a step is already being recorded (recordings do not nest)");
  const trace: Trace = { calls: [], hostOps: [], cannotReplay: null };
  const table = kernels();
  current = trace;
  try {
    const value = withKernels(recordingTable(table, trace), step);
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
    if (typeof value !== "function" || name === "setNumThreads" || name === "numThreads" || name === "compilePlan") continue;
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
