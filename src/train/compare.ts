import type { Dataset } from "../data/dataset.js";
import type { MetricSpec } from "../metrics/metric.js";
import { OptionError } from "../errors.js";
import type { Module } from "../nn/module.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import { anything, checkOptions, isFunction, option, optional, orNull, positiveInt, required, show, type Check, type OptionsOf } from "../options.js";
import { manualSeed, type Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Callback, SchedulerLike } from "./callback.js";
import type { LossFn } from "./evaluate.js";
import { fit, type FitOptions } from "./fit.js";
import { epochValue, metricValueNames, type History } from "./history.js";
import type { ScheduledLR } from "./scheduled-lr.js";
import { seedStat, type SeedStat } from "./seed-stats.js";

/** Builds one run's optimizer over the parameters (and model) it is given: `(params) => new mn.optim.Adam(params, { lr: 3e-3 })`. */
export type OptimizerFactory = (params: Tensor[], model: Module) => Optimizer<GroupOptions>;

/** One run of a comparison: which optimizer, with which seed. */
export interface CompareRun {
  optimizer: string;
  seed: number;
}

const isDataset: Check = (v) =>
  v !== null && typeof v === "object" && typeof (v as Dataset<unknown>).get === "function" && Number.isInteger((v as Dataset<unknown>).length) ? null : "a dataset (length and get(i))";
const FACTORIES = "optimizer factories by name, like { sgd: (params) => new mn.optim.SGD(params, { lr: 0.1 }) }";
const isFactoryTable: Check = (v) => (v !== null && typeof v === "object" && !Array.isArray(v) ? null : `an object of ${FACTORIES}`);
const isSeeds: Check = (v) =>
  (Number.isInteger(v) && (v as number) > 0) || (Array.isArray(v) && v.length > 0 && v.every((s) => Number.isSafeInteger(s) && s >= 0) && new Set(v).size === v.length)
    ? null : "a count of seeds (a positive integer: seeds 0, 1, …) or a non-empty list of distinct non-negative integers";

const COMPARE_OPTIONS = {
  /** The training set (required). */
  train: required<Dataset<Tensor[]>>(isDataset),
  /** Evaluated after every epoch of every run (default null: none). */
  val: option<Dataset<Tensor[]> | null>(null, orNull(isDataset)),
  /** Evaluated after every epoch too (default null: none). */
  test: option<Dataset<Tensor[]> | null>(null, orNull(isDataset)),
  /** The optimizers to compare, by name: each a factory called once per run with the new model's parameters (required). */
  optimizers: required<Record<string, OptimizerFactory>>(isFactoryTable),
  /** Passes over the training set in every run (required). */
  epochs: required<number>(positiveInt),
  /** Default 32, as fit's. */
  batchSize: option(32, positiveInt),
  /**
   * How many seeds each optimizer runs with (seeds 0, 1, …), or the seeds themselves (default 1: seed 0). A seed
   * sets the initial weights (the global generator, as mn.manualSeed), the batch order and dropout's masks.
   */
  seeds: option<number | readonly number[]>(1, isSeeds),
  /** Builds each run's learning-rate scheduler over its optimizer, as fit's `scheduler` (default null: none). */
  scheduler: option<((optimizer: Optimizer<GroupOptions>) => SchedulerLike | ScheduledLR) | null>(null, orNull(isFunction)),
  /** Builds each run's callbacks (new ones per run: early stopping keeps state) (default null: none). */
  callbacks: option<((run: CompareRun) => Callback[]) | null>(null, orNull(isFunction)),
  // fit's options, passed to every run as given (fit checks them and fills in its defaults).
  /** fit's loss (default: cross-entropy). */
  loss: optional<LossFn>(anything),
  /** fit's batch size for validation and test passes (default 1000). */
  evalBatchSize: optional<number>(anything),
  /** fit's: reshuffle the training set every epoch (default true). */
  shuffle: optional<boolean>(anything),
  /** fit's: drop each epoch's last, smaller batch (default false). */
  dropLast: optional<boolean>(anything),
  /** fit's: clip the gradients' global L2 norm to this before each step (default null: no clipping). */
  clipGradNorm: optional<number | null>(anything),
  /** fit's: per-parameter statistics every this many steps (default: 10 times an epoch; 0: never). */
  layerStatsEvery: optional<number>(anything),
  /** fit's: report accuracy (default "auto": when targets are int32). */
  accuracy: optional<boolean | "auto">(anything),
  /** fit's: added to the loss before backward (L1/L2 penalties). */
  penalty: optional<((model: Module) => Tensor) | null>(anything),
  /** fit's: applied to every training batch (augmentation), drawing from the run's generator. */
  transform: optional<((batch: Tensor[], generator: Generator) => Tensor[]) | null>(anything),
  /** fit's: metrics recorded every epoch besides loss and accuracy ("accuracy", mn.metrics.topKAccuracy(5), your own). */
  metrics: optional<MetricSpec[]>(anything),
  /** fit's: what each run prints (default "auto": a line per epoch, and from the Node entry a progress bar on a terminal; 1 the bar always; 0: nothing). */
  verbose: optional<0 | 1 | 2 | "auto">(anything),
};

/** The options of compare. */
export interface CompareOptions extends OptionsOf<typeof COMPARE_OPTIONS> {}

/** The metrics of a run's last epoch that compare summarizes over seeds. */
export const FINAL_METRICS = ["loss", "accuracy", "valLoss", "valAccuracy", "testLoss", "testAccuracy"] as const;
export type FinalMetric = (typeof FINAL_METRICS)[number];

/** One optimizer's runs, one per seed, and their summary. */
export interface OptimizerResult {
  name: string;
  /** One History per seed, in the order of CompareResult.seeds. */
  histories: History[];
  /**
   * Each metric of the runs' last epochs over the seeds (mean, sample standard deviation, values): FINAL_METRICS and
   * fit's `metrics` by the names History.metric takes (top3Accuracy, valTop3Accuracy, testTop3Accuracy); null for a
   * metric the runs do not have (valLoss without `val`, accuracy without class targets). A run that ended before its
   * first epoch counts as NaN.
   */
  final: Record<FinalMetric, SeedStat | null> & Record<string, SeedStat | null>;
  /** Training time of a run, in seconds (its epochs' time: training and evaluation). */
  seconds: SeedStat;
}

/** What compare returns: the seeds, and each optimizer's runs in the order of `optimizers`' keys. */
export interface CompareResult {
  seeds: number[];
  optimizers: OptimizerResult[];
}

/**
 * Compares optimizers fairly: for each seed, every optimizer trains a model from the same initial weights on the
 * same batches in the same order (and the same dropout masks), so the runs differ only by the optimizer; with
 * several seeds, each summary is a mean ± standard deviation over seeds, the spread that a single run hides.
 * Each run is an ordinary fit() (`modelFactory()` built under mn.manualSeed(seed), then the seed's first weights
 * loaded); runs go seed by seed, every optimizer within a seed. The global generator is left seeded by the last run.
 *
 * `modelFactory` must return a new model on every call, drawing its weights from the global generator as every
 * mn.nn layer does: a factory that calls mn.manualSeed would give every seed the same weights, which is refused.
 * @example
 * const result = mn.train.compare(() => mn.nn.mlp({ inputs: 2, hidden: [32], outputs: 2 }), {
 *   train, val, epochs: 20, batchSize: 64, seeds: 3,
 *   optimizers: { sgd: (p) => new mn.optim.SGD(p, { lr: 0.1, momentum: 0.9 }), adam: (p) => new mn.optim.Adam(p, { lr: 3e-3 }) },
 * });
 * for (const r of result.optimizers) console.log(r.name, r.final.valLoss?.mean, "±", r.final.valLoss?.std);
 */
export function compare(modelFactory: () => Module, options: CompareOptions): CompareResult {
  return compareWith(fit, modelFactory, options);
}

/** compare, each run trained by `train`: the fit of the entry it was imported from (the Node entry's draws the bar `verbose` asks for). */
export function compareWith(train: (model: Module, options: FitOptions) => History, modelFactory: () => Module, options: CompareOptions): CompareResult {
  if (typeof modelFactory !== "function") {
    throw new OptionError({ where: "compare", what: "invalid modelFactory", expected: "a function that builds a new model, like () => mn.nn.mlp({ ... })", got: show(modelFactory) });
  }
  const { optimizers, seeds: seedOption, scheduler, callbacks, ...shared } = checkOptions("compare", options, COMPARE_OPTIONS);
  // The fit options not given stay absent, so fit applies its own defaults.
  const fitOptions = Object.fromEntries(Object.entries(shared).filter(([, v]) => v !== undefined)) as unknown as Omit<FitOptions, "optimizer">;
  const seeds = typeof seedOption === "number" ? Array.from({ length: seedOption }, (_, i) => i) : [...seedOption];
  const names = Object.keys(optimizers);
  if (names.length === 0) throw new OptionError({ where: "compare", what: "optimizers is empty", expected: `at least one of the ${FACTORIES}` });
  for (const name of names) {
    const factory = optimizers[name];
    if (typeof factory !== "function") throw new OptionError({ where: "compare", what: `invalid optimizers.${name}`, expected: "a function (params) => optimizer", got: show(factory) });
  }
  const histories = new Map<string, History[]>(names.map((name) => [name, []]));
  const built = new WeakSet<Module>();
  let previous: { seed: number; generator: string } | null = null;
  for (const seed of seeds) {
    let initial: Record<string, Tensor> | null = null;
    for (const name of names) {
      // The same seed before each build: the global generator then stands at the same point in every run of this
      // seed, so dropout draws the same masks.
      const generator = manualSeed(seed);
      const model = buildModel(modelFactory, built);
      if (initial === null) {
        initial = model.copyStateDict();
        const after = { seed, generator: JSON.stringify(generator.getState()) };
        if (previous !== null && previous.generator === after.generator) {
          throw new OptionError({ where: "compare", what: `modelFactory reseeds the global generator: seeds ${previous.seed} and ${seed} left it in the same state, so every seed would start from the same weights`,
            expected: "a factory that draws its weights from the global generator as compare seeds it, without calling mn.manualSeed" });
        }
        previous = after;
      } else {
        model.loadStateDict(initial);
      }
      const optimizer = buildOptimizer(name, optimizers[name]!, model);
      const history = train(model, {
        ...fitOptions, optimizer, seed,
        scheduler: scheduler ? scheduler(optimizer) : null,
        callbacks: callbacks ? callbacks({ optimizer: name, seed }) : [],
      });
      histories.get(name)!.push(history);
    }
  }
  return { seeds, optimizers: names.map((name) => summarize(name, histories.get(name)!)) };
}

function buildModel(modelFactory: () => Module, built: WeakSet<Module>): Module {
  const model = modelFactory() as unknown;
  if (model === null || typeof model !== "object" || typeof (model as Module).parameters !== "function" || typeof (model as Module).copyStateDict !== "function") {
    throw new OptionError({ where: "compare", what: "modelFactory did not return a model", expected: "an mn.nn.Module", got: show(model) });
  }
  if (built.has(model as Module)) {
    throw new OptionError({ where: "compare", what: "modelFactory returned a model it had returned before (the one the previous run trained)", expected: "a new model on every call, like () => new Net()" });
  }
  built.add(model as Module);
  return model as Module;
}

/** The run's optimizer, which must be an optimizer over this model's parameters (else the run would train nothing). */
function buildOptimizer(name: string, factory: OptimizerFactory, model: Module): Optimizer<GroupOptions> {
  const params = model.parameters();
  const optimizer = factory(params, model) as unknown;
  const groups = (optimizer as Optimizer<GroupOptions> | null)?.paramGroups;
  if (!Array.isArray(groups) || typeof (optimizer as Optimizer<GroupOptions>).step !== "function") {
    throw new OptionError({ where: "compare", what: `optimizers.${name} did not return an optimizer`, expected: "an mn.optim optimizer", got: show(optimizer) });
  }
  const own = new Set(params);
  const foreign = groups.flatMap((g) => g.params).filter((p) => !own.has(p)).length;
  if (foreign > 0) {
    throw new OptionError({ where: "compare", what: `optimizers.${name} built an optimizer over ${foreign} tensor${foreign === 1 ? "" : "s"} that ${foreign === 1 ? "is not a parameter" : "are not parameters"} of the run's model`, expected: "an optimizer over the params the factory is given" });
  }
  return optimizer as Optimizer<GroupOptions>;
}

function summarize(name: string, histories: History[]): OptimizerResult {
  // Every run has the same metrics; a run that stopped before its first epoch has none, so look at all of them.
  const fitMetrics = [...new Set(histories.flatMap((h) => Object.keys(h.epochs.at(-1)?.metrics ?? {})))];
  const final = Object.fromEntries([...FINAL_METRICS, ...metricValueNames(fitMetrics)].map((metric) => {
    const values = histories.map((h) => (h.epochs.length === 0 ? NaN : epochValue(h.epochs.at(-1)!, metric)));
    return [metric, values.every((v) => v === null) ? null : seedStat(values.map((v) => v ?? NaN))];
  })) as OptimizerResult["final"];
  return { name, histories, final, seconds: seedStat(histories.map((h) => h.epochs.reduce((s, e) => s + e.seconds, 0))) };
}
