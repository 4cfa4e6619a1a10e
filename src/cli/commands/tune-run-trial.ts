import { Command } from "commander";
import { LeaseLostError } from "../../errors.js";
import { InterruptedError } from "../stop-signals.js";
import { ATTR, OPTUNA_ATTR } from "../../tune/attrs.js";
import { openStorage } from "../../tune/node/open-storage.js";
import { prunerFromSpec } from "../../tune/pruners/from-spec.js";
import { samplerFromSpec } from "../../tune/samplers/from-spec.js";
import type { Storage } from "../../tune/storage.js";
import { loadStudy } from "../../tune/study.js";
import { TrialPruned } from "../../tune/trial-pruned.js";
import { MAX_SEED, integer, path } from "../parse.js";
import { runTuneTrial } from "../tune-trial.js";

export interface RunTrialFlags {
  storage: string;
  study: string;
  trialId: number;
  workerId: string;
  epoch: number;
}

/**
 * `minima tune run-trial` (hidden): runs one trial a worker holds the lease of, as `minima tune` runs
 * trials in-process (runTuneTrial), then tells its result under that lease. The worker spawns it with
 * an IPC channel and watches its progress ticks; a lost lease (the trial was reaped meanwhile) ends it
 * with exit status 1 and writes nothing more.
 */
export function runTrialCommand(): Command {
  return new Command("run-trial")
    .description("run one trial of a minima tune study under a worker's lease (spawned by minima tune worker)")
    .requiredOption("--storage <url>", "the study's storage", path("a storage URL or journal path"))
    .requiredOption("--study <name>", "the study's name")
    .requiredOption("--trial-id <n>", "the trial's id in the storage", integer(0))
    .requiredOption("--worker-id <id>", "the worker that holds the trial's lease")
    .requiredOption("--epoch <n>", "the lease's epoch", integer(1))
    .action((flags: RunTrialFlags) => runLeasedTrial(flags));
}

/** Runs and tells the leased trial; `given`: a storage object to use instead of opening --storage (left open). */
export function runLeasedTrial(flags: RunTrialFlags, given?: Storage): void {
  const storage = given ?? openStorage(flags.storage);
  try {
    const probe = loadStudy({ storage, studyName: flags.study });
    const trial0 = storage.getTrial(flags.trialId);
    // Each trial's own stream: a parameter the worker did not suggest is drawn from the study's sampler seeded by the trial's number.
    const spec = probe.systemAttrs[ATTR.sampler] as Record<string, unknown>;
    const seeded = typeof spec["seed"] === "number" ? { ...spec, seed: (spec["seed"] + trial0.number) % (MAX_SEED + 1) } : spec;
    const study = loadStudy({ storage, studyName: flags.study, sampler: samplerFromSpec(seeded), pruner: prunerFromSpec(probe.systemAttrs[ATTR.pruner] as Record<string, unknown>) });
    const trial = study.trialFromLease({ trialId: flags.trialId, workerId: flags.workerId, epoch: flags.epoch });
    let value: number;
    try {
      value = runTuneTrial(study, trial);
    } catch (e) {
      if (e instanceof TrialPruned) {
        // A trial the pruner paused at a rung (ASHA's minima:paused_at_rung) waits for promotion, as study.optimize tells it.
        study.tell(trial, typeof trial.frozen().systemAttrs[ATTR.pausedAtRung] === "number" ? "WAITING" : "PRUNED");
        return;
      }
      // Stopped by its worker (SIGTERM: the last checkpoint is saved): the worker fails the trial with a retry that resumes it.
      if (!(e instanceof LeaseLostError) && !stoppedBySignal(e)) {
        storage.setTrialSystemAttr(trial.lease, OPTUNA_ATTR.failReason, String((e as Error)?.stack ?? e));
        study.tell(trial, "FAIL");
      }
      throw e;
    }
    study.tell(trial, value);
  } finally {
    if (given === undefined) storage.close();
  }
}

/** Whether `e` is, or was caused by, the InterruptedError of a stop signal. */
function stoppedBySignal(e: unknown): boolean {
  for (let x = e, depth = 0; x instanceof Error && depth < 8; x = x.cause, depth++) if (x instanceof InterruptedError) return true;
  return false;
}
