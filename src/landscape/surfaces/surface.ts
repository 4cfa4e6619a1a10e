import { OptionError } from "../../errors.js";
import { noGrad } from "../../autograd/no-grad.js";
import { tensor } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";

/** A point of the plane, [x, y]. */
export type Point = readonly [number, number];

/** A function of two variables to watch optimizers on. */
export interface Surface {
  name: string;
  /** Its formula, for titles and tables. */
  formula: string;
  /** f(p) for p a float64 tensor of shape [2]: a scalar, differentiable (twice, for its Hessian) by minima's autograd. */
  f: (p: Tensor) => Tensor;
  /** Where trajectories start by default. */
  start: Point;
  /** Its global minima ([] for a surface unbounded below, as a saddle). */
  minima: readonly Point[];
  /** The region a plot shows by default. */
  window: { x: Point; y: Point };
  /** A quadratic's constant Hessian [[fxx, fxy], [fxy, fyy]]: its eigenvalues give the theory of gradient descent and heavy ball. */
  hessian?: readonly [Point, Point];
}

/** What a user gives to make a surface of their own: a name, f and a start; the rest is optional. */
export interface SurfaceSpec {
  name: string;
  f: (p: Tensor) => Tensor;
  start: Point;
  formula?: string;
  minima?: readonly Point[];
  /** Default: the box around the start and the minima, widened by half its size (at least ±1). */
  window?: { x: Point; y: Point };
  hessian?: readonly [Point, Point];
}

/**
 * A surface from any function of a float64 [2] tensor that returns a differentiable scalar; its start and
 * minima are checked to be finite points, and f is tried once at the start.
 * @example const bowl = mn.landscape.surface({ name: "bowl", f: (p) => p.square().sum(), start: [1, 1], minima: [[0, 0]] });
 */
export function surface(spec: SurfaceSpec): Surface {
  const where = `surface "${spec.name}"`;
  const checkPoint = (what: string, p: Point) => {
    if (!(Array.isArray(p) && p.length === 2 && p.every(Number.isFinite))) throw new OptionError({ where, what: `${what} is ${Array.isArray(p) ? `[${p.join(", ")}]` : String(p)}`, expected: "a point [x, y] of finite numbers" });
  };
  checkPoint("start", spec.start);
  const minima = spec.minima ?? [];
  minima.forEach((m, i) => checkPoint(`minima[${i}]`, m));
  const value = noGrad(() => spec.f(tensor([...spec.start], { dtype: "float64" })));
  if (value.numel() !== 1) throw new OptionError({ where, what: `f returns a tensor of shape [${value.shape.join(",")}] at the start`, expected: "a scalar" });
  const box = [spec.start, ...minima];
  const around = (k: 0 | 1): Point => {
    const lo = Math.min(...box.map((p) => p[k])), hi = Math.max(...box.map((p) => p[k]));
    const pad = Math.max(1, (hi - lo) / 2);
    return [lo - pad, hi + pad];
  };
  return {
    name: spec.name, formula: spec.formula ?? spec.name, f: spec.f, start: spec.start, minima,
    window: spec.window ?? { x: around(0), y: around(1) },
    ...(spec.hessian ? { hessian: spec.hessian } : {}),
  };
}

/** f at a point, as a number. */
export function valueAt(s: Surface, p: Point): number {
  return noGrad(() => s.f(tensor([...p], { dtype: "float64" })).item());
}
