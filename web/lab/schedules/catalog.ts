import { optim } from "../../../src/index.js";

const S = optim.lrScheduler;
type LROptimizer = optim.lrScheduler.LROptimizer;
type LRScheduler = optim.lrScheduler.LRScheduler;

/** A control's value: what the scheduler's option takes (a number, a flag, a choice, a list of steps), or null for "not set". */
export type OptionValue = number | boolean | string | number[] | null;

/** One option of a scheduler, as the page shows it: its library name, its default for the explorer, and how to edit it. */
export type Control =
  | { name: string; type: "number"; value: number; min?: number; max?: number; step?: number }
  | { name: string; type: "optional-number"; value: null; min?: number; step?: number }
  | { name: string; type: "bool"; value: boolean }
  | { name: string; type: "choice"; value: string; choices: readonly string[] }
  | { name: string; type: "list"; value: number[] };

/** A scheduler of mn.optim.lrScheduler: its options as controls, and how the page builds it from their values. */
export interface SchedulerEntry {
  /** What the page says it is (the closed form, or what drives it). */
  about: string;
  controls: readonly Control[];
  build(optimizer: LROptimizer, values: Record<string, OptionValue>): LRScheduler;
}

/** The options as the library takes them: a control left empty (null) is not given, so the library's default applies. */
const given = (values: Record<string, OptionValue>) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)) as never;

const num = (name: string, value: number, range: { min?: number; max?: number; step?: number } = {}): Control => ({ name, type: "number", value, ...range });
const int = (name: string, value: number, min = 1): Control => num(name, value, { min, step: 1 });
const factor = (name: string, value: number): Control => num(name, value, { min: 0, max: 1, step: 0.01 });
const lr = (name: string, value: number): Control => num(name, value, { min: 0, step: 0.001 });
const plain = (cls: new (o: LROptimizer, options: never) => LRScheduler) => (o: LROptimizer, v: Record<string, OptionValue>) => new cls(o, given(v));

/**
 * Every scheduler minima has, by class name, with defaults that show its shape over the explorer's 1000 steps.
 * LambdaLR and MultiplicativeLR take a function, which a URL cannot hold: the page offers one family of each,
 * with its parameter as the control.
 */
export const SCHEDULERS: Record<string, SchedulerEntry> = {
  StepLR: { about: "lr · γ^⌊t / stepSize⌋", controls: [int("stepSize", 200), factor("gamma", 0.5)], build: plain(S.StepLR) },
  MultiStepLR: { about: "lr · γ^(milestones passed)", controls: [{ name: "milestones", type: "list", value: [300, 600, 800] }, factor("gamma", 0.1)], build: plain(S.MultiStepLR) },
  ExponentialLR: { about: "lr · γ^t", controls: [num("gamma", 0.995, { min: 0, max: 1, step: 0.001 })], build: plain(S.ExponentialLR) },
  InverseTimeLR: { about: "lr / (1 + decayRate · t / decaySteps)", controls: [num("decaySteps", 100, { min: 1, step: 1 }), num("decayRate", 1, { min: 0, step: 0.1 }), { name: "staircase", type: "bool", value: false }], build: plain(S.InverseTimeLR) },
  InverseSqrtLR: { about: "linear warmup, then lr · √(W / t)", controls: [int("warmupSteps", 100), lr("warmupInitLr", 0)], build: plain(S.InverseSqrtLR) },
  CosineAnnealingLR: { about: "η_min + (lr − η_min) · (1 + cos(π t / tMax)) / 2", controls: [int("tMax", 1000), lr("etaMin", 0)], build: plain(S.CosineAnnealingLR) },
  CosineAnnealingWarmRestarts: { about: "cosine cycles of t0 · tMult^i steps, each from lr (SGDR)", controls: [int("t0", 100), int("tMult", 2), lr("etaMin", 0)], build: plain(S.CosineAnnealingWarmRestarts) },
  LinearLR: { about: "lr · (startFactor → endFactor over totalIters): the usual warmup", controls: [factor("startFactor", 0.01), factor("endFactor", 1), int("totalIters", 100)], build: plain(S.LinearLR) },
  ConstantLR: { about: "lr · factor for totalIters steps, then lr", controls: [factor("factor", 1 / 3), int("totalIters", 100, 0)], build: plain(S.ConstantLR) },
  PolynomialLR: { about: "lr · (1 − min(t, T) / T)^power", controls: [int("totalIters", 1000), num("power", 2, { min: 0, step: 0.1 })], build: plain(S.PolynomialLR) },
  OneCycleLR: {
    about: "maxLr/divFactor up to maxLr, then down to maxLr/divFactor/finalDivFactor (1cycle); sets the lr outright",
    controls: [lr("maxLr", 0.1), int("totalSteps", 1000), factor("pctStart", 0.3), { name: "annealStrategy", type: "choice", value: "cos", choices: ["cos", "linear"] },
      num("divFactor", 25, { min: 1, step: 1 }), num("finalDivFactor", 1e4, { min: 1, step: 1 }), { name: "threePhase", type: "bool", value: false }],
    build: plain(S.OneCycleLR),
  },
  CyclicLR: {
    about: "triangles between baseLr and maxLr; sets the lr outright",
    controls: [lr("baseLr", 0.001), lr("maxLr", 0.1), num("stepSizeUp", 100, { min: 1, step: 1 }), { name: "stepSizeDown", type: "optional-number", value: null, min: 1, step: 1 },
      { name: "mode", type: "choice", value: "triangular", choices: ["triangular", "triangular2", "exp_range"] }, num("gamma", 0.998, { min: 0, max: 1, step: 0.001 })],
    build: plain(S.CyclicLR),
  },
  SWALR: { about: "anneals from lr to swaLr over annealEpochs, then holds it (SWA)", controls: [lr("swaLr", 0.02), int("annealEpochs", 100, 0), { name: "annealStrategy", type: "choice", value: "cos", choices: ["cos", "linear"] }], build: plain(S.SWALR) },
  LambdaLR: {
    about: "lr · λ(t), here λ(t) = 1 / (1 + k · t)",
    controls: [num("k", 0.01, { min: 0, step: 0.001 })],
    build: (o, v) => { const k = v["k"] as number; return new S.LambdaLR(o, { lrLambda: (t) => 1 / (1 + k * t) }); },
  },
  MultiplicativeLR: {
    about: "lr · λ(1) · … · λ(t), here λ(t) = factor (every step)",
    controls: [num("factor", 0.997, { min: 0, max: 1, step: 0.001 })],
    build: (o, v) => { const f = v["factor"] as number; return new S.MultiplicativeLR(o, { lrLambda: () => f }); },
  },
  ReduceLROnPlateau: {
    about: "cuts lr by factor when the loss below has not improved for patience steps (a simulated validation loss)",
    controls: [{ name: "mode", type: "choice", value: "min", choices: ["min", "max"] }, factor("factor", 0.5), int("patience", 20, 0), num("threshold", 1e-4, { min: 0, step: 1e-4 }),
      { name: "thresholdMode", type: "choice", value: "rel", choices: ["rel", "abs"] }, int("cooldown", 0, 0), lr("minLr", 0)],
    build: plain(S.ReduceLROnPlateau),
  },
};

/** The schedulers' names in the order the page lists them. */
export const SCHEDULER_NAMES = Object.keys(SCHEDULERS);

/** Each control's default value for a scheduler. */
export function defaultsOf(name: string): Record<string, OptionValue> {
  return Object.fromEntries(SCHEDULERS[name]!.controls.map((c) => [c.name, c.value]));
}
