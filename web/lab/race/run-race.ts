import { getBackend, landscape } from "../../../src/index.js";
import { makeOptimizer } from "./make-optimizer.js";
import type { RaceResult, RacerResult, TheoryResult } from "./protocol.js";
import type { RaceSettings, RacerSettings } from "./settings.js";

type Point = readonly [number, number];

/**
 * Every racer's trajectory with minima's optimizers (mn.landscape.trajectory), its steps to tolerance and its rates.
 * `previous` holds the last race's racers by their settings: a racer whose settings did not change is not run again
 * (a slider moves one racer at a time), and the returned map replaces it.
 */
export function runRace(settings: RaceSettings, previous: ReadonlyMap<string, RacerResult> = new Map()): { result: RaceResult; racers: Map<string, RacerResult> } {
  const t0 = performance.now();
  const surface = landscape.pickSurface(settings.surface, landscape.surfaces, "race");
  const best = surface.minima.length === 0 ? null : Math.min(...surface.minima.map((m) => landscape.valueAt(surface, m)));
  const eigenvalues = surface.hessian ? landscape.eigenvalues2(surface.hessian) : null;
  const theory: TheoryResult | null = eigenvalues && surface.hessian ? { eigenvalues, theory: landscape.quadraticTheory(surface.hessian) } : null;
  const seen = new Map<string, RacerResult>();
  const racers = settings.racers.map((racer): RacerResult => {
    const key = JSON.stringify([settings.surface, settings.start, settings.steps, settings.tolerance, racer.name, racer.values]);
    const result = previous.get(key) ?? runRacer(racer);
    seen.set(key, result);
    return result;
  });
  return { result: { settings, best, racers, theory, ms: performance.now() - t0, backend: getBackend() }, racers: seen };

  function runRacer(racer: RacerSettings): RacerResult {
    let path: landscape.Trajectory;
    try {
      path = landscape.trajectory(surface, (params) => makeOptimizer(racer, params), { steps: settings.steps, start: settings.start });
    } catch (e) {
      return { name: racer.name, x: [], y: [], f: [], divergedAt: null, stepsToTolerance: null, measuredRate: null, theoryRate: null, error: (e as Error).message };
    }
    const end: Point = [path.x.at(-1)!, path.y.at(-1)!];
    const nearest = surface.minima.reduce<Point | null>((b, m) => (b === null || distance(m, end) < distance(b, end) ? m : b), null);
    return {
      name: racer.name, x: path.x, y: path.y, f: path.f, divergedAt: path.divergedAt,
      stepsToTolerance: landscape.stepsToTolerance(surface, path, settings.tolerance),
      measuredRate: nearest ? landscape.measuredRate(path.x, path.y, nearest) : null,
      theoryRate: theory?.theory && eigenvalues ? rateInTheory(racer, eigenvalues) : null, error: null,
    };
  }
}

const distance = (a: Point, b: Point) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Gradient descent (SGD) and heavy ball (SGD with momentum, not Nesterov's) have a closed-form rate on a quadratic. */
function rateInTheory(racer: RacerSettings, eigenvalues: readonly number[]): number | null {
  const lr = racer.values["lr"]!;
  if (racer.name === "sgd") return landscape.gdRate(eigenvalues, lr);
  if (racer.name === "momentum") return landscape.heavyBallRate(eigenvalues, lr, racer.values["momentum"]!);
  return null;
}
