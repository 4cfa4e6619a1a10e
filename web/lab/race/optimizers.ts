// The optimizers the race offers (every one of minima's that steps without a closure, as trajectory() runs them) and
// the sliders each has. Plain data: the page draws controls from it, the worker builds the optimizers (make-optimizer.ts).

/** How a slider moves through a hyperparameter's values. */
export type SliderScale =
  /** Evenly in log10 of the value (learning rates, ε). */
  | "log"
  /** Evenly in log10 of 1 − value: β from 0 through 0.9, 0.99 to 0.9999 in equal moves. */
  | "one-minus-log";

export interface HyperparameterSpec {
  /** Its name in the URL and in the optimizer's options (beta1 and beta2 become betas). */
  key: "lr" | "momentum" | "alpha" | "rho" | "beta1" | "beta2" | "eps" | "weightDecay";
  label: string;
  scale: SliderScale;
  /** The slider's range; a typed value may go beyond it, within what the optimizer accepts. */
  min: number;
  max: number;
}

export interface RaceOptimizerSpec {
  /** As `minima landscape --optimizers` names it. */
  name: string;
  /** Its class in mn.optim, and the options it gets beyond the sliders. */
  title: string;
  /** "sgd": its learning rate scales with the surface's curvature; "adaptive": its step is about lr per coordinate. */
  family: "sgd" | "adaptive" | "adadelta";
  params: readonly HyperparameterSpec[];
  /** Each slider's value before the user moves it (PyTorch's defaults; lr comes from the surface). */
  defaults: Readonly<Record<string, number>>;
}

const lr: HyperparameterSpec = { key: "lr", label: "lr", scale: "log", min: 1e-5, max: 10 };
const eps: HyperparameterSpec = { key: "eps", label: "ε", scale: "log", min: 1e-12, max: 1 };
const beta = (key: HyperparameterSpec["key"], label: string): HyperparameterSpec => ({ key, label, scale: "one-minus-log", min: 0, max: 0.9999 });
const adamLike = [lr, beta("beta1", "β₁"), beta("beta2", "β₂"), eps] as const;

/** In the order the page lists them. */
export const RACE_OPTIMIZERS: readonly RaceOptimizerSpec[] = [
  { name: "sgd", title: "SGD", family: "sgd", params: [lr], defaults: {} },
  { name: "momentum", title: "SGD, momentum (heavy ball)", family: "sgd", params: [lr, beta("momentum", "β")], defaults: { momentum: 0.9 } },
  { name: "nesterov", title: "SGD, Nesterov momentum", family: "sgd", params: [lr, beta("momentum", "β")], defaults: { momentum: 0.9 } },
  { name: "adagrad", title: "Adagrad", family: "adaptive", params: [lr, eps], defaults: { eps: 1e-10 } },
  { name: "adadelta", title: "Adadelta", family: "adadelta", params: [lr, beta("rho", "ρ"), eps], defaults: { rho: 0.9, eps: 1e-6 } },
  { name: "rmsprop", title: "RMSprop", family: "adaptive", params: [lr, beta("alpha", "α"), eps], defaults: { alpha: 0.99, eps: 1e-8 } },
  { name: "adam", title: "Adam", family: "adaptive", params: adamLike, defaults: { beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
  {
    name: "adamw", title: "AdamW", family: "adaptive", params: [...adamLike, { key: "weightDecay", label: "λ (decay)", scale: "log", min: 1e-5, max: 1 }],
    defaults: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
  },
  { name: "adamax", title: "Adamax", family: "adaptive", params: adamLike, defaults: { beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
  { name: "nadam", title: "NAdam", family: "adaptive", params: adamLike, defaults: { beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
  { name: "radam", title: "RAdam", family: "adaptive", params: adamLike, defaults: { beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
  { name: "lion", title: "Lion", family: "adaptive", params: [lr, beta("beta1", "β₁"), beta("beta2", "β₂")], defaults: { beta1: 0.9, beta2: 0.99 } },
];

export function optimizerSpec(name: string): RaceOptimizerSpec | undefined {
  return RACE_OPTIMIZERS.find((o) => o.name === name);
}

// Okabe & Ito's colour-blind-safe palette (the report's charts use it) and five more, one colour per optimizer, fixed
// so a racer keeps its colour as others join or leave.
const COLORS = ["#0072B2", "#E69F00", "#009E73", "#7f7f7f", "#CC79A7", "#56B4E9", "#D55E00", "#8c564b", "#000000", "#bcbd22", "#17becf", "#9467bd"];

export function optimizerColor(name: string): string {
  return COLORS[Math.max(0, RACE_OPTIMIZERS.findIndex((o) => o.name === name)) % COLORS.length]!;
}
