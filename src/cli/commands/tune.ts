import { Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { OptionError, StudyError } from "../../errors.js";
import { superviseWorkers } from "../../tune/node/supervisor.js";
import { CommandFailedError } from "../exit-codes.js";
import { InterruptedError, type StopSignal } from "../stop-signals.js";
import { ATTR } from "../../tune/attrs.js";
import { openStorage } from "../../tune/node/open-storage.js";
import { prunerFromSpec } from "../../tune/pruners/from-spec.js";
import { samplerFromSpec } from "../../tune/samplers/from-spec.js";
import { formatSpace, parseSpace } from "../../tune/space-parser.js";
import type { Storage } from "../../tune/storage.js";
import { createStudy, loadStudy, type Study } from "../../tune/study.js";
import type { Direction } from "../../tune/trial-state.js";
import { RunDir } from "../../io/run-dir.js";
import { checkFlags } from "../flag-rules.js";
import { OPTIMIZER_NAMES } from "../optimizers.js";
import { fraction, integer, MAX_SEED, number, path } from "../parse.js";
import { addRegularizationOptions } from "../regularization.js";
import { addScheduleOptions } from "../schedules.js";
import { formatStudy, studySummary } from "../study-table.js";
import { checkIdleParams, checkSpaceParams } from "../tune-params.js";
import { PRUNER_NAMES, prunerSpec, SAMPLER_NAMES, samplerSpec, type PrunerName, type SamplerName } from "../tune-search.js";
import { readSettings, runTuneTrial, settingsAttrs } from "../tune-trial.js";
import { addModelOptions, addOptimizerOptions, addRunOptions, trainCommand, type TrainFlags } from "./train.js";
import { runTrialCommand } from "./tune-run-trial.js";
import { tuneWorkerCommand } from "./tune-worker.js";

/** The epoch metrics a trial can return, and the direction each is best in. */
export const TUNE_METRICS: Readonly<Record<string, Direction>> = { valLoss: "minimize", valAccuracy: "maximize", loss: "minimize", accuracy: "maximize" };

/** The flags of the search itself; every other flag of `minima tune` is a `minima train` setting the trials share. */
interface SearchFlags {
  space: string;
  sampler: SamplerName;
  pruner: PrunerName;
  trials?: number;
  workers: number;
  storage?: string;
  study?: string;
  out?: string;
  direction?: Direction;
  metric: string;
  samplerSeed?: number;
  gridPoints: number;
  stages: number;
  topK: number;
  margin: number;
  budgetGrowth: number;
}

export type TuneFlags = SearchFlags & TrainFlags;

/** Train flags that mean nothing for a search: --out names the study folder, and a trial's run is never resumed or overwritten by hand. */
const NOT_TRAIN_SETTINGS = ["--out", "--resume", "--overwrite"];
/** The search flags that act with one sampler only. */
const SAMPLER_FLAGS: readonly [string, keyof SearchFlags, SamplerName][] = [
  ["--grid-points", "gridPoints", "grid"], ["--stages", "stages", "coarse-to-fine"], ["--top-k", "topK", "coarse-to-fine"],
  ["--margin", "margin", "coarse-to-fine"], ["--budget-growth", "budgetGrowth", "coarse-to-fine"],
];

/**
 * `minima tune`: a hyperparameter search over `minima train` runs, in Optuna's storage formats. Every
 * train flag is a setting the trials share (--epochs: the largest budget); --space names what they vary.
 */
export function tuneCommand(): Command {
  const cmd = new Command("tune")
    .description("search hyperparameters: train a run per trial (<study folder>/trials/<number>/) with the train flags given and the --space values a sampler picks; " +
      "the study lives in Optuna's formats (journal file, SQLite, PostgreSQL), so workers elsewhere (minima tune worker) and Optuna read it")
    .option("--space <space>", "what to search, as name=kind(...) entries separated by \";\": float(low, high[, log][, step=s]), int(low, high[, log][, step=n]), categorical(a, b, …); " +
      "names are train flags in camelCase (lr, momentum, weightDecay, dropout, batchSize, optimizer…) plus hidden (one width per layer), layers, beta1, beta2. " +
      "Example: \"lr=float(1e-4, 1, log); momentum=float(0.5, 0.99); hidden=categorical(128, 256, 512)\"")
    .addOption(new Option("--sampler <name>", "how trials are chosen: grid (every point of --grid-points per number), random, coarse-to-fine (random, then boxes around the best, --stages times), tpe (Optuna's default)").choices(SAMPLER_NAMES).default("tpe"))
    .addOption(new Option("--pruner <name>", "when a trial is stopped early, after an epoch: none, median (Optuna's MedianPruner), halving (successive halving), hyperband, asha").choices(PRUNER_NAMES).default("none"))
    .option("--trials <n>", "trials to run (default: every grid point for grid, 10 per stage for coarse-to-fine, else 20)", integer(1))
    .option("--workers <k>", "trials run at once, each in a worker process (1: one after another in this process)", integer(1), 1)
    .option("--storage <url>", "where the study lives: a journal file path, sqlite:///path.db or postgresql://user@host/db (default: <study folder>/journal.log)", path("a storage URL or journal path"))
    .option("--study <name>", "the study's name; an existing study of that name is continued (default: the study folder's name, <dataset>-<time> without --out)")
    .option("--out <dir>", "the study folder, holding trials/<number>/ (default: studies/<study>)", path("a folder"))
    .addOption(new Option("--direction <d>", "whether the metric is minimized or maximized (default: minimize for losses, maximize for accuracies)").choices(["minimize", "maximize"]))
    .addOption(new Option("--metric <name>", "the epoch metric a trial reports and is judged by").choices(Object.keys(TUNE_METRICS)).default("valLoss"))
    .option("--sampler-seed <n>", `seed of the sampler's choices, 0 to ${MAX_SEED} (default: --seed)`, integer(0, MAX_SEED))
    .option("--grid-points <n>", "grid: values per number parameter, evenly spaced (in log space for log ones) from low to high; categorical parameters take every choice", integer(1), 3)
    .option("--stages <n>", "coarse-to-fine: stages, each searching a box around the previous stage's best", integer(1), 3)
    .option("--top-k <n>", "coarse-to-fine: how many of a stage's best trials the next box surrounds", integer(1), 5)
    .option("--margin <f>", "coarse-to-fine: the box's widening on each side, as a share of its width", fraction, 0.1)
    .option("--budget-growth <x>", "coarse-to-fine: epochs grow by this factor per stage, up to --epochs in the last", number(1, { inclusive: false }), 3);
  for (const o of trainSettingOptions()) cmd.addOption(o);
  cmd.addCommand(runTrialCommand(), { hidden: true });
  cmd.hook("preAction", (_self, action) => {
    if (action !== cmd) return;
    const flags = cmd.opts<TuneFlags>();
    // Required here, not by requiredOption: commander checks a command's required options for its subcommands too (tune worker, run-trial).
    if (flags.space === undefined) cmd.error("error: required option '--space <space>' not specified", { code: "commander.missingMandatoryOptionValue" });
    checkFlags(cmd, [flags]);
    for (const [flag, key, sampler] of SAMPLER_FLAGS) {
      if (cmd.getOptionValueSource(key) === "cli" && flags.sampler !== sampler) throw new OptionError({ where: flag, what: `does nothing with --sampler ${flags.sampler}; it acts with --sampler ${sampler}` });
    }
  });
  cmd.addCommand(tuneWorkerCommand());
  // `minima tune worker --storage …` and `run-trial --storage …`: their flags after their name are theirs, not tune's namesakes.
  cmd.enablePositionalOptions();
  return cmd.action(async () => {
    const flags = cmd.opts<TuneFlags>();
    if (flags.workers > 1) await runTuneWorkers(flags);
    else runTune(flags);
  });
}

/** The `minima train` flags, as train defines them, but for those that mean nothing in a search. */
function trainSettingOptions(): Option[] {
  const scratch = new Command();
  addModelOptions(scratch);
  scratch.addOption(new Option("--optimizer <name>", "optimizer").choices(OPTIMIZER_NAMES).default("momentum"));
  addOptimizerOptions(scratch);
  addScheduleOptions(scratch);
  scratch.option("--clip-norm <max>", "clip the gradients' global L2 norm to this before each step", number(0, { inclusive: false }));
  addRegularizationOptions(scratch);
  addRunOptions(scratch);
  return scratch.options.filter((o) => !NOT_TRAIN_SETTINGS.includes(o.long!));
}

/** The train flags of a tune command line: everything but the search's own flags. */
export function fixedSettings(flags: TuneFlags): TrainFlags {
  const search = new Set(["space", "sampler", "pruner", "trials", "workers", "storage", "study", "out", "direction", "metric", "samplerSeed", "gridPoints", "stages", "topK", "margin", "budgetGrowth"]);
  return Object.fromEntries(Object.entries(flags).filter(([k]) => !search.has(k))) as unknown as TrainFlags;
}

/**
 * Runs a search in this process: creates (or continues) the study, runs its trials one after another,
 * prints the trials and the best. `given`: a storage object to use instead of opening --storage (left
 * open; tests share one between calls).
 */
export function runTune(flags: TuneFlags, given?: Storage): Study {
  const { study, storage, trials, train } = openTune(flags, given);
  try {
    study.optimize((trial) => runTuneTrial(study, trial, train), { nTrials: trials });
    console.log("\n" + formatStudy(studySummary(study)));
    return study;
  } finally {
    if (given === undefined) storage.close();
  }
}

/**
 * `minima tune --workers K`: creates (or continues) the study, then runs its trials in K worker
 * processes (`minima tune worker`, each trial a child process it supervises) sharing the storage,
 * and prints the trials and the best once all have ended.
 */
export async function runTuneWorkers(flags: TuneFlags): Promise<void> {
  const { study, storage, trials, url } = openTune(flags);
  const studyName = study.studyName;
  storage.close();
  const controller = new AbortController();
  const onSignal = (signal: StopSignal) => controller.abort(signal);
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  let exits;
  try {
    exits = await superviseWorkers({ storage: url, studyName, workers: flags.workers, trials, signal: controller.signal });
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
  const after = openStorage(url);
  try {
    console.log("\n" + formatStudy(studySummary(loadStudy({ storage: after, studyName }))));
  } finally {
    after.close();
  }
  if (controller.signal.aborted) throw new InterruptedError(controller.signal.reason as StopSignal, `stopped by ${String(controller.signal.reason)}; each worker failed the trial it was running with a retry that resumes from its checkpoint: continue with the same minima tune command, or minima tune worker --storage ${url} --study ${studyName}`, "tune");
  const failed = exits.filter((e) => e.code !== 0);
  if (failed.length > 0) throw new CommandFailedError({ where: "tune", what: `${failed.length} of ${exits.length} workers failed (${failed.map((e) => `worker ${e.index}: ${e.signal ?? `exit ${e.code}`}`).join(", ")}); their output above says why` });
}

/** The study of a search, made or continued, and its storage (open), with the header printed. */
function openTune(flags: TuneFlags, given?: Storage): { study: Study; storage: Storage; trials: number; url: string; train: Command } {
  const train = trainCommand();
  const space = parseSpace(flags.space);
  checkSpaceParams(train, space);
  const fixed = fixedSettings(flags);
  checkIdleParams(space, fixed);
  if (flags.metric.startsWith("val") && fixed.valFraction === 0) {
    throw new OptionError({ where: "--metric", what: `${flags.metric} needs a validation set, and --val-fraction 0 leaves none`, expected: "a --val-fraction above 0, or --metric loss or accuracy" });
  }
  if (flags.workers > 1 && (flags.storage === "memory" || given !== undefined)) {
    throw new OptionError({ where: "--workers", what: `${flags.workers} worker processes cannot share a study kept in this process's memory`, expected: "--storage naming a journal file, sqlite:///… or postgresql://… (or --workers 1)" });
  }
  const direction = flags.direction ?? TUNE_METRICS[flags.metric]!;
  const studyDir = resolve(flags.out ?? (flags.study !== undefined ? join("studies", flags.study) : RunDir.freshPath("studies", fixed.dataset === "mnist" || fixed.dataset === "fashion-mnist" ? fixed.dataset : "study")));
  const studyName = flags.study ?? basename(studyDir);
  const sampler = samplerSpec(flags.sampler, {
    space, seed: flags.samplerSeed ?? fixed.seed, trials: flags.trials ?? (flags.sampler === "coarse-to-fine" ? 10 * flags.stages : 20), epochs: fixed.epochs,
    gridPoints: flags.gridPoints, stages: flags.stages, topK: flags.topK, margin: flags.margin, budgetGrowth: flags.budgetGrowth,
  });
  const pruner = prunerSpec(flags.pruner, fixed.epochs);
  const trials = flags.trials ?? (flags.sampler === "grid" ? gridSize(sampler) : flags.sampler === "coarse-to-fine" ? 10 * flags.stages : 20);
  mkdirSync(studyDir, { recursive: true });
  const url = flags.storage ?? join(studyDir, "journal.log");
  const storage = given ?? openStorage(url);
  try {
    const settings = { space, fixed, metric: flags.metric, studyDir };
    const study = openTuneStudy(storage, studyName, direction, sampler, pruner, settings);
    console.log(`minima tune: study "${studyName}" in ${storage.url}, ${flags.sampler} sampler, ${flags.pruner === "none" ? "no pruner" : `${flags.pruner} pruner`}, ${trials} trial${trials === 1 ? "" : "s"}; ` +
      `${direction} ${flags.metric}; space ${formatSpace(space)}`);
    console.log(`study folder: ${studyDir}`);
    return { study, storage, trials, url, train };
  } catch (e) {
    if (given === undefined) storage.close();
    throw e;
  }
}

function gridSize(spec: Record<string, unknown>): number {
  return Object.values(spec["searchSpace"] as Record<string, unknown[]>).reduce((n, values) => n * values.length, 1);
}

/**
 * The study to run: a new one holding the settings every trial shares, or the existing one of that name
 * when it was made with the same settings (its space, train settings, metric, sampler and pruner);
 * one made with others is refused, naming what differs, since its workers run the stored settings.
 */
function openTuneStudy(storage: Storage, studyName: string, direction: Direction, sampler: Record<string, unknown>, pruner: Record<string, unknown>, settings: Parameters<typeof settingsAttrs>[0]): Study {
  const exists = storage.getAllStudies().some((s) => s.studyName === studyName);
  const [samplerObject, prunerObject] = [samplerFromSpec(sampler), prunerFromSpec(pruner)];
  if (!exists) {
    const study = createStudy({ storage, studyName, direction, sampler: samplerObject, pruner: prunerObject });
    for (const [key, value] of Object.entries(settingsAttrs(settings))) study.setSystemAttr(key, value);
    return study;
  }
  const study = loadStudy({ storage, studyName, sampler: samplerObject, pruner: prunerObject });
  const stored = readSettings(study);
  const attrs = study.systemAttrs;
  const differences = [
    formatSpace(stored.space) !== formatSpace(settings.space) ? `--space (the study's: "${formatSpace(stored.space)}")` : null,
    study.direction !== direction ? `--direction (the study's: ${study.direction})` : null,
    stored.metric !== settings.metric ? `--metric (the study's: ${stored.metric})` : null,
    // As createStudy stored them: each one's own spec(), with its defaults.
    canonical(attrs[ATTR.sampler]) !== canonical(samplerObject.spec?.() ?? { name: samplerObject.name }) ? `the sampler's settings (the study's: ${JSON.stringify(attrs[ATTR.sampler])})` : null,
    canonical(attrs[ATTR.pruner]) !== canonical(prunerObject.spec?.() ?? { name: prunerObject.name }) ? `the pruner's settings (the study's: ${JSON.stringify(attrs[ATTR.pruner])})` : null,
    ...trainDifferences(stored.fixed, settings.fixed),
  ].filter((d) => d !== null);
  if (differences.length > 0) {
    throw new StudyError({ where: `study "${studyName}" in ${storage.url}`, what: `exists with other settings: ${differences.join("; ")}; continue it with its settings, or name another --study` });
  }
  return study;
}

/** JSON with object keys sorted, so that two specs compare by content, not key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

/** The train flags whose values differ, as "--weight-decay (the study's: 0.001)". */
function trainDifferences(stored: TrainFlags, now: TrainFlags): string[] {
  const keys = [...new Set([...Object.keys(stored), ...Object.keys(now)])];
  const s = stored as unknown as Record<string, unknown>, n = now as unknown as Record<string, unknown>;
  return keys.filter((k) => JSON.stringify(s[k]) !== JSON.stringify(n[k]))
    .map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} (the study's: ${s[k] === undefined ? "not given" : JSON.stringify(s[k])})`);
}
