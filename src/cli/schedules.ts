import { Command, Option } from "commander";
import * as S from "../schedule/index.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import type { ScheduledLR } from "../train/fit.js";
import { OptionError } from "../errors.js";
import { integer, intList, number } from "./parse.js";

export const SCHEDULE_NAMES = ["constant", "step", "multistep", "exponential", "inverse-time", "inverse-sqrt", "cosine",
  "cosine-restarts", "linear", "polynomial", "one-cycle", "cyclic", "plateau"] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** Schedule flags as commander parses them. Counts are optimizer steps unless named otherwise. */
export interface ScheduleFlags {
  schedule?: ScheduleName | undefined;
  warmup?: number | undefined;
  stepSize?: number | undefined;
  gamma?: number | undefined;
  milestones?: number[] | undefined;
  tMax?: number | undefined;
  etaMin?: number | undefined;
  t0?: number | undefined;
  tMult?: number | undefined;
  decayRate?: number | undefined;
  power?: number | undefined;
  maxLr?: number | undefined;
  factor?: number | undefined;
  patience?: number | undefined;
}

/** Adds --schedule and its options to a command (train, schedule). */
export function addScheduleOptions(cmd: Command, withName = true): Command {
  if (withName) cmd.addOption(new Option("--schedule <name>", "learning-rate schedule (stepped after every optimizer step; plateau after every epoch)").choices(SCHEDULE_NAMES));
  return cmd
    .option("--warmup <steps>", "linear warmup from 1% of --lr to --lr over this many steps, then the schedule", integer(0))
    .option("--step-size <steps>", "step: decay every this many steps (default: one epoch)", integer(1))
    .option("--gamma <factor>", "step/multistep: decay factor (0.1); exponential: per-step factor (0.999)", number(0, { inclusive: false }))
    .option("--milestones <steps>", "multistep: steps at which to decay (default: 50% and 75% of training)", intList)
    .option("--t-max <steps>", "cosine: steps of the half cosine (default: the whole run after warmup)", integer(1))
    .option("--eta-min <lr>", "cosine, cosine-restarts: the lowest learning rate", number(0), 0)
    .option("--t0 <steps>", "cosine-restarts: length of the first cycle (default: one epoch)", integer(1))
    .option("--t-mult <n>", "cosine-restarts: each cycle is this many times longer", integer(1), 2)
    .option("--decay-rate <r>", "inverse-time: lr/(1 + r·t/stepsPerEpoch)", number(0), 1)
    .option("--power <p>", "polynomial: the decay's power", number(0), 1)
    .option("--max-lr <lr>", "one-cycle, cyclic: the peak learning rate (default: 10 × lr)", number(0, { inclusive: false }))
    .option("--factor <f>", "plateau: multiply lr by this when validation loss stalls", number(0, { inclusive: false }), 0.1)
    .option("--patience <epochs>", "plateau: epochs without improvement before cutting lr", integer(0), 2);
}

/** Everything needed to turn flags into a scheduler over a run of known length. */
export interface RunLength {
  stepsPerEpoch: number;
  totalSteps: number;
  /** How the run's length came about, for messages: "2 epochs × 8 batches" (default: "--steps"). */
  origin?: string;
}

type Sched = S.LRScheduler | S.ReduceLROnPlateau;

/** The main schedule (without warmup) for a name, counted in steps from its own start. */
function mainSchedule(name: Exclude<ScheduleName, "plateau">, opt: Optimizer<GroupOptions>, f: ScheduleFlags, len: RunLength, lr: number, steps: number): Sched {
  switch (name) {
    case "constant": return new S.ConstantLR(opt, { factor: 1, totalIters: 0 });
    case "step": return new S.StepLR(opt, { stepSize: f.stepSize ?? len.stepsPerEpoch, gamma: f.gamma ?? 0.1 });
    case "multistep": return new S.MultiStepLR(opt, { milestones: f.milestones ?? [Math.round(steps / 2), Math.round(steps * 0.75)], gamma: f.gamma ?? 0.1 });
    case "exponential": return new S.ExponentialLR(opt, { gamma: f.gamma ?? 0.999 });
    case "inverse-time": return new S.InverseTimeLR(opt, { decayRate: f.decayRate ?? 1, decaySteps: len.stepsPerEpoch });
    case "inverse-sqrt": return new S.InverseSqrtLR(opt, { warmupSteps: Math.max(1, len.stepsPerEpoch) });
    case "cosine": return new S.CosineAnnealingLR(opt, { tMax: f.tMax ?? steps, etaMin: f.etaMin ?? 0 });
    case "cosine-restarts": return new S.CosineAnnealingWarmRestarts(opt, { t0: f.t0 ?? len.stepsPerEpoch, tMult: f.tMult ?? 2, etaMin: f.etaMin ?? 0 });
    case "linear": return new S.LinearLR(opt, { startFactor: 1, endFactor: 0.01, totalIters: steps });
    case "polynomial": return new S.PolynomialLR(opt, { totalIters: steps, power: f.power ?? 1 });
    case "one-cycle": return new S.OneCycleLR(opt, { maxLr: f.maxLr ?? 10 * lr, totalSteps: steps });
    case "cyclic": return new S.CyclicLR(opt, { baseLr: lr, maxLr: f.maxLr ?? 10 * lr, stepSizeUp: Math.max(1, len.stepsPerEpoch) });
  }
}

/**
 * The scheduler the flags describe, with optional linear warmup in front (SequentialLR).
 * ReduceLROnPlateau steps once per epoch on the validation loss; every other schedule once per
 * optimizer step, so its counts are steps. Flags the schedule does not take (--warmup with
 * plateau, --gamma with cosine, …) are refused before this, by flag-rules.ts.
 */
export function makeSchedule(opt: Optimizer<GroupOptions>, f: ScheduleFlags, len: RunLength): ScheduledLR | null {
  checkWarmup(f, len);
  if (!f.schedule) {
    if (f.warmup) return perStep(new S.LinearLR(opt, { startFactor: 0.01, endFactor: 1, totalIters: f.warmup }));
    return null;
  }
  const lr = opt.paramGroups[0]!.lr;
  if (f.schedule === "plateau") {
    const plateau = new S.ReduceLROnPlateau(opt, { factor: f.factor ?? 0.1, patience: f.patience ?? 2 });
    return { scheduler: plateau, interval: "epoch" };
  }
  const warmup = f.warmup ?? 0;
  const steps = Math.max(1, len.totalSteps - warmup);
  checkDecays(f, len, steps);
  const main = mainSchedule(f.schedule, opt, f, len, lr, steps);
  if (!warmup) return perStep(main);
  const warm = new S.LinearLR(opt, { startFactor: 0.01, endFactor: 1, totalIters: warmup });
  return perStep(new S.SequentialLR(opt, { schedulers: [warm, main], milestones: [warmup] }));
}

function perStep(s: Sched): ScheduledLR {
  return { scheduler: s, interval: "step" };
}

/**
 * A decay step the run never reaches leaves the lr where it was, silently: step's --step-size (or
 * its default, one epoch) and multistep's --milestones count from the schedule's start (after
 * warmup), and the lr the schedule sets at step k is used only if k < its `steps`.
 */
function checkDecays(f: ScheduleFlags, len: RunLength, steps: number): void {
  const run = `the ${f.warmup ? `${steps} steps after --warmup ${f.warmup}` : `run's ${len.totalSteps} step${len.totalSteps === 1 ? "" : "s"} (${len.origin ?? "--steps"})`}`;
  if (f.schedule === "step") {
    const size = f.stepSize ?? len.stepsPerEpoch;
    if (size >= steps) {
      const where = f.stepSize === undefined ? "--schedule step" : "--step-size";
      throw new OptionError({ where, what: `decays every ${size} steps${f.stepSize === undefined ? " (one epoch, the default)" : ""}, but ${run} end before the first decay: the lr never changes; choose a --step-size below ${steps}` });
    }
  }
  if (f.schedule === "multistep" && f.milestones) {
    const late = f.milestones.filter((m) => m >= steps);
    if (late.length) throw new OptionError({ where: "--milestones", what: `${late.join(", ")} ${late.length === 1 ? "is" : "are"} past ${run}: the lr never decays there; choose milestones below ${steps}` });
  }
}

/**
 * Warmup longer than the run never reaches --lr; as long as the run, it leaves the schedule after it
 * no step. Plateau has no warmup (flag-rules.ts refuses the pair).
 */
function checkWarmup(f: ScheduleFlags, len: RunLength): void {
  const warmup = f.warmup ?? 0;
  const total = `${len.totalSteps} step${len.totalSteps === 1 ? "" : "s"} (${len.origin ?? "--steps"})`;
  if (warmup > len.totalSteps) {
    throw new OptionError({ where: "--warmup", what: `${warmup} steps is longer than the run's ${total}: the lr would never reach --lr` });
  }
  if (f.schedule && f.schedule !== "plateau" && warmup === len.totalSteps) {
    throw new OptionError({ where: "--warmup", what: `${warmup} steps is the run's whole ${total}: it leaves the ${f.schedule} schedule no step` });
  }
}
