import { kernels } from "../backend/select.js";
import type { PlanRunner } from "../backend/kernels.js";
import { record, type HostOp } from "../backend/capture/record.js";
import { jsPlanRunner } from "../backend/capture/replay-js.js";
import { MinimaError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";

/** Options of `mn.compile`. */
export interface CompileOptions {
  /** Where the one-line notes go (a step run eagerly, and why). Default console.warn. */
  onNote?: (note: string) => void;
}

/** One captured step for one set of input shapes: its own copies of the inputs, its host ops, its runner. */
interface Plan<R> {
  readonly inputs: readonly Tensor[];
  readonly hostOps: readonly HostOp[];
  readonly runner: PlanRunner;
  /** What the step returned when it was captured: its arrays are rewritten by every replay. */
  readonly value: R;
}

/** A step that cannot be captured for these input shapes: it runs eagerly, and this is why. */
interface Eager {
  readonly eager: string;
}

/**
 * A training step captured once per set of input shapes and replayed after: `run(...inputs)` runs the step eagerly
 * the first time (recording its kernel calls), then replays them on the new inputs. What `run` returns is what the
 * step returned at its capture, rewritten by each replay: read it before the next run.
 */
export class StepCapture<A extends Tensor[], R> {
  private readonly plans = new Map<string, Plan<R> | Eager>();
  /** The notes given so far (also passed to onNote). */
  readonly notes: string[] = [];
  /** How the last run ran. */
  lastRun: "captured" | "replayed" | "eager" | null = null;

  constructor(private readonly step: (...inputs: A) => R, private readonly options: CompileOptions = {}) {}

  run(...inputs: A): R {
    const key = `${kernels().name}|${inputs.map((t) => `${t.dtype}[${t.shape.join(",")}]`).join(" ")}`;
    const plan = this.plans.get(key);
    if (plan === undefined) return this.capture(key, inputs);
    if ("eager" in plan) {
      this.lastRun = "eager";
      return this.step(...inputs);
    }
    inputs.forEach((t, i) => plan.inputs[i]!.data.set(t.data));
    for (const op of plan.hostOps) op();
    plan.runner.run();
    this.lastRun = "replayed";
    return plan.value;
  }

  private capture(key: string, given: A): R {
    // The plan owns its inputs: later batches are copied into these.
    const inputs = given.map((t) => new Tensor(t.data.slice(), t.shape)) as A;
    const { value, trace } = record(() => this.step(...inputs));
    this.lastRun = "captured";
    if (trace.cannotReplay !== null) {
      this.plans.set(key, { eager: trace.cannotReplay });
      this.note(`mn.compile: this step runs eagerly: ${trace.cannotReplay}`);
      return value;
    }
    const table = kernels();
    const compiled = table.compilePlan?.(trace.calls);
    const runner = compiled && !("unsupported" in compiled) ? compiled : jsPlanRunner(trace.calls, table);
    this.plans.set(key, { inputs, hostOps: trace.hostOps, runner, value });
    return value;
  }

  private note(text: string): void {
    this.notes.push(text);
    (this.options.onNote ?? ((m: string) => console.warn(m)))(text);
  }
}

/** A compiled training step: call it with a batch; it returns the step's loss as a number. */
export interface CompiledStep<A extends Tensor[]> {
  (...inputs: A): number;
  /** The capture behind it (notes, how the last call ran). */
  readonly capture: StepCapture<A, Tensor>;
}

/**
 * Captures a training step (zero the gradients, forward, loss, backward, clip, optimizer step; it returns the loss)
 * and replays it: the first call with a set of input shapes runs it eagerly while recording its kernel calls, and
 * later calls replay them on the new batch, in one native call per step on the native backend, with no tensors,
 * tape or fresh arrays. Results equal the eager step's bit for bit on the same backend and thread count. A step the
 * replay cannot take (a kernel result read back mid-step, a rule with no fused kernel on native) runs eagerly, with
 * a one-line note saying why.
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
