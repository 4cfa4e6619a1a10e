import type { Tensor } from "../../tensor/tensor.js";
import { OptionError } from "../../errors.js";
import { closest } from "../../options.js";
import type { Surface } from "./surface.js";
import { cos } from "./trig.js";

const x = (p: Tensor) => p.select(0, 0);
const y = (p: Tensor) => p.select(0, 1);

// Plain objects, not surface(): that one tries f, and the core runs nothing at import.

/**
 * The test surfaces, by name: each `{ name, formula, f, start, minima, window }`, f taking a float64 [2] tensor.
 * valley and saddle are quadratics and carry their Hessian (the theory of gradient descent and heavy ball).
 */
export const surfaces = {
  /** The notes' ill-conditioned valley: κ = λmax/λmin = 2/(1/32) = 64. */
  valley: {
    name: "valley", formula: "x²/64 + y²", f: (p) => x(p).square().div(64).add(y(p).square()),
    start: [-8, 1], minima: [[0, 0]], window: { x: [-10, 10], y: [-2.5, 2.5] }, hessian: [[1 / 32, 0], [0, 2]],
  },
  /** A saddle point at the origin: downhill along y, unbounded below. */
  saddle: {
    name: "saddle", formula: "x² − y²", f: (p) => x(p).square().sub(y(p).square()),
    start: [-1.5, 0.05], minima: [], window: { x: [-2, 2], y: [-2, 2] }, hessian: [[2, 0], [0, -2]],
  },
  /** A flat (degenerate) saddle: gradient and Hessian both vanish at the origin, three valleys leave it. */
  monkeySaddle: {
    name: "monkeySaddle", formula: "x³ − 3xy²", f: (p) => x(p).pow(3).sub(x(p).mul(y(p).square()).mul(3)),
    start: [0.8, 0.3], minima: [], window: { x: [-1.5, 1.5], y: [-1.5, 1.5] },
  },
  /** Rosenbrock's curved valley, minimum 0 at (1, 1). */
  rosenbrock: {
    name: "rosenbrock", formula: "(1 − x)² + 100(y − x²)²", f: (p) => x(p).neg().add(1).square().add(y(p).sub(x(p).square()).square().mul(100)),
    start: [-1.2, 1], minima: [[1, 1]], window: { x: [-2, 2], y: [-1, 3] },
  },
  /** Distill's banana ("Why Momentum Really Works"), from its start (−1.21, 0.853); minimum 0 at (1, 1/3). */
  banana: {
    name: "banana", formula: "(1 − x)² + 20(3y − x²)²", f: (p) => x(p).neg().add(1).square().add(y(p).mul(3).sub(x(p).square()).square().mul(20)),
    start: [-1.21, 0.853], minima: [[1, 1 / 3]], window: { x: [-2, 2], y: [-0.5, 1.5] },
  },
  /** Beale's function: flat valleys and steep walls, minimum 0 at (3, 0.5). */
  beale: {
    name: "beale", formula: "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
    f: (p) => {
      const term = (c: number, k: number) => x(p).mul(y(p).pow(k)).sub(x(p)).add(c).square();
      return term(1.5, 1).add(term(2.25, 2)).add(term(2.625, 3));
    },
    start: [1, 1], minima: [[3, 0.5]], window: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
  },
  /** Himmelblau's function: four minima of value 0. */
  himmelblau: {
    name: "himmelblau", formula: "(x² + y − 11)² + (x + y² − 7)²",
    f: (p) => x(p).square().add(y(p)).sub(11).square().add(x(p).add(y(p).square()).sub(7).square()),
    start: [0, 0],
    minima: [[3, 2], [-2.805118086952745, 3.131312518250573], [-3.779310253377747, -3.283185991286170], [3.584428340330492, -1.848126526964404]],
    window: { x: [-5, 5], y: [-5, 5] },
  },
  /** Rastrigin's function: a bowl covered in local minima, the global one 0 at the origin. */
  rastrigin: {
    name: "rastrigin", formula: "20 + x² + y² − 10(cos 2πx + cos 2πy)",
    f: (p) => p.square().sub(cos(p.mul(2 * Math.PI)).mul(10)).sum().add(20),
    start: [-2.5, 3.2], minima: [[0, 0]], window: { x: [-5.12, 5.12], y: [-5.12, 5.12] },
  },
  /** A plateau: a Gaussian well in a plane where the gradient is nearly zero (e^(−r²/2)), minimum 0 at the origin. */
  plateau: {
    name: "plateau", formula: "1 − exp(−(x² + y²)/2)", f: (p) => p.square().sum().div(-2).exp().neg().add(1),
    start: [2.5, 2], minima: [[0, 0]], window: { x: [-4, 4], y: [-4, 4] },
  },
  /**
   * A cliff (the Deep Learning book's figure 8.3): a shallow bowl around (3, 0) below a wall 5 high and 1/30
   * wide at x = 0; a gradient step at the wall's edge is thrown far.
   */
  cliff: {
    name: "cliff", formula: "0.05(x − 3)² + y²/2 + 5σ(−30x)",
    f: (p) => x(p).sub(3).square().mul(0.05).add(y(p).square().div(2)).add(x(p).mul(-30).sigmoid().mul(5)),
    start: [-2, 1], minima: [[3, 0]], window: { x: [-3, 5], y: [-2, 2] },
  },
} satisfies Record<string, Surface>;

/** The names of the test surfaces. */
export type SurfaceName = keyof typeof surfaces;

/** The surface of that name among `known` (the test surfaces by default), or an error listing them with the closest name. */
export function pickSurface(name: string, known: Readonly<Record<string, Surface>> = surfaces, where = "landscape"): Surface {
  const names = Object.keys(known);
  const found = Object.hasOwn(known, name) ? known[name] : undefined;
  if (found) return found;
  const hint = closest(name, names);
  throw new OptionError({ where, what: `unknown surface "${name}"`, expected: `one of ${names.join(", ")}${hint ? `; did you mean "${hint}"?` : ""}` });
}
