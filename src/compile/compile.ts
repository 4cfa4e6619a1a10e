import { kernels } from "../backend/select.js";
import type { PlanRunner } from "../backend/kernels.js";
import { record, type Trace } from "../backend/capture/record.js";
import { jsPlanRunner } from "../backend/capture/replay-js.js";
import { MinimaError } from "../errors.js";
import { checkOptions, isFunction, option, positiveInt, type OptionsOf } from "../options.js";
import { Tensor } from "../tensor/tensor.js";
import type { TypedArray } from "../tensor/dtype.js";
import { copyArrays, differenceOf, saveState } from "./verify.js";

const COMPILE_OPTIONS = {
  /** Where the one-line notes go (a step run eagerly, and why) (default console.warn). */
  onNote: option<(note: string) => void>((note: string) => console.warn(note), isFunction),
  /**
   * How many sets of input shapes (per backend) are captured; a further one runs eagerly, with a note (default 8,
   * torch.compile's cache size limit).
   */
  maxCaptures: option(8, positiveInt),
};

/** Options of `mn.compile`. */
export interface CompileOptions extends OptionsOf<typeof COMPILE_OPTIONS> {}

/** One captured step for one set of input shapes: its own copies of the inputs, its trace, its runner. */
interface Plan<R> {
  readonly inputs: readonly Tensor[];
  readonly trace: Trace;
  readonly runner: PlanRunner;
  /** What the step returned when it was captured: its arrays are rewritten by every replay. */
  readonly value: R;
  /** Whether a second run checked it (verify). */
  verified: boolean;
  /**
   * The inputs the step was captured with, kept until a verification ran on different ones (then null). JavaScript
   * inside an op (a copy, an index loop) that computes from the batch is not among the kernel calls: a verification
   * on the very same batch cannot see that its replay would keep the capture's values, so a later, different batch
   * verifies again.
   */
  capturedInputs: TypedArray[] | null;
}

/** A step that cannot be captured for these input shapes: it runs eagerly, and this is why. */
interface Eager {
  readonly eager: string;
}

/** How a call of StepCapture.run ran. */
export type RunKind = "captured" | "verified" | "replayed" | "eager";

/**
 * A training step captured once per set of input shapes and replayed after. The protocol, per backend and set of
 * input shapes (dtype and shape of each input, as CUDA graphs and torch.compile's shape guards key theirs):
 *
 * 1. "captured": the first call runs the step eagerly on the plan's own copies of the inputs, recording its kernel
 *    calls, host ops (coefficients, dropout masks), guards and the gradients it leaves. A step that reads a value
 *    back in JavaScript (item(), a norm) or uses what no replay has runs eagerly from then on, with a note.
 * 2. "verified": the second call saves every array the trace touches and the JavaScript state its host ops change
 *    (step counts, generators), replays the plan on the new batch, puts the saved state back, and runs the step
 *    eagerly again while recording. The second run must make the same calls with the same numbers and shapes, its
 *    arrays in one-to-one correspondence with the first's (parameters and state the same arrays), and the replay
 *    must have left every array bit for bit as the eager run did. Else the step runs eagerly for these shapes from
 *    then on, with a note naming the first difference. Either way this call's results are the eager run's. A second
 *    call on the very batch of the first verifies only for that batch: the first call with a different one verifies
 *    again (JavaScript inside an op that computes from the batch, which no kernel call shows, differs only then).
 * 3. "replayed": later calls copy the inputs in, check the guards, run the host ops and the plan, and set each
 *    gradient the step set back to the tensor the replay wrote. A guard that fails (an optimizer's state replaced by
 *    loadStateDict, a parameter added, a module's training mode changed) captures the step anew (`recaptured` says
 *    why), so a replay never writes into arrays no longer in use.
 *
 * JavaScript in the step runs only when it is captured and verified: a number it computes is the capture's. What
 * `run` returns is what the step returned at its capture (or verification), rewritten by each replay: read it
 * before the next run.
 */
export class StepCapture<A extends Tensor[], R> {
  private readonly plans = new Map<string, Plan<R> | Eager>();
  private readonly options: Required<CompileOptions>;
  /** The notes given so far (also passed to onNote). */
  readonly notes: string[] = [];
  /** Why the step was captured anew, for each time a guard failed. */
  readonly recaptured: string[] = [];
  /** How the last run ran. */
  lastRun: RunKind | null = null;

  constructor(private readonly step: (...inputs: A) => R, options: CompileOptions = {}) {
    this.options = checkOptions("compile", options, COMPILE_OPTIONS);
  }

  run(...inputs: A): R {
    const shapes = inputs.map((t) => `${t.dtype}[${t.shape.join(",")}]`).join(" ");
    const key = `${kernels().name}|${shapes}`;
    const plan = this.plans.get(key);
    if (plan === undefined) {
      if (this.plans.size < this.options.maxCaptures) return this.capture(key, inputs.map((t) => new Tensor(t.data.slice(), t.shape)));
      return this.eager(key, shapes, `it was captured for ${this.options.maxCaptures} sets of input shapes already (maxCaptures)`, inputs);
    }
    if ("eager" in plan) {
      this.lastRun = "eager";
      return this.step(...inputs);
    }
    inputs.forEach((t, i) => plan.inputs[i]!.data.set(t.data));
    const stale = this.staleness(plan.trace);
    if (stale !== null) {
      this.recaptured.push(stale);
      plan.runner.dispose?.();
      return this.capture(key, plan.inputs);
    }
    if (!plan.verified || (plan.capturedInputs !== null && !sameInputs(plan))) return this.verify(key, shapes, plan);
    replay(plan);
    this.lastRun = "replayed";
    return plan.value;
  }

  /** Runs the step eagerly on `inputs` (the plan's own), recording it: the plan for `key`, unverified. */
  private capture(key: string, inputs: readonly Tensor[]): R {
    const { value, trace } = record(() => this.step(...(inputs as A)));
    if (trace.cannotReplay !== null) {
      this.setEager(key, inputs, trace.cannotReplay);
      this.lastRun = "eager";
      return value;
    }
    this.lastRun = "captured";
    const table = kernels();
    const compiled = table.compilePlan?.(trace.calls, [...inputs.map((t) => t.data), ...trace.hostWrites]);
    const runner = compiled && !("unsupported" in compiled) ? compiled : jsPlanRunner(trace.calls, table);
    this.plans.set(key, { inputs, trace, runner, value, verified: false, capturedInputs: inputs.map((t) => t.data.slice()) });
    return value;
  }

  /** The second run: the replay from the step's start state against the eager step (see the class's protocol). */
  private verify(key: string, shapes: string, plan: Plan<R>): R {
    const start = saveState(plan.trace);
    let replayed: ReturnType<typeof copyArrays> | null = null, failure: string | null = null;
    try {
      replay(plan);
      replayed = copyArrays(plan.trace);
    } catch (e) {
      failure = `its replay failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    start.restore();
    // The eager run decides this call's results (and whether an error the replay met is the step's own).
    const { value, trace } = record(() => this.step(...(plan.inputs as A)));
    const problem = failure ?? trace.cannotReplay ?? differenceOf(plan.trace, trace, replayed!);
    if (problem !== null) {
      plan.runner.dispose?.();
      this.setEagerNote(key, shapes, problem);
      this.lastRun = "eager";
    } else {
      plan.verified = true;
      if (!sameInputs(plan)) plan.capturedInputs = null;
      this.lastRun = "verified";
    }
    return value;
  }

  /** The first failing guard's reason, or null. */
  private staleness(trace: Trace): string | null {
    for (const check of trace.guards) {
      const reason = check();
      if (reason !== null) return reason;
    }
    return null;
  }

  private setEager(key: string, inputs: readonly Tensor[], reason: string): void {
    this.setEagerNote(key, inputs.map((t) => `${t.dtype}[${t.shape.join(",")}]`).join(" "), reason);
  }

  private setEagerNote(key: string, shapes: string, reason: string): void {
    this.plans.set(key, { eager: reason });
    this.note(`mn.compile: the step runs eagerly for inputs ${shapes}: ${reason}`);
  }

  private eager(key: string, shapes: string, reason: string, inputs: A): R {
    this.setEagerNote(key, shapes, reason);
    this.lastRun = "eager";
    return this.step(...inputs);
  }

  private note(text: string): void {
    this.notes.push(text);
    this.options.onNote(text);
  }
}

/** Whether the plan's inputs hold, bit for bit, what it was captured with. */
function sameInputs<R>(plan: Plan<R>): boolean {
  return plan.capturedInputs !== null && plan.inputs.every((t, i) => sameBits(t.data, plan.capturedInputs![i]!));
}

function sameBits(a: TypedArray, b: TypedArray): boolean {
  // Every dtype's elements are 4 or 8 bytes: compared as 32-bit words.
  const x = new Int32Array(a.buffer, a.byteOffset, a.byteLength / 4), y = new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** One replay: the host ops, the plan's calls, and the gradients left where the step leaves them. */
function replay<R>(plan: Plan<R>): void {
  for (const op of plan.trace.hostOps) op();
  plan.runner.run();
  for (const [owner, grad] of plan.trace.grads) owner.grad = grad;
}

/** A compiled training step: call it with a batch; it returns the step's loss as a number. */
export interface CompiledStep<A extends Tensor[]> {
  (...inputs: A): number;
  /** The capture behind it (notes, how the last call ran). */
  readonly capture: StepCapture<A, Tensor>;
}

/**
 * Captures a training step (zero the gradients, forward, loss, backward, clip, optimizer step; it returns the loss)
 * and replays it: the first call with a set of input shapes runs it eagerly while recording its kernel calls, the
 * second checks a replay against the eager step bit for bit, and later calls replay them on the new batch (in one
 * native call per step on the native backend) with no tensors, tape or fresh arrays. Results equal the eager
 * step's bit for bit on the same backend and thread count. A step the replay cannot take (a value read back in
 * JavaScript mid-step, a branch on data, SAM) runs eagerly, with a one-line note
 * saying why. See StepCapture for the protocol.
 * @example
 * const step = mn.compile((x, y) => { opt.zeroGrad(); const loss = F.crossEntropy(model.forward(x), y); loss.backward(); opt.step(); return loss; });
 * for (const [x, y] of loader) step(x, y);
 */
export function compile<A extends Tensor[]>(step: (...inputs: A) => Tensor, options: CompileOptions = {}): CompiledStep<A> {
  if (typeof step !== "function") throw new MinimaError({ where: "compile", what: "the step must be a function of the batch's tensors that returns the loss", got: typeof step });
  const capture = new StepCapture<A, Tensor>(step, options);
  const compiled = (...inputs: A): number => {
    const loss = capture.run(...inputs);
    if (!(loss instanceof Tensor) || loss.numel() !== 1) {
      throw new MinimaError({ where: "compile", what: "the step must return the loss, a tensor of one element", got: loss instanceof Tensor ? `a tensor of shape [${loss.shape.join(",")}]` : typeof loss });
    }
    return loss.item();
  };
  return Object.assign(compiled, { capture });
}
