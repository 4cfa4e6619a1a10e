import { optim, type Tensor } from "../../../src/index.js";
import type { RacerSettings } from "./settings.js";

/** minima's optimizer for a racer, with every slider's value passed as its option (beta1 and beta2 as betas). */
export function makeOptimizer(racer: RacerSettings, params: Tensor[]): { zeroGrad(): void; step(): unknown } {
  const v = racer.values;
  const n = (key: string) => v[key]!;
  const betas = (): [number, number] => [n("beta1"), n("beta2")];
  switch (racer.name) {
    case "sgd": return new optim.SGD(params, { lr: n("lr") });
    case "momentum": return new optim.SGD(params, { lr: n("lr"), momentum: n("momentum") });
    case "nesterov": return new optim.SGD(params, { lr: n("lr"), momentum: n("momentum"), nesterov: true });
    case "adagrad": return new optim.Adagrad(params, { lr: n("lr"), eps: n("eps") });
    case "adadelta": return new optim.Adadelta(params, { lr: n("lr"), rho: n("rho"), eps: n("eps") });
    case "rmsprop": return new optim.RMSprop(params, { lr: n("lr"), alpha: n("alpha"), eps: n("eps") });
    case "adam": return new optim.Adam(params, { lr: n("lr"), betas: betas(), eps: n("eps") });
    case "adamw": return new optim.AdamW(params, { lr: n("lr"), betas: betas(), eps: n("eps"), weightDecay: n("weightDecay") });
    case "adamax": return new optim.Adamax(params, { lr: n("lr"), betas: betas(), eps: n("eps") });
    case "nadam": return new optim.NAdam(params, { lr: n("lr"), betas: betas(), eps: n("eps") });
    case "radam": return new optim.RAdam(params, { lr: n("lr"), betas: betas(), eps: n("eps") });
    case "lion": return new optim.Lion(params, { lr: n("lr"), betas: betas() });
    default: throw new Error(`race: no optimizer "${racer.name}"`);
  }
}
