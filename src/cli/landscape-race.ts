import { eigenvalues2, gdRate, heavyBallRate, measuredRate, quadraticTheory, type QuadraticTheory } from "../landscape/surfaces/quadratic-theory.js";
import type { Point, Surface } from "../landscape/surfaces/surface.js";
import { stepsToTolerance, trajectory, type Trajectory } from "../landscape/surfaces/trajectory.js";
import { lrsFor, type LrFlag } from "./optimizer-lrs.js";
import { makeOptimizer, type OptimizerFlags } from "./optimizers.js";

export interface RaceFlags extends Omit<OptimizerFlags, "lr"> {
  optimizers: string[];
  lr?: LrFlag | undefined;
  steps: number;
  start?: [number, number] | undefined;
  tolerance: number;
}

export interface RaceRun {
  name: string;
  lr: number;
  path: Trajectory;
  /** The first step with f − f* ≤ tolerance (null: never, or no minimum). */
  stepsToTolerance: number | null;
  /** The rate measured over the second half, towards the minimum nearest the end (null: no minimum). */
  measuredRate: number | null;
  /** The rate theory gives this run on a positive-definite quadratic: gradient descent or heavy ball only (null otherwise). */
  theoryRate: number | null;
}

export interface Race {
  surface: Surface;
  start: Point;
  steps: number;
  tolerance: number;
  runs: RaceRun[];
  /** A quadratic's eigenvalues, largest first (null: not a quadratic). */
  eigenvalues: [number, number] | null;
  theory: QuadraticTheory | null;
}

/** Every optimizer of --optimizers over the surface from the same start, each at its lr. */
export function runRace(surface: Surface, flags: RaceFlags): Race {
  const start = flags.start ?? surface.start;
  const lrs = lrsFor(flags.optimizers, flags.lr);
  const eigenvalues = surface.hessian ? eigenvalues2(surface.hessian) : null;
  const theory = surface.hessian ? quadraticTheory(surface.hessian) : null;
  const runs = flags.optimizers.map((name): RaceRun => {
    const lr = lrs[name]!;
    const path = trajectory(surface, (params) => makeOptimizer(name, params, { ...flags, lr }), { steps: flags.steps, start });
    const end: Point = [path.x.at(-1)!, path.y.at(-1)!];
    const nearest = surface.minima.reduce<Point | null>((best, m) => (best === null || distance(m, end) < distance(best, end) ? m : best), null);
    return {
      name, lr, path,
      stepsToTolerance: stepsToTolerance(surface, path, flags.tolerance),
      measuredRate: nearest ? measuredRate(path.x, path.y, nearest) : null,
      theoryRate: theory && eigenvalues ? rateInTheory(name, lr, flags, eigenvalues) : null,
    };
  });
  return { surface, start, steps: flags.steps, tolerance: flags.tolerance, runs, eigenvalues, theory };
}

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Plain gradient descent and heavy ball (SGD with momentum, without Nesterov or weight decay) have a closed-form rate. */
function rateInTheory(name: string, lr: number, flags: RaceFlags, eigenvalues: readonly number[]): number | null {
  if (flags.weightDecay) return null;
  const momentum = name === "sgd" ? flags.momentum ?? 0 : name === "momentum" ? flags.momentum || 0.9 : null;
  if (momentum === null || (name === "sgd" && flags.nesterov)) return null;
  return momentum === 0 ? gdRate(eigenvalues, lr) : heavyBallRate(eigenvalues, lr, momentum);
}

const num = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

/** The Markdown table: each optimizer's lr, steps to tolerance, end point and value, and rates where they apply. */
export function raceTable(race: Race): string {
  const withRates = race.runs.some((r) => r.measuredRate !== null);
  const head = ["optimizer", "lr", `steps to f − f* ≤ ${race.tolerance}`, "end (x, y)", "f at the end", ...(withRates ? ["rate (measured)"] : []), ...(race.theory ? ["rate (theory)"] : [])];
  const rows = race.runs.map((r) => {
    const end = `(${num(r.path.x.at(-1)!)}, ${num(r.path.y.at(-1)!)})`;
    const reached = r.stepsToTolerance !== null ? String(r.stepsToTolerance) : r.path.divergedAt !== null ? `diverged at step ${r.path.divergedAt}` : race.surface.minima.length === 0 ? "no minimum" : `not in ${race.steps}`;
    return [r.name, String(r.lr), reached, end, num(r.path.f.at(-1)!),
      ...(withRates ? [r.measuredRate === null ? "-" : num(r.measuredRate)] : []),
      ...(race.theory ? [r.theoryRate === null ? "-" : num(r.theoryRate)] : [])];
  });
  return [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** For a quadratic: what theory says about gradient descent and heavy ball on it (nothing for other surfaces). */
export function theoryLines(race: Race): string[] {
  const { eigenvalues, theory, surface } = race;
  if (!eigenvalues) return [];
  if (!theory) {
    return [`${surface.name} is a quadratic with Hessian eigenvalues ${num(eigenvalues[0])} and ${num(eigenvalues[1])}: not positive definite, so it has no minimum ` +
      `to converge to (unbounded below along the eigenvector of ${num(eigenvalues[1])}).`];
  }
  return [
    `${surface.name} is a quadratic: λmax ${num(theory.lambdaMax)}, λmin ${num(theory.lambdaMin)}, κ = λmax/λmin = ${num(theory.kappa)}.`,
    `gradient descent converges iff lr < 2/λmax = ${num(theory.gdMaxLr)}; its best rate (κ−1)/(κ+1) = ${num(theory.gdBestRate)} at lr 2/(λmax+λmin) = ${num(theory.gdBestLr)}.`,
    `heavy ball (--optimizers momentum): best at lr α* = (2/(√λmax+√λmin))² = ${num(theory.heavyBallLr)} and --momentum β* = ((√κ−1)/(√κ+1))² = ${num(theory.heavyBallMomentum)}, ` +
      `rate (√κ−1)/(√κ+1) = ${num(theory.heavyBallRate)}.`,
    "A rate is the factor by which the distance to the minimum shrinks per step; measured over the second half of each run.",
  ];
}

/** Everything a race computed, every point of every trajectory included, for --json. */
export function raceJson(race: Race, files: { svg: string; png: string }): object {
  const { surface } = race;
  return {
    surface: { name: surface.name, formula: surface.formula, minima: surface.minima, ...(surface.hessian ? { hessian: surface.hessian } : {}) },
    start: race.start, steps: race.steps, tolerance: race.tolerance,
    theory: race.theory ?? (race.eigenvalues ? { eigenvalues: race.eigenvalues } : null),
    runs: race.runs.map((r) => ({
      optimizer: r.name, lr: r.lr, stepsToTolerance: r.stepsToTolerance, divergedAt: r.path.divergedAt,
      measuredRate: finiteOrNull(r.measuredRate), theoryRate: r.theoryRate,
      // JSON has no Infinity or NaN: a diverged point is written as null.
      x: r.path.x.map(finiteOrNull), y: r.path.y.map(finiteOrNull), f: r.path.f.map(finiteOrNull),
    })),
    files,
  };
}

const finiteOrNull = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
