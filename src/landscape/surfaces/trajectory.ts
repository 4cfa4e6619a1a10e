import { OptionError } from "../../errors.js";
import { tensor } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";
import { valueAt, type Point, type Surface } from "./surface.js";

/** The points an optimizer visited, from the start: x[k], y[k] and f[k] after k steps. */
export interface Trajectory {
  x: number[];
  y: number[];
  f: number[];
  /** The step whose point was not finite (where the run stopped), or null. */
  divergedAt: number | null;
}

/** What a trajectory needs of an optimizer: any of minima's (mn.optim.SGD, Adam, …) fits. */
export interface Stepper {
  zeroGrad(): void;
  step(): unknown;
}

export interface TrajectoryOptions {
  steps: number;
  /** Default: the surface's start. */
  start?: Point;
}

/**
 * Runs an optimizer over a surface: the parameter is one float64 tensor of shape [2], and each step is
 * zeroGrad, f(p).backward(), optimizer.step(), as in a training loop. Stops at the first point that is not
 * finite (a diverging run), which is kept.
 * @example const path = mn.landscape.trajectory(mn.landscape.surfaces.valley, (params) => new mn.optim.SGD(params, { lr: 0.5 }), { steps: 100 });
 */
export function trajectory(s: Surface, makeOptimizer: (params: Tensor[]) => Stepper, options: TrajectoryOptions): Trajectory {
  const { steps, start = s.start } = options;
  if (!(Number.isInteger(steps) && steps >= 0)) throw new OptionError({ where: "trajectory", what: `steps is ${steps}`, expected: "an integer ≥ 0" });
  if (!(start.length === 2 && start.every(Number.isFinite))) throw new OptionError({ where: "trajectory", what: `start is [${start.join(", ")}]`, expected: "a point [x, y] of finite numbers" });
  const p = tensor([...start], { dtype: "float64", requiresGrad: true });
  const optimizer = makeOptimizer([p]);
  const out: Trajectory = { x: [start[0]], y: [start[1]], f: [], divergedAt: null };
  for (let k = 1; k <= steps; k++) {
    optimizer.zeroGrad();
    const loss = s.f(p);
    out.f.push(loss.item());
    loss.backward();
    optimizer.step();
    const [px, py] = [p.data[0]!, p.data[1]!];
    out.x.push(px);
    out.y.push(py);
    if (!(Number.isFinite(px) && Number.isFinite(py))) {
      out.divergedAt = k;
      break;
    }
  }
  out.f.push(valueAt(s, [out.x.at(-1)!, out.y.at(-1)!]));
  return out;
}

/** The first step k at which f[k] is within `tolerance` of the surface's lowest minimum, or null (never, or no minimum). */
export function stepsToTolerance(s: Surface, path: Trajectory, tolerance: number): number | null {
  if (s.minima.length === 0) return null;
  const best = Math.min(...s.minima.map((m) => valueAt(s, m)));
  const k = path.f.findIndex((v) => v - best <= tolerance);
  return k < 0 ? null : k;
}
