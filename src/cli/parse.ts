import { InvalidArgumentError } from "commander";
import { didYouMean } from "./choice-hints.js";

/** Commander argument parsers: each rejects a bad value with a message saying what was expected. */

export function number(min = -Infinity, { inclusive = true } = {}): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x) || (inclusive ? x < min : x <= min)) {
      throw new InvalidArgumentError(`expected a number ${inclusive ? "≥" : ">"} ${min}.`);
    }
    return x;
  };
}

export function integer(min = 0): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || x < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}.`);
    return x;
  };
}

export function fraction(v: string): number {
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0 || x >= 1) throw new InvalidArgumentError("expected a number in [0, 1).");
  return x;
}

/** "256,256" → [256, 256]; "" or "none" → [] (no hidden layer). */
export function intList(v: string): number[] {
  if (v === "" || v === "none") return [];
  const parts = v.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) <= 0)) {
    throw new InvalidArgumentError("expected positive integers separated by commas, like 256,256.");
  }
  return parts.map(Number);
}

/** "0.9,0.999" → [0.9, 0.999], each in [0, 1). */
export function betas(v: string): [number, number] {
  const parts = v.split(",").map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((b) => !Number.isFinite(b) || b < 0 || b >= 1)) {
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
