import { OptionError } from "./errors.js";

/** A check returns null when the value is fine, else what was expected ("a number ≥ 0"). */
export type Check = (value: unknown) => string | null;

export const isNumber: Check = (v) => (typeof v === "number" && !Number.isNaN(v) ? null : "a number");
export const isBoolean: Check = (v) => (typeof v === "boolean" ? null : "true or false");
export const atLeast = (min: number): Check => (v) =>
  typeof v === "number" && v >= min ? null : `a number ≥ ${min}`;
export const above = (min: number): Check => (v) =>
  typeof v === "number" && v > min ? null : `a number > ${min}`;
export const inRange = (lo: number, hi: number): Check => (v) =>
  typeof v === "number" && v >= lo && v < hi ? null : `a number in [${lo}, ${hi})`;
export const positiveInt: Check = (v) => (Number.isInteger(v) && (v as number) > 0 ? null : "a positive integer");
export const nonNegativeInt: Check = (v) => (Number.isInteger(v) && (v as number) >= 0 ? null : "a non-negative integer");
export const oneOf = (...choices: readonly unknown[]): Check => (v) =>
  choices.includes(v) ? null : `one of ${choices.map((c) => JSON.stringify(c)).join(", ")}`;
export const anything: Check = () => null;
export const unitInterval: Check = (v) => (typeof v === "number" && v >= 0 && v <= 1 ? null : "a number in [0, 1]");
export const isFunction: Check = (v) => (typeof v === "function" ? null : "a function");
/** The check, or null. */
export const orNull = (check: Check): Check => (v) => (v === null ? null : check(v));
/** Two decay rates (β₁, β₂), each in [0, 1): Adam's betas and its kin's. */
export const betaPair: Check = (v) =>
  Array.isArray(v) && v.length === 2 && v.every((b) => typeof b === "number" && b >= 0 && b < 1) ? null : "two numbers in [0, 1)";

/**
 * One option of an owner (an optimizer, a schedule, a layer, fit…): its default, or none when the caller
 * must give it, and its check. An owner declares its options once, as a spec: a table of these whose
 * entries carry the options' doc comments (with the default in words); OptionsOf derives the public
 * options type from it, which keeps those comments for editors, and checkOptions validates against it.
 * @example
 * const STEP_LR = { stepSize: required<number>(positiveInt), gamma: option(0.1, atLeast(0)) }; // each with its doc comment
 * export interface StepLROptions extends OptionsOf<typeof STEP_LR> {}
 * const o = checkOptions("StepLR", given, STEP_LR); // { stepSize: number; gamma: number }
 */
export interface Option<T, R extends boolean = boolean> {
  readonly default: T;
  readonly check: Check;
  readonly required: R;
}

/** An option with a default value. */
export const option = <T>(value: T, check: Check = anything): Option<T, false> => ({ default: value, check, required: false });

/** An option without a default: undefined when not given. */
export const optional = <T>(check: Check = anything): Option<T | undefined, false> => option<T | undefined>(undefined, check);

/** An option the caller must give: checkOptions fails when it is missing. */
export const required = <T>(check: Check = anything): Option<T, true> => ({ default: undefined as T, check, required: true });

/** One of a few values, the first of them by default. */
export const choice = <const C extends readonly unknown[]>(...choices: C): Option<C[number], false> => option(choices[0], oneOf(...choices));

/** An owner's options by name, in the order messages list them. */
export type OptionSpec = Record<string, Option<unknown>>;

type ValueOf<O> = O extends Option<infer T> ? T : never;
type IsRequired<O> = O extends Option<unknown, true> ? true : false;

/**
 * The options object a caller gives, from a spec: required options required, the others optional. A
 * homomorphic mapped type, so editors show each entry's doc comment on the option.
 */
export type OptionsOf<S extends OptionSpec> =
  { [K in keyof S as IsRequired<S[K]> extends true ? K : never]: ValueOf<S[K]> } &
  { [K in keyof S as IsRequired<S[K]> extends true ? never : K]?: Exclude<ValueOf<S[K]>, undefined> };

/** The options after checkOptions: every one of them set. */
export type Resolved<S extends OptionSpec> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** The spec with other defaults (a param group's, which start from its optimizer's options). */
export function withDefaults<S extends OptionSpec>(spec: S, values: { readonly [K in keyof S]?: unknown }): S {
  const out: OptionSpec = {};
  for (const [key, o] of Object.entries(spec)) out[key] = key in values ? { ...o, default: (values as Record<string, unknown>)[key], required: false } : o;
  return out as S;
}

/**
 * Validates an options object at an API boundary against its owner's spec: rejects unknown keys
 * (suggesting the closest known one, which catches `weight_decay` pasted from PyTorch), runs each
 * given key's check, fails on a missing required option ("StepLR: missing option stepSize;
 * expected a positive integer"), and fills in the defaults. A key given as undefined counts as not
 * given. Every options object in minima goes through here.
 * @example const o = checkOptions("SGD", given, { lr: option(1e-3, atLeast(0)), momentum: option(0, atLeast(0)) });
 */
export function checkOptions<S extends OptionSpec>(where: string, given: object | undefined, spec: S): Resolved<S> {
  const out: Record<string, unknown> = {};
  for (const [key, o] of Object.entries(spec)) if (!o.required) out[key] = o.default;
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!Object.hasOwn(spec, key)) {
      const hint = closest(key, Object.keys(spec));
      throw new OptionError({ where, what: `unknown option "${key}"${hint ? ` — did you mean "${hint}"?` : ""}`, expected: `one of ${Object.keys(spec).join(", ")}` });
    }
    if (value === undefined) continue;
    const expected = spec[key]!.check(value);
    if (expected) throw new OptionError({ where, what: `invalid ${key}`, expected, got: show(value) });
    out[key] = value;
  }
  for (const [key, o] of Object.entries(spec)) {
    if (o.required && out[key] === undefined) {
      const expected = o.check(undefined);
      throw new OptionError({ where, what: `missing option ${key}`, ...(expected ? { expected } : {}) });
    }
  }
  return out as Resolved<S>;
}

/** Formats a bad value for an error message. */
export function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/** The known name nearest to `name`, ignoring case and underscores, if any is close. */
export function closest(name: string, known: readonly string[]): string | null {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
  const exact = known.find((k) => norm(k) === norm(name));
  if (exact) return exact;
  let best: string | null = null;
  let bestDist = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(norm(name), norm(k));
    if (d < bestDist) { best = k; bestDist = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
