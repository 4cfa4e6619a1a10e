import { checkOptions, isBoolean, nonNegativeInt, option, optional, positiveInt, above, type OptionsOf } from "../../../options.js";
import { Generator } from "../../../tensor/random.js";
import { distributionsEqual, isSingle, toExternal, type Distribution, type ParamValue } from "../../distributions.js";
import type { FrozenTrial } from "../../frozen-trial.js";
import type { Sampler } from "../../sampler.js";
import type { Study } from "../../study.js";
import { sampleUniform } from "../random-sampler.js";
import { finishedCount, observationPairs, splitObservations } from "./observations.js";
import { defaultGamma, ParzenEstimator, type ParzenEstimatorParameters } from "./parzen-estimator.js";

const TPE_SAMPLER = {
  /** Trials sampled at random before TPE takes over (Optuna's n_startup_trials). */
  nStartupTrials: option(10, nonNegativeInt),
  /** Candidates drawn from l(x) per suggestion; the one with the largest l(x)/g(x) wins (n_ei_candidates). */
  nEiCandidates: option(24, positiveInt),
  /** Weight of the prior kernel (a wide kernel centred in the range). */
  priorWeight: option(1, above(0)),
  /** Add the prior kernel; it is always added while a side has no observation. */
  considerPrior: option(true, isBoolean),
  /** Floor each kernel's bandwidth at the range over min(100, 1 + kernels) (Bergstra's "magic clip"). */
  considerMagicClip: option(true, isBoolean),
  /** Let the range's ends count as neighbours of the outermost kernels (univariate bandwidths only). */
  considerEndpoints: option(false, isBoolean),
  /** Model the parameters jointly (Optuna's multivariate TPE, its default for one objective since v4). */
  multivariate: option(true, isBoolean),
  /** Count RUNNING trials as the worst observations, so parallel workers spread out. */
  constantLiar: option(true, isBoolean),
  /** Warn when multivariate TPE samples a parameter on its own (it is not in every finished trial's space). */
  warnIndependentSampling: option(true, isBoolean),
  /** Seed of the sampler's generator; without one, a random seed. */
  seed: optional<number>(nonNegativeInt),
};
export interface TPESamplerOptions extends OptionsOf<typeof TPE_SAMPLER> {}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna's current defaults: random for
 * the first 10 trials, then the best gamma(n) = min(⌈0.1·n⌉, 25) finished trials form l(x) and the
 * rest g(x) (recent trials weigh more beyond 25: Optuna's ramp), and of 24 candidates drawn from l
 * the one maximizing l(x)/g(x) is taken. Multivariate over the parameters every finished trial has,
 * independent for the others; constant liar on. The kernels are computed as Optuna 3.1's
 * _ParzenEstimator computes them (test/tune/samplers/tpe.test.ts holds them to its values);
 * gamma and the weights are Optuna's defaults and not options, as a study stores its sampler as JSON.
 */
export class TPESampler implements Sampler {
  readonly name = "tpe";
  private readonly o: ReturnType<typeof checkOptions<typeof TPE_SAMPLER>>;
  private readonly rng: Generator;
  private readonly parzen: ParzenEstimatorParameters;
  private readonly warned = new Set<string>();

  constructor(options: TPESamplerOptions = {}) {
    this.o = checkOptions("TPESampler", options, TPE_SAMPLER);
    this.rng = new Generator(this.o.seed ?? Math.floor(Math.random() * 2 ** 32));
    const { considerPrior, priorWeight, considerMagicClip, considerEndpoints, multivariate } = this.o;
    this.parzen = { considerPrior, priorWeight, considerMagicClip, considerEndpoints, multivariate };
  }

  spec(): Record<string, unknown> {
    const { seed, ...rest } = this.o;
    return { name: this.name, ...rest, ...(seed === undefined ? {} : { seed }) };
  }

  /** The parameters every finished (COMPLETE or PRUNED) trial has with the same distribution, single-valued ones left out. */
  inferRelativeSearchSpace(study: Study): Record<string, Distribution> {
    if (!this.o.multivariate) return {};
    let space: Record<string, Distribution> | null = null;
    for (const t of study.getTrials({ states: ["COMPLETE", "PRUNED"] })) {
      if (space === null) {
        space = { ...t.distributions };
        continue;
      }
      for (const [name, d] of Object.entries(space)) {
        const other = t.distributions[name];
        if (other === undefined || !distributionsEqual(d, other)) delete space[name];
      }
    }
    const out: Record<string, Distribution> = {};
    for (const name of Object.keys(space ?? {}).sort()) if (!isSingle(space![name]!)) out[name] = space![name]!;
    return out;
  }

  sampleRelative(study: Study, _trial: FrozenTrial, space: Record<string, Distribution>): Record<string, ParamValue> {
    const chosen = this.sampleTpe(study, space);
    return chosen ?? {};
  }

  sampleIndependent(study: Study, trial: FrozenTrial, name: string, dist: Distribution): ParamValue {
    const chosen = this.sampleTpe(study, { [name]: dist }, trial);
    return chosen?.[name] ?? sampleUniform(dist, this.rng);
  }

  /** TPE over the space; null while fewer than nStartupTrials trials have finished (the caller samples at random). */
  private sampleTpe(study: Study, space: Record<string, Distribution>, independentFor?: FrozenTrial): Record<string, ParamValue> | null {
    const names = Object.keys(space);
    const trials = study.trials;
    const { values, scores } = observationPairs(trials, names, study.direction, this.o.constantLiar);
    const n = finishedCount(scores);
    if (independentFor !== undefined) this.warnIndependent(study, independentFor, names[0]!, n, values[names[0]!]!);
    if (n < this.o.nStartupTrials) return null;
    const [below, above] = splitObservations(scores, defaultGamma(n));
    // A trial without the (first) parameter contributes to neither side.
    const has = values[names[0]!]!.map((v) => v !== null);
    const pick = (idx: number[]) => Object.fromEntries(names.map((k) => [k, idx.filter((i) => has[i]).map((i) => values[k]![i]!)]));
    const l = new ParzenEstimator(pick(below), space, this.parzen);
    const g = new ParzenEstimator(pick(above), space, this.parzen);
    const candidates = l.sample(this.rng, this.o.nEiCandidates);
    const logL = l.logPdf(candidates);
    const logG = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < logL.length; i++) if (logL[i]! - logG[i]! > logL[best]! - logG[best]!) best = i;
    return Object.fromEntries(names.map((k) => [k, toExternal(space[k]!, candidates[k]![best]!)]));
  }

  /** Optuna's warning when multivariate TPE falls back to one parameter at a time: once per parameter. */
  private warnIndependent(study: Study, trial: FrozenTrial, name: string, n: number, seen: readonly (number | null)[]): void {
    if (!this.o.multivariate || !this.o.warnIndependentSampling || this.warned.has(name)) return;
    if (n < Math.max(this.o.nStartupTrials, 1) || !seen.some((v) => v !== null)) return;
    this.warned.add(name);
    study.warn(
      `TPESampler: parameter "${name}" of trial ${trial.number} is sampled independently, not jointly with the others, ` +
        "because not every finished trial has it with the same distribution; the search may be less efficient " +
        "(TPESampler({ warnIndependentSampling: false }) silences this)",
    );
  }
}
