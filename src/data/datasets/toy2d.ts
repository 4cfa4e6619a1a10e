import { OptionError } from "../../errors.js";
import { checkOptions, choice, option, optional, show, type OptionsOf } from "../../options.js";
import { allocate, type FloatDType } from "../../tensor/dtype.js";
import { Generator, defaultGenerator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";

/** The 2-D classification sets toy2d draws, by name (TensorFlow Playground's and scikit-learn's classics). */
export const TOY2D_DATASETS = ["spirals", "moons", "circles", "xor"] as const;
export type Toy2dName = (typeof TOY2D_DATASETS)[number];

const TOY2D_OPTIONS = {
  /** The standard deviation of the Gaussian noise added to each coordinate after the label is fixed (default 0). */
  noise: option(0, (v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? null : "a finite number ≥ 0")),
  /** The dtype of x (default "float32"); y is int32 class indices, as crossEntropy takes them. */
  dtype: choice<FloatDType[]>("float32", "float64"),
  /** The generator that draws the points and the noise (default: the global one, mn.manualSeed). */
  generator: optional<Generator>((v) => (v instanceof Generator ? null : "a Generator")),
};

/** The options of toy2d. */
export interface Toy2dOptions extends OptionsOf<typeof TOY2D_OPTIONS> {}

// The spirals' parameter range: one and a half turns, starting off the centre so the two arms do not meet there
// (tools/make_spirals_csv.mjs draws the same curves at even steps).
const T0 = 0.5, T1 = 0.5 + 3 * Math.PI;
/** The inner circle's radius (the outer one's is 1). */
const INNER = 0.5;

/**
 * The clean point of sample `label` at the uniform draws u, v ∈ [0, 1) (v is used by xor only), and for xor its label.
 * Every curve is a closed form a test can check a point against.
 */
function cleanPoint(name: Toy2dName, label: number, u: number, v: number): [x: number, y: number, label: number] {
  switch (name) {
    case "spirals": {
      // r = t / T1, θ = t + kπ: arm k is arm 0 turned by half a turn; r ∈ (0, 1].
      const t = T0 + (T1 - T0) * u, theta = t + label * Math.PI;
      return [(t / T1) * Math.cos(theta), (t / T1) * Math.sin(theta), label];
    }
    case "moons": {
      // scikit-learn's make_moons: the upper half circle (cos t, sin t), and the lower one (1 − cos t, 1/2 − sin t).
      const t = Math.PI * u;
      return label === 0 ? [Math.cos(t), Math.sin(t), 0] : [1 - Math.cos(t), 0.5 - Math.sin(t), 1];
    }
    case "circles": {
      // scikit-learn's make_circles with factor 1/2: class 0 on the unit circle, class 1 on the circle of radius 1/2.
      const t = 2 * Math.PI * u, r = label === 0 ? 1 : INNER;
      return [r * Math.cos(t), r * Math.sin(t), label];
    }
    case "xor": {
      // Uniform on the square [−1, 1]²: class 0 where x and y share a sign (quadrants I and III), class 1 elsewhere.
      const x = 2 * u - 1, y = 2 * v - 1;
      return [x, y, x * y >= 0 ? 0 : 1];
    }
  }
}

/**
 * A 2-D, two-class data set of n samples drawn from a closed form, for the playground and for tests:
 * - "spirals": two interleaved spirals, r = t/T1 and θ = t + kπ for class k, t uniform in [1/2, 1/2 + 3π] = [T0, T1];
 * - "moons": scikit-learn's two moons, (cos t, sin t) and (1 − cos t, 1/2 − sin t), t uniform in [0, π];
 * - "circles": two concentric circles, radius 1 (class 0) and 1/2 (class 1), the angle uniform;
 * - "xor": uniform on [−1, 1]², class 0 where x·y ≥ 0 and class 1 where x·y < 0.
 * Sample i has class i mod 2 (spirals, moons, circles: the classes alternate and differ in size by at most one).
 * Then Gaussian noise of standard deviation `noise` is added to each coordinate, so with noise the classes
 * overlap but no label changes. The draws come from `generator` in a fixed order (every sample's position first,
 * then every sample's noise), so the same seed gives the same set bit for bit, and the same seed with another noise
 * level gives the same clean points. x is [n, 2], y is [n] int32.
 * @example const { x, y } = mn.data.toy2d("spirals", 400, { noise: 0.05, generator: new mn.Generator(0) });
 */
export function toy2d(name: Toy2dName, n: number, options: Toy2dOptions = {}): { x: Tensor; y: Tensor } {
  if (!TOY2D_DATASETS.includes(name)) {
    throw new OptionError({ where: "toy2d", what: `unknown data set ${show(name)}`, expected: `one of ${TOY2D_DATASETS.join(", ")}` });
  }
  if (!Number.isInteger(n) || n < 1) throw new OptionError({ where: "toy2d", what: "invalid n", expected: "an integer ≥ 1", got: show(n) });
  const o = checkOptions("toy2d", options, TOY2D_OPTIONS);
  const g = o.generator ?? defaultGenerator;
  const xs = new Float64Array(2 * n), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const u = g.random(), v = name === "xor" ? g.random() : 0;
    const [px, py, label] = cleanPoint(name, i % 2, u, v);
    xs[2 * i] = px;
    xs[2 * i + 1] = py;
    labels[i] = label;
  }
  if (o.noise > 0) for (let j = 0; j < 2 * n; j++) xs[j]! += o.noise * g.normal();
  const x = allocate(o.dtype, 2 * n);
  x.set(xs);
  return { x: new Tensor(x, [n, 2]), y: new Tensor(labels, [n]) };
}
