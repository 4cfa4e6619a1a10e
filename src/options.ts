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
/** Two decay rates (β₁, β₂), each in [0, 1): Adam's betas and its kin's. */
export const betaPair: Check = (v) =>
  Array.isArray(v) && v.length === 2 && v.every((b) => typeof b === "number" && b >= 0 && b < 1) ? null : "two numbers in [0, 1)";

/**
 * Validates an options object at an API boundary: rejects unknown keys (suggesting the
 * closest known one, which catches `weight_decay` pasted from PyTorch), runs each key's
 * check, and fills in defaults. Every options object in minima goes through here.
 * @example const o = checkOptions("SGD", given, { lr: 1e-3, momentum: 0 }, { lr: atLeast(0), momentum: atLeast(0) });
 */
export function checkOptions<T extends object>(where: string, given: Partial<T> | undefined,
  defaults: T, checks: { [K in keyof T]?: Check }): T {
  const out = { ...defaults } as T;
  for (const [key, value] of Object.entries(given ?? {})) {
    if (!(key in defaults)) {
      const hint = closest(key, Object.keys(defaults));
      throw new OptionError({ where, what: `unknown option "${key}"${hint ? ` — did you mean "${hint}"?` : ""}`, expected: `one of ${Object.keys(defaults).join(", ")}` });
    }
    if (value === undefined) continue;
    const check = checks[key as keyof T];
    const expected = check?.(value);
    if (expected) throw new OptionError({ where, what: `invalid ${key}`, expected, got: show(value) });
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
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
