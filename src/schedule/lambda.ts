import { OptionError } from "../errors.js";
import { anything, required, type OptionsOf } from "../options.js";
import { LRScheduler, scheduleOptions, type LROptimizer, type PerGroup, type Schedule, type SchedulerOptions } from "./scheduler.js";

/** A factor as a function of the step; it must be pure (same step, same factor) for exact resume. */
export type LrLambda = (step: number) => number;

const isFn = (v: unknown) => (typeof v === "function" ? null : "a function of the step");

const LAMBDA_LR_OPTIONS = {
  /** The factor λ(t), one for every group or one per group (required). */
  lrLambda: required<LrLambda>(isFn),
};

/** LambdaLR's options. */
export interface LambdaLROptions extends SchedulerOptions, PerGroup<OptionsOf<typeof LAMBDA_LR_OPTIONS>, "lrLambda"> {}

/**
 * Lambda schedule (torch.optim.lr_scheduler.LambdaLR): lr_t = base · λ(t).
 * @example const f = mn.optim.lrScheduler.lambdaSchedule({ lrLambda: (t) => 0.95 ** t }); f(1, 0.1); // 0.095
 */
export function lambdaSchedule(options: { lrLambda: LrLambda }): Schedule {
  const o = scheduleOptions("LambdaLR", options, LAMBDA_LR_OPTIONS);
  return (t, base) => base * o.lrLambda(t);
}

/** One lambda per group, from one function or a list (torch's "Expected 2 lr_lambdas, but got 3"). */
export function lambdasFor(where: string, lrLambda: LrLambda | readonly LrLambda[], optimizer: LROptimizer): LrLambda[] {
  const n = optimizer.paramGroups.length;
  if (!Array.isArray(lrLambda)) return Array.from({ length: n }, () => lrLambda as LrLambda);
  if (lrLambda.length !== n) throw new OptionError({ where, what: "invalid lrLambda", expected: `a function or one per param group (${n})`, got: `${lrLambda.length} functions` });
  return [...lrLambda];
}

/**
 * Sets each group's lr to its base lr times λ(t); see {@link lambdaSchedule}.
 * @example const sched = new mn.optim.lrScheduler.LambdaLR(opt, { lrLambda: (t) => 1 / (1 + 0.05 * t) });
 */
export class LambdaLR extends LRScheduler {
  constructor(optimizer: LROptimizer, options: LambdaLROptions) {
    const { lrLambda, ...rest } = options;
    // Unknown keys and a missing lrLambda fail before the split into one lambda per group.
    scheduleOptions("LambdaLR", options, { lrLambda: required(anything) });
    super(optimizer, lambdasFor("LambdaLR", lrLambda, optimizer).map((fn) => lambdaSchedule({ ...rest, lrLambda: fn })), options);
  }
}

