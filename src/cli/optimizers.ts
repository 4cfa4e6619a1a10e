import { OptionError } from "../errors.js";
import * as optim from "../optim/index.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import type { Tensor } from "../tensor/tensor.js";

/** Hyperparameters the CLI passes on; each optimizer takes the ones it has. */
export interface OptimizerFlags {
  lr?: number | undefined;
  momentum?: number | undefined;
  nesterov?: boolean | undefined;
  betas?: [number, number] | undefined;
  eps?: number | undefined;
  weightDecay?: number | undefined;
}

/** Parameters, or groups of them with their own learning rate (fine-tuning). */
export type ParamsArg = Tensor[] | { params: Tensor[]; lr: number }[];

interface Entry {
  /** The learning rate used when --lr is not given: each optimizer's usual starting point. */
  lr: number;
  make: (params: never, f: OptimizerFlags, lr: number) => Optimizer<GroupOptions>;
}

const wd = (f: OptimizerFlags) => (f.weightDecay !== undefined ? { weightDecay: f.weightDecay } : {});
const eps = (f: OptimizerFlags) => (f.eps !== undefined ? { eps: f.eps } : {});
const betas = (f: OptimizerFlags) => (f.betas !== undefined ? { betas: f.betas } : {});

/** The names --optimizer takes (config.json's schema lists them). */
export const OPTIMIZER_NAMES = ["sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "adamax", "nadam", "radam", "lion"] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * The optimizers `minima train --optimizer` and `minima compare --optimizers` know, by CLI
 * name. "momentum" and "nesterov" are SGD with μ = 0.9 (or --momentum) and the matching flag.
 */
const OPTIMIZERS: Record<OptimizerName, Entry> = {
  sgd: { lr: 0.05, make: (p, f, lr) => new optim.SGD(p, { lr, momentum: f.momentum ?? 0, nesterov: f.nesterov ?? false, ...wd(f) }) },
  momentum: { lr: 0.05, make: (p, f, lr) => new optim.SGD(p, { lr, momentum: f.momentum || 0.9, ...wd(f) }) },
  nesterov: { lr: 0.05, make: (p, f, lr) => new optim.SGD(p, { lr, momentum: f.momentum || 0.9, nesterov: true, ...wd(f) }) },
  adagrad: { lr: 0.01, make: (p, f, lr) => new optim.Adagrad(p, { lr, ...eps(f), ...wd(f) }) },
  adadelta: { lr: 1.0, make: (p, f, lr) => new optim.Adadelta(p, { lr, ...eps(f), ...wd(f) }) },
  rmsprop: { lr: 1e-3, make: (p, f, lr) => new optim.RMSprop(p, { lr, momentum: f.momentum ?? 0, ...eps(f), ...wd(f) }) },
  adam: { lr: 1e-3, make: (p, f, lr) => new optim.Adam(p, { lr, ...betas(f), ...eps(f), ...wd(f) }) },
  adamw: { lr: 1e-3, make: (p, f, lr) => new optim.AdamW(p, { lr, ...betas(f), ...eps(f), ...wd(f) }) },
  adamax: { lr: 2e-3, make: (p, f, lr) => new optim.Adamax(p, { lr, ...betas(f), ...eps(f), ...wd(f) }) },
  nadam: { lr: 2e-3, make: (p, f, lr) => new optim.NAdam(p, { lr, ...betas(f), ...eps(f), ...wd(f) }) },
  radam: { lr: 1e-3, make: (p, f, lr) => new optim.RAdam(p, { lr, ...betas(f), ...eps(f), ...wd(f) }) },
  lion: { lr: 1e-4, make: (p, f, lr) => new optim.Lion(p, { lr, ...betas(f), ...wd(f) }) },
};

/** The learning rate an optimizer gets without --lr. */
export function defaultLr(name: string): number {
  return entry(name).lr;
}

/** Builds the optimizer named on the command line over params. */
export function makeOptimizer(name: string, params: ParamsArg, flags: OptimizerFlags): Optimizer<GroupOptions> {
  const e = entry(name);
  return e.make(params as never, flags, flags.lr ?? e.lr);
}

function entry(name: string): Entry {
  const e = (OPTIMIZERS as Record<string, Entry>)[name];
  if (!e) throw new OptionError({ where: "--optimizer", what: `unknown optimizer "${name}"`, expected: OPTIMIZER_NAMES.join(", ") });
  return e;
}
