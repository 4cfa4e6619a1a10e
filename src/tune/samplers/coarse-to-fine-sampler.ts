import { OptionError } from "../../errors.js";
import { atLeast, checkOptions, nonNegativeInt, option, optional, positiveInt, type OptionsOf } from "../../options.js";
import { Generator } from "../../tensor/random.js";
import { ATTR, OPTUNA_ATTR } from "../attrs.js";
import { isSingle, type Distribution, type ParamValue } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Sampler } from "../sampler.js";
import type { Study } from "../study.js";
import type { Trial } from "../trial.js";
import type { TrialState } from "../trial-state.js";
import { edgeOf, narrowEntry, sampleInBox, wholeRange, type Box, type BoxEntry } from "./c2f-box.js";

const COARSE_TO_FINE = {
  /** How many stages: the first random over the whole space, each next one in a smaller box. */
  stages: option(3, positiveInt),
  /** New trials per stage. */
  trialsPerStage: option(10, positiveInt),
  /** How many of a stage's best trials the next box surrounds. */
  topK: option(5, positiveInt),
  /** The next box reaches beyond the top trials by this share of the previous box's width on each side. */
  margin: option(0.1, atLeast(0)),
  /** Each stage's budget is the previous one's times this (rounded to an integer). Needs initialBudget. */
  budgetGrowth: option(3, atLeast(1)),
  /** The first stage's training budget (epochs), stored on each trial as minima:budget (Trial.budget). Default: none. */
  initialBudget: optional<number>(positiveInt),
  /** Seed of the sampler's generator; without one, a random seed. */
  seed: optional<number>(nonNegativeInt),
};
export interface CoarseToFineSamplerOptions extends OptionsOf<typeof COARSE_TO_FINE> {}

/**
 * Coarse-to-fine random search (CS231n's recipe, which none of Optuna, Ray Tune or KerasTuner has):
 * stage 1 samples uniformly over the whole space in the transformed (log) space, with short budgets;
 * each next stage samples a box around the previous stage's topK best trials, widened by `margin`
 * and clipped to the previous box, with a budget `budgetGrowth` times larger. A categorical keeps
 * the choices its top trials took. Each stage's box is stored in the study (minima:c2f:stage:<k>)
 * for other workers and the report, and a warning says when a stage's best point lies on its box's
 * edge, where better values may lie beyond.
 *
 * A trial's stage follows from the study alone — the number of trials created before it by ask()
 * (not enqueued, not retries) — so workers agree without talking. A stage's box is computed, once,
 * by the first trial that samples in it, from the previous stage's trials complete by then: with
 * several workers, stage k may start while stage k−1's last trials still run (they do not count).
 * Retries keep their stage and budget; trials enqueued by hand belong to no stage and sample the
 * whole space.
 */
export class CoarseToFineSampler implements Sampler {
  readonly name = "coarse-to-fine";
  private readonly o: ReturnType<typeof checkOptions<typeof COARSE_TO_FINE>>;
  private readonly rng: Generator;
  private readonly boxes = new WeakMap<Study, Map<number, Box>>();

  constructor(options: CoarseToFineSamplerOptions = {}) {
    this.o = checkOptions("CoarseToFineSampler", options, COARSE_TO_FINE);
    if (this.o.topK > this.o.trialsPerStage) throw new OptionError({ where: "CoarseToFineSampler", what: "topK cannot exceed trialsPerStage", expected: `topK ≤ ${this.o.trialsPerStage}`, got: String(this.o.topK) });
    if (options.budgetGrowth !== undefined && this.o.initialBudget === undefined) {
      throw new OptionError({ where: "CoarseToFineSampler", what: "budgetGrowth does nothing without initialBudget", expected: "initialBudget (the first stage's epochs) with budgetGrowth, or neither" });
    }
    this.rng = new Generator(this.o.seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  spec(): Record<string, unknown> {
    const { stages, trialsPerStage, topK, margin, budgetGrowth, initialBudget, seed } = this.o;
    return {
      name: this.name, stages, trialsPerStage, topK, margin,
      ...(initialBudget === undefined ? {} : { budgetGrowth, initialBudget }),
      ...(seed === undefined ? {} : { seed }),
    };
  }

  /** The training budget of a stage (1-based): initialBudget · budgetGrowth^(stage−1), rounded; undefined without initialBudget. */
  budget(stage: number): number | undefined {
    const { initialBudget, budgetGrowth } = this.o;
    return initialBudget === undefined ? undefined : Math.round(initialBudget * budgetGrowth ** (stage - 1));
  }

  isExhausted(study: Study): boolean {
    return study.trials.filter(isStageTrial).length >= this.o.stages * this.o.trialsPerStage;
  }

  /** Gives a new trial its stage (and budget); a retry keeps the ones it copied. */
  beforeTrial(study: Study, trial: Trial): void {
    if (trial.systemAttrs[ATTR.c2fStage] !== undefined || !isStageTrial(trial.frozen())) return;
    const before = study.trials.filter((t) => t.number < trial.number && isStageTrial(t)).length;
    // Workers racing past the last stage's quota sample in the last box.
    const stage = Math.min(this.o.stages, Math.floor(before / this.o.trialsPerStage) + 1);
    trial.setSystemAttr(ATTR.c2fStage, stage);
    const budget = this.budget(stage);
    if (budget !== undefined) trial.setSystemAttr(ATTR.budget, budget);
  }

  sampleIndependent(study: Study, trial: FrozenTrial, name: string, dist: Distribution): ParamValue {
    const stage = trial.systemAttrs[ATTR.c2fStage];
    if (typeof stage !== "number") return sampleInBox(wholeRange(dist), dist, this.rng);
    const box = this.box(study, stage);
    let entry = box[name];
    if (entry === undefined) {
      // A parameter the previous stage did not have: its whole range, recorded in the stage's box.
      entry = wholeRange(dist);
      box[name] = entry;
      // Merge with what other workers recorded meanwhile, so none of their parameters is dropped.
      const stored = study.systemAttrs[ATTR.c2fBox(stage)] as Box | undefined;
      study.setSystemAttr(ATTR.c2fBox(stage), { ...stored, ...box });
    }
    return sampleInBox(entry, dist, this.rng);
  }

  /** When the last trial of a stage finishes: warns if the stage's best point lies on its box's edge. */
  afterTrial(study: Study, trial: FrozenTrial, state: TrialState, value: number | null): void {
    const stage = trial.systemAttrs[ATTR.c2fStage];
    if (typeof stage !== "number") return;
    const now = (t: FrozenTrial) => (t.trialId === trial.trialId ? { ...t, state, value } : t);
    const members = study.trials.map(now).filter((t) => t.systemAttrs[ATTR.c2fStage] === stage);
    const created = members.filter(isStageTrial).length;
    if (created < this.o.trialsPerStage || members.some((t) => t.state === "RUNNING" || t.state === "WAITING")) return;
    const [best] = ranked(members, study.direction);
    if (best === undefined) return;
    const box = this.box(study, stage);
    for (const [name, v] of Object.entries(best.params)) {
      const dist = best.distributions[name]!;
      const entry = box[name];
      if (entry === undefined || dist.kind === "categorical" || isSingle(dist)) continue;
      const edge = edgeOf(entry, dist, v as number);
      if (edge === null) continue;
      const whole = wholeRange(dist) as { low: number; high: number };
      const e = entry as { low: number; high: number };
      // The box's edge is the range's own (up to the rounding of a trip through log).
      const tol = 1e-9 * (whole.high - whole.low);
      const atRange = edge === "lower" ? e.low <= whole.low + tol : e.high >= whole.high - tol;
      study.warn(
        `coarse-to-fine stage ${stage}: the best trial (${best.number}) has ${name} = ${v}, on the ${edge} edge of the stage's box (${fmt(e.low)} to ${fmt(e.high)}); ` +
          (atRange ? "better values may lie outside the search range: widen it" : "better values may lie beyond it: a larger margin or topK widens the next box"),
      );
    }
  }

  /** The box of a stage: stored in the study, or computed from the previous stage and stored. */
  private box(study: Study, stage: number): Box {
    let boxes = this.boxes.get(study);
    if (boxes === undefined) this.boxes.set(study, (boxes = new Map()));
    const cached = boxes.get(stage);
    if (cached !== undefined) return cached;
    let box = study.systemAttrs[ATTR.c2fBox(stage)] as Box | undefined;
    if (box === undefined) {
      box = stage === 1 ? {} : this.narrow(study, stage);
      study.setSystemAttr(ATTR.c2fBox(stage), box);
    }
    boxes.set(stage, box);
    return box;
  }

  private narrow(study: Study, stage: number): Box {
    const previous = this.box(study, stage - 1);
    const members = study.trials.filter((t) => t.systemAttrs[ATTR.c2fStage] === stage - 1);
    const top = ranked(members, study.direction).slice(0, this.o.topK);
    if (top.length === 0) {
      study.warn(`coarse-to-fine stage ${stage}: no trial of stage ${stage - 1} has completed, so stage ${stage} samples stage ${stage - 1}'s box again`);
      return { ...previous };
    }
    const names = new Set([...Object.keys(previous), ...top.flatMap((t) => Object.keys(t.params))]);
    const box: Box = {};
    for (const name of names) {
      const start: BoxEntry | undefined = previous[name] ?? wholeOf(top, name);
      if (start === undefined) continue;
      box[name] = narrowEntry(start, top.filter((t) => name in t.params).map((t) => t.params[name]!), this.o.margin);
    }
    return box;
  }
}

/** A trial created by ask() as a new point: not enqueued (fixed_params), not a retry (failed_trial). */
function isStageTrial(t: FrozenTrial): boolean {
  return !(OPTUNA_ATTR.fixedParams in t.systemAttrs) && !(OPTUNA_ATTR.failedTrial in t.systemAttrs);
}

/** The COMPLETE trials with a number for a value, best first (the earlier on a tie). */
function ranked(trials: readonly FrozenTrial[], direction: "minimize" | "maximize"): FrozenTrial[] {
  const sign = direction === "maximize" ? -1 : 1;
  return trials
    .filter((t) => t.state === "COMPLETE" && t.value !== null && !Number.isNaN(t.value))
    .sort((a, b) => sign * (a.value! - b.value!) || a.number - b.number);
}

function wholeOf(trials: readonly FrozenTrial[], name: string): BoxEntry | undefined {
  const d = trials.find((t) => t.distributions[name] !== undefined)?.distributions[name];
  return d === undefined ? undefined : wholeRange(d);
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(4)));
}
