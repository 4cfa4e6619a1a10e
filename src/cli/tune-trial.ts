import type { Command } from "commander";
import { cpSync, existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { LOCK_FILE } from "../io/run-lock.js";
import { StudyError } from "../errors.js";
import { ATTR, DIAGNOSIS_USER_ATTR } from "../tune/attrs.js";
import { distributionToJson, jsonToDistribution, type Distribution, type ParamValue } from "../tune/distributions.js";
import { tick } from "../tune/node/progress.js";
import type { Study } from "../tune/study.js";
import type { Trial } from "../tune/trial.js";
import { TrialPruned } from "../tune/trial-pruned.js";
import type { BatchLog, Callback, FitContext } from "../train/callback.js";
import { diagnose } from "../train/diagnose.js";
import { epochValue, type EpochLog } from "../train/history.js";
import { runTrain, trainCommand, type TrainFlags } from "./commands/train.js";
import { trialFlags } from "./tune-params.js";

/** What `minima tune` stores in a study so that any worker runs its trials the same way (see ATTR). */
export interface TuneSettings {
  space: Record<string, Distribution>;
  /** The `minima train` settings every trial shares; --epochs is the largest budget. */
  fixed: TrainFlags;
  /** The epoch metric a trial reports and returns (History.metric's names: valLoss, valAccuracy…). */
  metric: string;
  /** The folder holding trials/<number>/. */
  studyDir: string;
}

/** The attrs `minima tune` writes, as JSON values. */
export function settingsAttrs(s: TuneSettings): Record<string, unknown> {
  return {
    // Optuna's distribution JSON, as its trials' params hold it.
    [ATTR.space]: Object.fromEntries(Object.entries(s.space).map(([k, d]) => [k, JSON.parse(distributionToJson(d))])),
    [ATTR.fixed]: s.fixed,
    [ATTR.metric]: s.metric,
    [ATTR.studyDir]: s.studyDir,
  };
}


/** The settings a study made by `minima tune` holds; a study made otherwise is refused, naming what it lacks. */
export function readSettings(study: Study): TuneSettings {
  const attrs = study.systemAttrs;
  const missing = [ATTR.space, ATTR.fixed, ATTR.metric, ATTR.studyDir].filter((k) => attrs[k] === undefined);
  if (missing.length > 0) {
    throw new StudyError({ where: `study "${study.studyName}" in ${study.storage.url}`, what: `was not made by minima tune: its system attrs lack ${missing.join(", ")}`, expected: "a study that minima tune created" });
  }
  const space = Object.fromEntries(Object.entries(attrs[ATTR.space] as Record<string, unknown>).map(([k, j]) => [k, jsonToDistribution(JSON.stringify(j), `study "${study.studyName}"'s ${ATTR.space}`)]));
  return { space, fixed: attrs[ATTR.fixed] as TrainFlags, metric: attrs[ATTR.metric] as string, studyDir: attrs[ATTR.studyDir] as string };
}

/** A trial's run folder: <study folder>/trials/<number>. */
export function trialRunDir(studyDir: string, number: number): string {
  return join(studyDir, "trials", String(number));
}

/**
 * Runs one trial of a `minima tune` study as `minima train` runs a run, into the ordinary run folder
 * <study folder>/trials/<number>/ (config.json, metrics.jsonl, checkpoints/, report.html): suggests the
 * study's space, trains the study's fixed settings with the trial's values for --epochs (or the trial's
 * budget, coarse-to-fine's), reports the metric after every epoch and stops when the pruner says so
 * (throwing TrialPruned once the run's files are written), ticks the worker's progress every step,
 * records minima:run_dir, minima:checkpoint and the diagnosis (user attr "diagnosis"), and returns the
 * metric of the last epoch. A trial carrying minima:resume_from (a retry of a dead trial, or a paused
 * trial promoted) continues that checkpoint's run exactly, as `minima train --resume` does.
 * The objective of `minima tune`'s in-process search, and of `minima tune run-trial` in a worker's child.
 */
export function runTuneTrial(study: Study, trial: Trial, train: Command = trainCommand()): number {
  const settings = readSettings(study);
  const params: Record<string, ParamValue> = {};
  for (const [name, dist] of Object.entries(settings.space)) params[name] = trial.suggest(name, dist);
  const runDir = resolve(trialRunDir(settings.studyDir, trial.number));
  const flags: TrainFlags = { ...trialFlags(train, settings.fixed, params), epochs: trial.budget ?? settings.fixed.epochs, out: runDir };
  trial.setSystemAttr(ATTR.runDir, runDir);
  const resume = resumeFolder(trial, runDir);
  console.log(`trial ${trial.number}: ${Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(", ")}${resume ? ` (resuming ${resume.from})` : ""}`);
  const reporter = new TrialReporter(trial, settings.metric);
  const { history } = runTrain(resume ? { ...flags, resume: runDir } : flags, { callbacks: (path) => [reporter.at(path)] });
  const d = diagnose(history);
  trial.setUserAttr(DIAGNOSIS_USER_ATTR, { summary: d.summary, findings: d.findings.map(({ kind, severity, message, epoch, step }) => ({ kind, severity, message, ...(epoch !== undefined ? { epoch } : {}), ...(step !== undefined ? { step } : {}) })) });
  if (reporter.prunedAt !== null) throw new TrialPruned(`trial ${trial.number} pruned after epoch ${reporter.prunedAt}`);
  const last = history.epochs.at(-1);
  return last === undefined ? NaN : epochValue(last, settings.metric) ?? NaN;
}

/**
 * Where a resumed trial continues: its own folder when it was paused (ASHA) and claimed again; a retry's
 * new folder, made a copy of the dead trial's (without its lock) when the checkpoint lives elsewhere.
 */
function resumeFolder(trial: Trial, runDir: string): { from: string } | null {
  const from = trial.systemAttrs[ATTR.resumeFrom];
  if (typeof from !== "string") return existsSync(join(runDir, "config.json")) && trial.systemAttrs[ATTR.pausedAtRung] !== undefined ? { from: runDir } : null;
  const source = dirname(dirname(resolve(from)));
  if (basename(dirname(resolve(from))) !== "checkpoints" || !existsSync(join(source, "config.json"))) {
    throw new StudyError({ where: `trial ${trial.number}`, what: `${ATTR.resumeFrom} names ${from}, which is not a checkpoint in a run folder`, expected: "<run folder>/checkpoints/last" });
  }
  if (source !== runDir && !existsSync(join(runDir, "config.json"))) cpSync(source, runDir, { recursive: true, filter: (src) => basename(src) !== LOCK_FILE });
  return { from: source };
}

/**
 * The trial's side of the run: after each epoch (and its checkpoint: it runs late, after ModelCheckpoint)
 * it reports the metric, records the checkpoint, and asks the pruner; a tick per step for the worker's hang watch.
 */
class TrialReporter implements Callback {
  readonly late = true;
  prunedAt: number | null = null;
  private runPath = "";

  constructor(private readonly trial: Trial, private readonly metric: string) {}

  at(runPath: string): this {
    this.runPath = runPath;
    return this;
  }

  onBatchEnd(_ctx: FitContext, _log: BatchLog): void {
    tick();
  }

  onEpochEnd(ctx: FitContext, log: EpochLog): void {
    const value = epochValue(log, this.metric);
    if (value === null) throw new StudyError({ where: `trial ${this.trial.number}`, what: `the run has no ${this.metric} to report`, expected: "a metric the run records (valLoss needs a validation set)" });
    this.trial.setSystemAttr(ATTR.checkpoint, join(this.runPath, "checkpoints", "last"));
    if (this.trial.frozen().intermediateValues.has(log.epoch)) return; // a resumed trial's epochs before the pause
    this.trial.report(value, log.epoch);
    if (log.epoch < ctx.epochs && this.trial.shouldPrune()) {
      this.prunedAt = log.epoch;
      ctx.stop(`pruned by the study's pruner after epoch ${log.epoch}`);
    }
  }
}
