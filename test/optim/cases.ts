import * as mn from "../../src/index.node.js";

/**
 * The optimizer table (PyTorch's OptimizerInfo): every optimizer, the option sets it is tested with and
 * the bad options it must refuse with an exact message. test/optim/contract.test.ts runs every row.
 * Rows whose options leave lr out take it from test/fixtures/optimizers.json (one lr per problem);
 * a row's key in the fixture is "<name>/<desc>" (tools/gen_optim_fixtures.py lists the same rows).
 */
export type AnyOptions = Record<string, unknown>;
export type OptimizerClass = new (params: readonly mn.Tensor[] | readonly (AnyOptions & { params: readonly mn.Tensor[] })[], options?: AnyOptions) => mn.optim.Optimizer<mn.optim.GroupOptions>;

export interface OptimizerCase {
  name: string;
  cls: OptimizerClass;
  /** Whether torch.optim has it (else the contract test checks it against its published rule). */
  torch: boolean;
  configs: { desc: string; options: AnyOptions }[];
  errors: { desc: string; options: AnyOptions; message: RegExp }[];
}

/** A RegExp matching exactly this message. */
export function exact(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}

/** The refusals every optimizer shares: negative lr and weightDecay, a PyTorch snake_case key. */
function common(name: string, keys: string): OptimizerCase["errors"] {
  return [
    { desc: "negative lr", options: { lr: -0.1 }, message: exact(`${name}: invalid lr; expected a number ≥ 0, got -0.1`) },
    { desc: "negative weightDecay", options: { weightDecay: -1 }, message: exact(`${name}: invalid weightDecay; expected a number ≥ 0, got -1`) },
    { desc: "snake_case key", options: { weight_decay: 0.1 }, message: exact(`${name}: unknown option "weight_decay" — did you mean "weightDecay"?; expected one of ${keys}`) },
    { desc: "maximize not a boolean", options: { maximize: 1 }, message: exact(`${name}: invalid maximize; expected true or false, got 1`) },
  ];
}

const betasErrors = (name: string): OptimizerCase["errors"] => [
  { desc: "beta1 = 1", options: { betas: [1, 0.999] }, message: exact(`${name}: invalid betas; expected two numbers in [0, 1), got [1,0.999]`) },
  { desc: "negative beta2", options: { betas: [0.9, -0.1] }, message: exact(`${name}: invalid betas; expected two numbers in [0, 1), got [0.9,-0.1]`) },
  { desc: "one beta", options: { betas: [0.9] }, message: exact(`${name}: invalid betas; expected two numbers in [0, 1), got [0.9]`) },
];
const epsError = (name: string): OptimizerCase["errors"][number] =>
  ({ desc: "negative eps", options: { eps: -1e-8 }, message: exact(`${name}: invalid eps; expected a number ≥ 0, got -1e-8`) });

const ADAM_KEYS = "lr, betas, eps, weightDecay, amsgrad, maximize, biasCorrection, epsInsideSqrt";

export const CASES: OptimizerCase[] = [
  {
    name: "SGD", cls: mn.optim.SGD as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "plain", options: {} },
      { desc: "momentum", options: { momentum: 0.9 } },
      { desc: "momentum with dampening", options: { momentum: 0.9, dampening: 0.5 } },
      { desc: "nesterov", options: { momentum: 0.9, nesterov: true } },
      { desc: "nesterov, weight decay", options: { momentum: 0.8, nesterov: true, weightDecay: 0.01 } },
      { desc: "maximize", options: { momentum: 0.5, maximize: true } },
    ],
    errors: [
      ...common("SGD", "lr, momentum, dampening, nesterov, weightDecay, maximize"),
      { desc: "negative momentum", options: { momentum: -0.5 }, message: exact("SGD: invalid momentum; expected a number ≥ 0, got -0.5") },
      { desc: "nesterov without momentum", options: { nesterov: true }, message: exact("SGD: Nesterov momentum requires a momentum and zero dampening") },
      { desc: "nesterov with dampening", options: { nesterov: true, momentum: 0.9, dampening: 0.1 }, message: exact("SGD: Nesterov momentum requires a momentum and zero dampening") },
    ],
  },
  {
    name: "Adagrad", cls: mn.optim.Adagrad as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "lrDecay", options: { lrDecay: 0.05 } },
      { desc: "initialAccumulatorValue, weight decay", options: { initialAccumulatorValue: 0.1, weightDecay: 0.01 } },
      { desc: "maximize", options: { maximize: true } },
      { desc: "Keras: epsInsideSqrt, accumulator 0.1", options: { initialAccumulatorValue: 0.1, eps: 1e-7, epsInsideSqrt: true } },
    ],
    errors: [
      ...common("Adagrad", "lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize, epsInsideSqrt"),
      epsError("Adagrad"),
      { desc: "negative lrDecay", options: { lrDecay: -0.1 }, message: exact("Adagrad: invalid lrDecay; expected a number ≥ 0, got -0.1") },
      { desc: "negative initialAccumulatorValue", options: { initialAccumulatorValue: -1 }, message: exact("Adagrad: invalid initialAccumulatorValue; expected a number ≥ 0, got -1") },
    ],
  },
  {
    name: "Adadelta", cls: mn.optim.Adadelta as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "rho, eps, weight decay", options: { rho: 0.95, eps: 1e-5, weightDecay: 0.01 } },
      { desc: "maximize", options: { maximize: true } },
    ],
    errors: [
      ...common("Adadelta", "lr, rho, eps, weightDecay, maximize"),
      epsError("Adadelta"),
      { desc: "rho above 1", options: { rho: 1.5 }, message: exact("Adadelta: invalid rho; expected a number in [0, 1], got 1.5") },
    ],
  },
  {
    name: "RMSprop", cls: mn.optim.RMSprop as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "centered", options: { centered: true } },
      { desc: "momentum", options: { momentum: 0.9 } },
      { desc: "centered, momentum, weight decay", options: { centered: true, momentum: 0.5, weightDecay: 0.01 } },
      { desc: "maximize", options: { maximize: true } },
      { desc: "Keras: epsInsideSqrt", options: { alpha: 0.9, eps: 1e-7, epsInsideSqrt: true } },
    ],
    errors: [
      ...common("RMSprop", "lr, alpha, eps, weightDecay, momentum, centered, maximize, epsInsideSqrt"),
      epsError("RMSprop"),
      { desc: "negative alpha", options: { alpha: -0.1 }, message: exact("RMSprop: invalid alpha; expected a number in [0, 1], got -0.1") },
      { desc: "negative momentum", options: { momentum: -1 }, message: exact("RMSprop: invalid momentum; expected a number ≥ 0, got -1") },
      { desc: "centered not a boolean", options: { centered: "yes" }, message: exact("RMSprop: invalid centered; expected true or false, got \"yes\"") },
    ],
  },
  {
    name: "Adam", cls: mn.optim.Adam as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "betas, eps, weight decay", options: { betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.01 } },
      { desc: "amsgrad", options: { amsgrad: true } },
      { desc: "maximize, amsgrad", options: { maximize: true, amsgrad: true } },
      { desc: "no bias correction", options: { biasCorrection: false } },
      { desc: "epsInsideSqrt, eps 1e-3", options: { epsInsideSqrt: true, eps: 1e-3 } },
    ],
    errors: [
      ...common("Adam", ADAM_KEYS), ...betasErrors("Adam"), epsError("Adam"),
      { desc: "amsgrad not a boolean", options: { amsgrad: 1 }, message: exact("Adam: invalid amsgrad; expected true or false, got 1") },
    ],
  },
  {
    name: "AdamW", cls: mn.optim.AdamW as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "weight decay 0.1, amsgrad", options: { weightDecay: 0.1, amsgrad: true } },
      { desc: "maximize", options: { maximize: true } },
    ],
    errors: [...common("AdamW", ADAM_KEYS), ...betasErrors("AdamW"), epsError("AdamW")],
  },
  {
    name: "Adamax", cls: mn.optim.Adamax as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "weight decay", options: { weightDecay: 0.01 } },
      { desc: "maximize", options: { maximize: true } },
    ],
    errors: [...common("Adamax", "lr, betas, eps, weightDecay, maximize"), ...betasErrors("Adamax"), epsError("Adamax")],
  },
  {
    name: "NAdam", cls: mn.optim.NAdam as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "momentumDecay, weight decay", options: { momentumDecay: 0.01, weightDecay: 0.01 } },
      { desc: "maximize", options: { maximize: true } },
    ],
    errors: [
      ...common("NAdam", "lr, betas, eps, weightDecay, momentumDecay, maximize"), ...betasErrors("NAdam"), epsError("NAdam"),
      { desc: "negative momentumDecay", options: { momentumDecay: -0.004 }, message: exact("NAdam: invalid momentumDecay; expected a number ≥ 0, got -0.004") },
    ],
  },
  {
    name: "RAdam", cls: mn.optim.RAdam as unknown as OptimizerClass, torch: true,
    configs: [
      { desc: "defaults", options: {} },
      { desc: "weight decay", options: { weightDecay: 0.01 } },
      { desc: "maximize", options: { maximize: true } },
    ],
    errors: [...common("RAdam", "lr, betas, eps, weightDecay, maximize"), ...betasErrors("RAdam"), epsError("RAdam")],
  },
  {
    name: "Lion", cls: mn.optim.Lion as unknown as OptimizerClass, torch: false,
    configs: [
      { desc: "lr 1e-2", options: { lr: 1e-2 } },
      { desc: "betas, weight decay", options: { lr: 1e-2, betas: [0.95, 0.98], weightDecay: 0.1 } },
      { desc: "maximize", options: { lr: 1e-2, maximize: true } },
    ],
    errors: [...common("Lion", "lr, betas, weightDecay, maximize"), ...betasErrors("Lion")],
  },
];
