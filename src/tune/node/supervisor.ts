import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { OptionError } from "../../errors.js";
import { forwardLines } from "./forward-lines.js";

/** minima's worker command: `minima tune worker` (dist/src/cli/main.js beside this file's folder). */
export const TUNE_WORKER_COMMAND: readonly string[] = [process.execPath, fileURLToPath(new URL("../../cli/main.js", import.meta.url)), "tune", "worker"];

export interface SupervisorOptions {
  /** The study's storage URL, which every worker opens. */
  storage: string;
  studyName: string;
  /** How many worker processes. */
  workers: number;
  /** Trials in all, split as evenly as possible over the workers (worker i runs its share). Default: until the sampler has no point left. */
  trials?: number | undefined;
  /** The worker program and its first arguments; --storage, --study, --worker-index and --trials follow. Default `minima tune worker`. */
  workerCommand?: readonly string[] | undefined;
  /** More arguments for every worker (its heartbeat flags, --trial-command). */
  workerArgs?: readonly string[] | undefined;
  /** Stops the workers: each gets the reason ("SIGINT" or "SIGTERM") as a signal and stops cleanly. */
  signal?: AbortSignal | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Where the workers' lines go, each prefixed "[worker i] ". Default console.log. */
  log?: ((line: string) => void) | undefined;
}

export interface WorkerExit {
  readonly index: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * `minima tune --workers K`: K worker processes on one study, each with its own index (so its own
 * sampler seed) and its share of the trials. The workers coordinate through the storage alone,
 * exactly as workers started by hand on other machines do; this only starts them, prefixes their
 * output, passes a stop signal on, and waits for all of them.
 */
export function superviseWorkers(options: SupervisorOptions): Promise<WorkerExit[]> {
  const { workers, trials } = options;
  if (!(Number.isSafeInteger(workers) && workers >= 1)) throw new OptionError({ where: "mn.tune.superviseWorkers", what: "workers must be a positive integer", expected: "an integer ≥ 1", got: String(workers) });
  if (trials !== undefined && !(Number.isSafeInteger(trials) && trials >= 1)) throw new OptionError({ where: "mn.tune.superviseWorkers", what: "trials must be a positive integer", expected: "an integer ≥ 1", got: String(trials) });
  const command = options.workerCommand ?? TUNE_WORKER_COMMAND;
  const log = options.log ?? ((line: string) => console.log(line));
  const exits: Promise<WorkerExit>[] = [];
  for (let i = 0; i < workers; i++) {
    const share = trials === undefined ? undefined : Math.floor(trials / workers) + (i < trials % workers ? 1 : 0);
    if (share === 0) continue;
    const args = [...command.slice(1), "--storage", options.storage, "--study", options.studyName, "--worker-index", String(i), ...(share === undefined ? [] : ["--trials", String(share)]), ...(options.workerArgs ?? [])];
    exits.push(runOne(i, command[0]!, args, options, log));
  }
  return Promise.all(exits);
}

function runOne(index: number, program: string, args: string[], options: SupervisorOptions, log: (line: string) => void): Promise<WorkerExit> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], env: options.env ?? process.env });
    const prefix = `[worker ${index}] `;
    for (const stream of [child.stdout!, child.stderr!]) forwardLines(stream, (line) => log(prefix + line));
    const onAbort = () => child.kill((options.signal?.reason === "SIGINT" ? "SIGINT" : "SIGTERM"));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.on("error", (e) => log(`${prefix}could not start (${[program, ...args].join(" ")}): ${e.message}`));
    child.on("close", (code, signal) => {
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ index, code, signal });
    });
  });
}
