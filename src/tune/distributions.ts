import { OptionError, StudyError } from "../errors.js";
import { pythonFloat } from "./python-float.js";

/**
 * Search-space distributions, as Optuna defines and stores them: a parameter's value is kept in its
 * internal representation (the number itself for float and int, the index of the choice for
 * categorical) next to the distribution's JSON, so Optuna reads minima's studies and minima reads Optuna's.
 */

/** What a categorical parameter may take (Optuna's CategoricalChoiceType). */
export type CategoricalChoice = null | boolean | number | string;
/** A parameter's value as the objective sees it. */
export type ParamValue = CategoricalChoice;

/** A float in [low, high], on a log scale or a grid of `step` (Optuna's FloatDistribution); made by mn.tune.float. */
export class FloatDistribution {
  readonly kind = "float";
  constructor(
    readonly low: number,
    readonly high: number,
    readonly log: boolean,
    readonly step: number | null,
  ) {}
}

/** An integer in [low, high], on a log scale or every `step` (Optuna's IntDistribution); made by mn.tune.int. */
export class IntDistribution {
  readonly kind = "int";
  constructor(
    readonly low: number,
    readonly high: number,
    readonly log: boolean,
    readonly step: number,
  ) {}
}

/** One of a list of choices (Optuna's CategoricalDistribution); made by mn.tune.categorical. */
export class CategoricalDistribution {
  readonly kind = "categorical";
  constructor(readonly choices: readonly CategoricalChoice[]) {}
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

export interface FloatOptions {
  /** Sample uniformly in log space (low must be > 0). Default false. */
  log?: boolean;
  /** Only multiples of step above low; high is lowered to the last one. Not with log. Default none. */
  step?: number | null;
}

export interface IntOptions {
  /** Sample uniformly in log space (low must be ≥ 1). Default false. */
  log?: boolean;
  /** Only low, low + step, …; high is lowered to the last one. Must be 1 with log. Default 1. */
  step?: number;
}

function fail(where: string, what: string, expected: string, got: unknown): never {
  throw new OptionError({ where, what, expected, got: typeof got === "string" ? got : JSON.stringify(got) ?? String(got) });
}

/** A float in [low, high], optionally on a log scale or a grid of `step`: Optuna's FloatDistribution. */
export function float(low: number, high: number, options: FloatOptions = {}): FloatDistribution {
  const where = "mn.tune.float";
  const log = options.log ?? false;
  const step = options.step ?? null;
  if (typeof low !== "number" || !Number.isFinite(low)) fail(where, "low must be a finite number", "a finite number", low);
  if (typeof high !== "number" || !Number.isFinite(high)) fail(where, "high must be a finite number", "a finite number", high);
  if (typeof log !== "boolean") fail(where, "log must be true or false", "true or false", log);
  if (low > high) fail(where, `low must not exceed high`, `low ≤ high`, `low ${low}, high ${high}`);
  if (log && step !== null) fail(where, "step is not supported with log", "step left out when log is true", `step ${step}`);
  if (log && low <= 0) fail(where, "low must be > 0 for a log distribution", "low > 0", `low ${low}`);
  if (step !== null && !(typeof step === "number" && step > 0 && Number.isFinite(step))) fail(where, "step must be a positive number", "a number > 0", step);
  return new FloatDistribution(low, step === null ? high : adjustFloatHigh(low, high, step), log, step);
}

/** An integer in [low, high], optionally on a log scale or every `step`: Optuna's IntDistribution. */
export function int(low: number, high: number, options: IntOptions = {}): IntDistribution {
  const where = "mn.tune.int";
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isSafeInteger(low)) fail(where, "low must be an integer", "an integer", low);
  if (!Number.isSafeInteger(high)) fail(where, "high must be an integer", "an integer", high);
  if (typeof log !== "boolean") fail(where, "log must be true or false", "true or false", log);
  if (low > high) fail(where, "low must not exceed high", "low ≤ high", `low ${low}, high ${high}`);
  if (!(Number.isSafeInteger(step) && step > 0)) fail(where, "step must be a positive integer", "a positive integer", step);
  if (log && step !== 1) fail(where, "step must be 1 with log", "step 1 when log is true", `step ${step}`);
  if (log && low < 1) fail(where, "low must be ≥ 1 for a log distribution", "low ≥ 1", `low ${low}`);
  return new IntDistribution(low, high - ((high - low) % step), log, step);
}

/** One of a list of choices (null, booleans, numbers or strings): Optuna's CategoricalDistribution. */
export function categorical(choices: readonly CategoricalChoice[]): CategoricalDistribution {
  const where = "mn.tune.categorical";
  if (!Array.isArray(choices) || choices.length === 0) fail(where, "choices must be a non-empty array", "one or more choices", choices);
  for (const c of choices) {
    const ok = c === null || typeof c === "boolean" || typeof c === "string" || (typeof c === "number" && !Number.isNaN(c));
    if (!ok) fail(where, "a choice must be null, a boolean, a number or a string, as storages keep them", "null, boolean, number or string", c);
  }
  return new CategoricalDistribution([...choices]);
}

/**
 * Optuna lowers high to the last multiple of step above low, computed in decimal from the numbers'
 * shortest text (Python's Decimal(str(x))), so 0.1 steps from 0 to 1 keep 1.
 */
function adjustFloatHigh(low: number, high: number, step: number): number {
  const scale = Math.max(decimals(low), decimals(high), decimals(step));
  const f = 10 ** scale;
  const [l, h, s] = [low, high, step].map((v) => BigInt(Math.round(v * f)));
  const r = h! - l!;
  if (r % s! === 0n) return high;
  return Number((r / s!) * s! + l!) / f;
}

function decimals(x: number): number {
  const [m, e] = x.toExponential().split("e");
  const frac = m!.split(".")[1]?.length ?? 0;
  return Math.max(0, frac - Number(e));
}

/** The value stored for a parameter: the number for float and int, the choice's index for categorical. */
export function toInternal(dist: Distribution, value: ParamValue): number {
  if (dist.kind === "categorical") {
    const i = dist.choices.findIndex((c) => choiceEqual(c, value));
    if (i < 0) throw new OptionError({ where: "categorical", what: "the value is not one of the choices", expected: `one of ${JSON.stringify(dist.choices)}`, got: JSON.stringify(value) });
    return i;
  }
  if (typeof value !== "number" || Number.isNaN(value)) throw new OptionError({ where: `${dist.kind} parameter`, what: "the value must be a number", expected: "a number", got: JSON.stringify(value) });
  if (dist.log && value <= 0) throw new OptionError({ where: `${dist.kind} parameter`, what: "the value must be > 0 on a log scale", expected: "a number > 0", got: String(value) });
  return value;
}

/** The value the objective sees, from the stored one. */
export function toExternal(dist: Distribution, internal: number): ParamValue {
  if (dist.kind === "categorical") return dist.choices[Math.trunc(internal)]!;
  if (dist.kind === "int") return Math.trunc(internal);
  return internal;
}

/** Whether a stored value lies in the distribution (Optuna's _contains). */
export function contains(dist: Distribution, internal: number): boolean {
  if (dist.kind === "categorical") {
    const i = Math.trunc(internal);
    return i >= 0 && i < dist.choices.length;
  }
  if (!(dist.low <= internal && internal <= dist.high)) return false;
  if (dist.kind === "int") return (internal - dist.low) % dist.step === 0;
  if (dist.step === null) return true;
  const k = (internal - dist.low) / dist.step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

/** A distribution with one possible value: it is returned without asking the sampler. */
export function isSingle(dist: Distribution): boolean {
  if (dist.kind === "categorical") return dist.choices.length === 1;
  if (dist.low === dist.high) return true;
  if (dist.kind === "int") return !dist.log && dist.high - dist.low < dist.step;
  return dist.step !== null && dist.high - dist.low < dist.step;
}

/** True and 1 are different choices here, unlike in Python, and NaN equals NaN (Optuna's _categorical_choice_equal). */
export function choiceEqual(a: ParamValue, b: ParamValue): boolean {
  if (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b)) return true;
  return a === b;
}

export function distributionsEqual(a: Distribution, b: Distribution): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "categorical" && b.kind === "categorical") return a.choices.length === b.choices.length && a.choices.every((c, i) => choiceEqual(c, b.choices[i]!));
  const x = a as FloatDistribution | IntDistribution;
  const y = b as FloatDistribution | IntDistribution;
  return x.low === y.low && x.high === y.high && x.log === y.log && x.step === y.step;
}

/** The distribution as the objective's author would write it: float(0.0001, 1, log). */
export function describeDistribution(dist: Distribution): string {
  if (dist.kind === "categorical") return `categorical(${dist.choices.map((c) => JSON.stringify(c)).join(", ")})`;
  const extra = [dist.log ? "log" : null, dist.kind === "float" && dist.step !== null ? `step ${dist.step}` : null, dist.kind === "int" && dist.step !== 1 ? `step ${dist.step}` : null].filter((s) => s !== null);
  return `${dist.kind}(${[String(dist.low), String(dist.high), ...extra].join(", ")})`;
}

/**
 * The JSON Optuna stores next to each parameter, byte for byte as Python's json.dumps writes it
 * (distribution_to_json): the attributes in the order Optuna's constructors set them, floats as Python
 * prints them.
 */
export function distributionToJson(dist: Distribution): string {
  if (dist.kind === "float") {
    const step = dist.step === null ? "null" : pythonFloat(dist.step);
    return `{"name": "FloatDistribution", "attributes": {"step": ${step}, "low": ${pythonFloat(dist.low)}, "high": ${pythonFloat(dist.high)}, "log": ${dist.log}}}`;
  }
  if (dist.kind === "int") {
    return `{"name": "IntDistribution", "attributes": {"log": ${dist.log}, "step": ${dist.step}, "low": ${dist.low}, "high": ${dist.high}}}`;
  }
  const choices = dist.choices.map((c) => (typeof c === "number" ? (Number.isInteger(c) ? String(c) : pythonFloat(c)) : JSON.stringify(c)));
  return `{"name": "CategoricalDistribution", "attributes": {"choices": [${choices.join(", ")}]}}`;
}

/**
 * Reads a stored distribution: Optuna's current classes, the ones it deprecated in 3.0 (Uniform,
 * LogUniform, DiscreteUniform, IntUniform, IntLogUniform, which older studies hold), and the
 * abbreviated {"type": "float", …} form. `where` names the file or study for the error.
 */
export function jsonToDistribution(json: string, where = "distribution JSON"): Distribution {
  let d: { name?: string; attributes?: Record<string, unknown>; type?: string } & Record<string, unknown>;
  try {
    d = JSON.parse(json);
  } catch {
    throw new OptionError({ where, what: "the distribution is not JSON", got: json.slice(0, 80) });
  }
  const a = (d.attributes ?? d) as Record<string, unknown>;
  const num = (k: string) => a[k] as number;
  const log = a["log"] === true;
  switch (d.name ?? d.type) {
    case "FloatDistribution":
    case "float":
      return float(num("low"), num("high"), { log, step: (a["step"] as number | null | undefined) ?? null });
    case "IntDistribution":
    case "int":
      return int(num("low"), num("high"), { log, step: (a["step"] as number | null | undefined) ?? 1 });
    case "CategoricalDistribution":
    case "categorical":
      return categorical(a["choices"] as CategoricalChoice[]);
    case "UniformDistribution":
      return float(num("low"), num("high"));
    case "LogUniformDistribution":
      return float(num("low"), num("high"), { log: true });
    case "DiscreteUniformDistribution":
      return float(num("low"), num("high"), { step: num("q") });
    case "IntUniformDistribution":
      return int(num("low"), num("high"), { step: (a["step"] as number | undefined) ?? 1 });
    case "IntLogUniformDistribution":
      return int(num("low"), num("high"), { log: true });
    default:
      throw new OptionError({ where, what: "unknown distribution class", expected: "FloatDistribution, IntDistribution or CategoricalDistribution", got: String(d.name ?? d.type) });
  }
}

/**
 * Optuna's rule for a parameter seen again in a study: the same kind, the same log scale, and for a
 * categorical the same choices; ranges may change (a narrower box in a later stage is fine).
 */
export function checkCompatible(name: string, studyName: string, before: Distribution, now: Distribution): void {
  const same = before.kind === now.kind && (before.kind === "categorical" ? distributionsEqual(before, now) : (before as FloatDistribution).log === (now as FloatDistribution).log);
  if (same) return;
  const why = before.kind !== now.kind ? "its kind" : before.kind === "categorical" ? "its choices" : "its log scale";
  throw new StudyError({
    where: `study "${studyName}"`,
    what: `parameter "${name}" contradicts the study's earlier trials: a study cannot change ${why}`,
    expected: describeDistribution(before),
    got: describeDistribution(now),
  });
}
