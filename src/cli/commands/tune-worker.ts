import { Command, InvalidArgumentError } from "commander";
import { runWorker, WORKER_HEARTBEAT } from "../../tune/node/worker.js";
import { integer, number } from "../parse.js";
import { InterruptedError, type StopSignal } from "../stop-signals.js";

interface TuneWorkerFlags {
  storage: string;
  study: string;
  trials?: number;
  workerIndex?: number;
  heartbeatInterval: number;
  grace: number;
  maxRetry: number | null;
  hangTimeout: number;
  stopTimeout: number;
  trialCommand?: string[];
}

/**
 * `minima tune worker --storage URL --study NAME`: one more worker on a study that `minima tune`
 * created, on this machine or another one that reaches the same storage. Registered under
 * `minima tune` by tune.ts.
 */
export function tuneWorkerCommand(): Command {
  return new Command("worker")
    .description("run a study's trials as a worker: claim, run each as a child process, heartbeat, reap dead workers' trials")
    .requiredOption("--storage <url>", "the study's storage: a journal file, sqlite:///path.db or postgresql://user@host/db")
    .requiredOption("--study <name>", "the study's name")
    .option("--trials <n>", "stop after this many trials (default: until the sampler has no point left, or Ctrl-C)", integer(1))
    .option("--worker-index <i>", "this worker's index among its siblings: its sampler draws with the study's seed + i (default: a random seed)", integer(0))
    .option("--heartbeat-interval <s>", "seconds between heartbeats of the running trial", number(0, { inclusive: false }), WORKER_HEARTBEAT.interval)
    .option("--grace <s>", "a RUNNING trial without a heartbeat for this long is failed and retried", number(0, { inclusive: false }), WORKER_HEARTBEAT.grace)
    .option("--max-retry <n>", 'retries of a failed trial (a dead worker, a crashed or hung trial process), or "none" for no limit', maxRetry, WORKER_HEARTBEAT.maxRetry)
    .option("--hang-timeout <s>", "a trial process without a training step for this long is killed and its trial failed and retried", number(0, { inclusive: false }), 300)
    .option("--stop-timeout <s>", "on Ctrl-C or SIGTERM, seconds the trial process may take to save its checkpoint before it is killed", number(0, { inclusive: false }), 30)
    .option("--trial-command <words>", "run this program for each trial instead of minima tune run-trial; it gets --storage, --study, --trial-id, --worker-id and --epoch (words split at spaces, or a JSON array)", trialCommand)
    .action(async (flags: TuneWorkerFlags) => {
      const controller = new AbortController();
      const onSignal = (signal: StopSignal) => controller.abort(signal);
      process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
      try {
        const result = await runWorker({
          storage: flags.storage,
          studyName: flags.study,
          trials: flags.trials,
          workerIndex: flags.workerIndex,
          heartbeat: { interval: flags.heartbeatInterval, grace: flags.grace, maxRetry: flags.maxRetry },
          hangTimeout: flags.hangTimeout,
          stopTimeout: flags.stopTimeout,
          trialCommand: flags.trialCommand,
          signal: controller.signal,
        });
        if (result.ended === "stopped") {
          const signal = controller.signal.reason as StopSignal;
          const last = result.trials.at(-1)?.outcome;
          const retried = last?.kind === "failed" && last.retry !== null ? `; trial ${result.trials.at(-1)!.number}, which it was running, is FAIL and retried as trial ${last.retry}, to resume from its checkpoint` : "";
          throw new InterruptedError(signal, `stopped by ${signal} after ${plural(result.trials.length, "trial")}${retried}`, "tune worker");
        }
        console.log(`worker done: ${plural(result.trials.length, "trial")} (${result.ended === "exhausted" ? "the sampler has no point left" : "--trials reached"})`);
      } finally {
        process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
      }
    });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function maxRetry(v: string): number | null {
  if (v === "none") return null;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError('expected an integer ≥ 0, or "none" for no limit.');
  return Number(v);
}

function trialCommand(v: string): string[] {
  let words: unknown;
  if (v.trimStart().startsWith("[")) {
    try {
      words = JSON.parse(v);
    } catch {
      words = null;
    }
  } else {
    words = v.split(/\s+/).filter((w) => w !== "");
  }
  if (!Array.isArray(words) || words.length === 0 || !words.every((w) => typeof w === "string" && w !== "")) throw new InvalidArgumentError("expected a program and its arguments, as words or a JSON array of strings.");
  return words as string[];
}
