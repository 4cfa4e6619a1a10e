import { OptionError, landscape } from "../../../src/index.js";
import { RACE_OPTIMIZERS, optimizerSpec, type RaceOptimizerSpec } from "./optimizers.js";

type Point = [number, number];

/** One optimizer in the race and its sliders' values (by HyperparameterSpec key). */
export interface RacerSettings {
  name: string;
  values: Record<string, number>;
}

/** Everything the race's result depends on: the page writes it into the URL and sends it to the worker. */
export interface RaceSettings {
  surface: string;
  start: Point;
  steps: number;
  /** Steps to tolerance count up to the first f − f* ≤ tolerance. */
  tolerance: number;
  racers: RacerSettings[];
}

export const MAX_STEPS = 5000;

// Learning rates that make a race worth watching on each surface (a grid search of 200 steps, rounded): curvature
// sets gradient descent's (the valley's λmax is 2, Rosenbrock's walls reach 10³), the window's size the adaptive ones'.
const SURFACE_LRS: Record<string, { sgd: number; adaptive: number }> = {
  valley: { sgd: 0.5, adaptive: 0.1 }, saddle: { sgd: 0.05, adaptive: 0.05 }, monkeySaddle: { sgd: 0.01, adaptive: 0.01 },
  rosenbrock: { sgd: 0.001, adaptive: 0.1 }, banana: { sgd: 0.003, adaptive: 0.1 }, beale: { sgd: 0.01, adaptive: 0.1 },
  himmelblau: { sgd: 0.01, adaptive: 0.1 }, rastrigin: { sgd: 0.001, adaptive: 0.1 }, plateau: { sgd: 0.3, adaptive: 0.1 },
  cliff: { sgd: 0.1, adaptive: 0.1 },
};

/** An optimizer's learning rate before the user moves its slider, on this surface. */
export function defaultLr(spec: RaceOptimizerSpec, surface: string): number {
  if (spec.family === "adadelta") return 1;
  const lrs = SURFACE_LRS[surface] ?? { sgd: 0.01, adaptive: 0.01 };
  return spec.family === "sgd" ? lrs.sgd : lrs.adaptive;
}

export function defaultRacer(spec: RaceOptimizerSpec, surface: string): RacerSettings {
  return { name: spec.name, values: { ...spec.defaults, lr: defaultLr(spec, surface) } };
}

export function defaultSettings(surface = "valley"): RaceSettings {
  const s = landscape.pickSurface(surface, landscape.surfaces, "race");
  return {
    surface, start: [s.start[0], s.start[1]], steps: 200, tolerance: 1e-6,
    racers: ["sgd", "momentum", "adam"].map((name) => defaultRacer(optimizerSpec(name)!, surface)),
  };
}

/** What a hyperparameter accepts: the check and its words for the error. */
const ACCEPTS: Record<string, { ok: (v: number) => boolean; expected: string }> = {
  lr: { ok: (v) => v >= 0, expected: "a number ≥ 0" },
  momentum: { ok: (v) => v >= 0 && v < 1, expected: "a number in [0, 1)" },
  alpha: { ok: (v) => v >= 0 && v < 1, expected: "a number in [0, 1)" },
  rho: { ok: (v) => v >= 0 && v < 1, expected: "a number in [0, 1)" },
  beta1: { ok: (v) => v >= 0 && v < 1, expected: "a number in [0, 1)" },
  beta2: { ok: (v) => v >= 0 && v < 1, expected: "a number in [0, 1)" },
  eps: { ok: (v) => v > 0, expected: "a number > 0" },
  weightDecay: { ok: (v) => v >= 0, expected: "a number ≥ 0" },
};

/** A hyperparameter's value typed by the user, or the reason it is refused (the message names the value and what it must be). */
export function checkValue(optimizer: string, key: string, text: string): number | string {
  const v = plainNumber(text), accepts = ACCEPTS[key]!;
  if (v === null || !accepts.ok(v)) return new OptionError({ where: "race", what: `${optimizer} ${key} is "${text}"`, expected: accepts.expected }).message;
  return v;
}

// A plain decimal number: Number("") is 0 and Number("0x10") is 16, neither of which a user means.
function plainNumber(text: string): number | null {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && Number.isFinite(Number(t)) ? Number(t) : null;
}

/**
 * The race the URL's settings describe ("#/lab/race?surface=valley&racers=sgd,adam&adam.lr=0.1&start=-8,1&steps=200&tol=1e-6"),
 * each missing setting at its default; a setting that is malformed or does nothing is reported (and its default used).
 */
export function readSettings(query: URLSearchParams): { settings: RaceSettings; problems: string[] } {
  const problems: string[] = [];
  const refuse = (what: string, expected?: string) => problems.push(new OptionError({ where: "race settings in the URL", what, ...(expected ? { expected } : {}) }).message);
  let surface = query.get("surface") ?? "valley";
  try {
    landscape.pickSurface(surface, landscape.surfaces, "race settings in the URL");
  } catch (e) {
    problems.push((e as Error).message);
    surface = "valley";
  }
  const settings = defaultSettings(surface);
  const names = query.get("racers");
  if (names !== null) {
    const listed = names === "" ? [] : names.split(",");
    const unknown = listed.filter((n) => !optimizerSpec(n));
    if (unknown.length > 0) refuse(`racers names ${unknown.map((n) => `"${n}"`).join(", ")}`, `names from ${RACE_OPTIMIZERS.map((o) => o.name).join(", ")}`);
    const twice = listed.find((n, i) => listed.indexOf(n) !== i);
    if (twice !== undefined) refuse(`racers names ${twice} twice`, "each optimizer once");
    settings.racers = RACE_OPTIMIZERS.filter((o) => listed.includes(o.name)).map((o) => defaultRacer(o, surface));
  }
  const start = query.get("start");
  if (start !== null) {
    const parts = start.split(",").map(plainNumber);
    if (parts.length === 2 && parts[0] !== null && parts[1] !== null) settings.start = [parts[0], parts[1]];
    else refuse(`start is "${start}"`, "two numbers x,y like -8,1");
  }
  const steps = query.get("steps");
  if (steps !== null) {
    const n = plainNumber(steps);
    if (n !== null && Number.isInteger(n) && n >= 1 && n <= MAX_STEPS) settings.steps = n;
    else refuse(`steps is "${steps}"`, `an integer from 1 to ${MAX_STEPS}`);
  }
  const tol = query.get("tol");
  if (tol !== null) {
    const t = plainNumber(tol);
    if (t !== null && t > 0) settings.tolerance = t;
    else refuse(`tol is "${tol}"`, "a number > 0");
  }
  for (const [key, text] of query) {
    const dot = key.indexOf(".");
    if (dot < 0) {
      if (!["surface", "racers", "start", "steps", "tol"].includes(key)) refuse(`"${key}" is not a setting of the race`, "surface, racers, start, steps, tol or <optimizer>.<hyperparameter>");
      continue;
    }
    const name = key.slice(0, dot), param = key.slice(dot + 1);
    const racer = settings.racers.find((r) => r.name === name), spec = optimizerSpec(name);
    if (!racer || !spec) {
      if (spec) refuse(`${key}=${text} does nothing: ${name} is not in racers`, `${name} added to racers, or ${key} left out`);
      else refuse(`"${key}" names no optimizer`, `<optimizer>.<hyperparameter> with an optimizer from ${RACE_OPTIMIZERS.map((o) => o.name).join(", ")}`);
      continue;
    }
    if (!spec.params.some((p) => p.key === param)) {
      refuse(`${name} has no hyperparameter "${param}"`, spec.params.map((p) => p.key).join(", "));
      continue;
    }
    const v = checkValue(name, param, text);
    if (typeof v === "number") racer.values[param] = v;
    else refuse(`${key} is "${text}"`, ACCEPTS[param]!.expected);
  }
  return { settings, problems };
}

/** The settings as the URL's query: every number written as JavaScript prints it, which reads back to the same double. */
export function settingsQuery(s: RaceSettings): Record<string, string> {
  const query: Record<string, string> = {
    surface: s.surface, racers: s.racers.map((r) => r.name).join(","), start: `${s.start[0]},${s.start[1]}`, steps: String(s.steps), tol: String(s.tolerance),
  };
  for (const r of s.racers) for (const p of optimizerSpec(r.name)!.params) query[`${r.name}.${p.key}`] = String(r.values[p.key]);
  return query;
}
