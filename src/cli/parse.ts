import { InvalidArgumentError } from "commander";
import { didYouMean } from "./choice-hints.js";

import { plainNumber } from "../plain-number.js";

/**
 * Commander argument parsers: each rejects a bad value with a message saying what was expected.
 * Numbers are written as people write them on a command line (plainNumber: decimal or scientific notation).
 */
const DIGITS = /^[+-]?\d+$/;

export { plainNumber };

export function number(min = -Infinity, { inclusive = true } = {}): (v: string) => number {
  return (v) => {
    const x = plainNumber(v);
    // Finite: 1e999 is written in plain notation but reads as Infinity.
    if (x === null || !Number.isFinite(x) || (inclusive ? x < min : x <= min)) {
      const how = x === null ? ", in decimal or scientific notation (like 0.01 or 1e-2)" : Number.isFinite(x) ? "" : ` (${v} is beyond a double's range)`;
      throw new InvalidArgumentError(`expected a number ${inclusive ? "≥" : ">"} ${min}${how}.`);
    }
    return x;
  };
}

/**
 * An integer from `min` to `max`, in digits. The default bound is the largest integer a double
 * holds exactly (Number.MAX_SAFE_INTEGER): beyond it, 99999999999999999999 would silently become
 * 100000000000000000000.
 */
export function integer(min = 0, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (max !== Number.MAX_SAFE_INTEGER && (!DIGITS.test(v) || x < min || x > max)) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    if (!DIGITS.test(v) || x < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}.`);
    if (x > max) throw new InvalidArgumentError(`expected an integer ≤ ${max} (the largest a double holds exactly).`);
    return x;
  };
}

/** The largest --seed: a 32-bit seed, as NumPy takes (Generator takes any safe integer, but fit derives seed·2 + 2 from it). */
export const MAX_SEED = 2 ** 32 - 1;

export function fraction(v: string): number {
  const x = plainNumber(v);
  if (x === null || x < 0 || x >= 1) throw new InvalidArgumentError("expected a number in [0, 1).");
  return x;
}

/** "256,256" → [256, 256]; "" or "none" → [] (no hidden layer). */
export function intList(v: string): number[] {
  if (v === "" || v === "none") return [];
  const parts = v.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) <= 0)) {
    throw new InvalidArgumentError("expected positive integers separated by commas, like 256,256.");
  }
  const big = parts.find((p) => Number(p) > Number.MAX_SAFE_INTEGER);
  if (big !== undefined) throw new InvalidArgumentError(`expected integers ≤ ${Number.MAX_SAFE_INTEGER} (the largest a double holds exactly), got ${big}.`);
  return parts.map(Number);
}

/** "0.9,0.999" → [0.9, 0.999], each in [0, 1). */
export function betas(v: string): [number, number] {
  const parts = v.split(",").map((s) => plainNumber(s.trim()));
  if (parts.length !== 2 || parts.some((b) => b === null || b < 0 || b >= 1)) {
    throw new InvalidArgumentError("expected two numbers in [0, 1) separated by a comma, like 0.9,0.999.");
  }
  return [parts[0]!, parts[1]!];
}

/** "adam,sgd" → ["adam", "sgd"], each one of `known`. */
export function nameList(known: readonly string[]): (v: string) => string[] {
  return (v) => {
    const names = v.split(",").map((s) => s.trim()).filter(Boolean);
    const bad = names.filter((n) => !known.includes(n));
    if (names.length === 0 || bad.length) throw new InvalidArgumentError(`unknown ${bad.map((b) => `"${b}"`).join(", ") || "(empty list)"}; expected names from ${known.join(", ")}${didYouMean(bad, known) || "."}`);
    return names;
  };
}

/**
 * A path flag's parser: refuses an empty value, which a shell variable that was never set
 * gives (`--resume "$RUN"`), and which would otherwise fall back to the flag's default.
 */
export function path(what: string): (v: string) => string {
  return (v) => {
    if (v.trim() === "") throw new InvalidArgumentError(`expected ${what}, got an empty path.`);
    return v;
  };
}

/** A variadic path argument's parser (commander passes each value with the list so far). */
export function pathList(what: string): (v: string, previous: string[] | undefined) => string[] {
  return (v, previous) => [...(previous ?? []), path(what)(v)];
}

/** "1e-3,5e-4" → [0.001, 0.0005]: numbers > 0, comma-separated; `example` shows the form in the error. */
export function positiveList(example: string): (v: string) => number[] {
  return (v) => {
    const values = v.split(",").map((s) => plainNumber(s.trim()));
    if (values.some((x) => x === null || !(x > 0) || !Number.isFinite(x))) {
      throw new InvalidArgumentError(`expected numbers > 0 separated by commas, like ${example}.`);
    }
    return values as number[];
  };
}
