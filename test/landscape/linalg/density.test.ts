import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";
import { withSpectrum } from "./matrices.js";

// 5 negative eigenvalues, 6 zeros, 9 positive: the true negative fraction is 5/20.
const SPECTRUM = [-2, -1, -0.5, -0.3, -0.1, 0, 0, 0, 0, 0, 0, 0.2, 0.4, 0.7, 1, 1.5, 2, 3, 4, 6];

test("lanczosQuadrature: Σ wᵢθᵢᵖ equals vᵀAᵖv (power iteration of the matrix, the definition) for p < 2·steps, and the weights sum to 1", () => {
  const { matrix, n } = withSpectrum(SPECTRUM);
  const op = mn.landscape.denseOperator(matrix, n);
  const v = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * i + 1));
  const vv = v.reduce((s, x) => s + x * x, 0);
  const steps = 5;
  const { nodes, weights } = mn.landscape.lanczosQuadrature(op, v, steps);
  assert.equal(nodes.length, steps);
  let apv: Float64Array = Float64Array.from(v);
  for (let p = 0; p < 2 * steps; p++) {
    const moment = apv.reduce((s, x, i) => s + x * v[i]!, 0) / vv;
    const quad = nodes.reduce((s, t, i) => s + weights[i]! * t ** p, 0);
    assert.ok(Math.abs(quad - moment) < 1e-10 * Math.max(1, Math.abs(moment)), `p = ${p}: quadrature ${quad} against vᵀAᵖv ${moment}`);
    apv = op.matvec(apv);
  }
});

test("density: each run's weights sum to 1; with as many steps as the size the nodes are the matrix's distinct eigenvalues (closed form)", () => {
  const { matrix, n } = withSpectrum(SPECTRUM);
  const d = mn.landscape.density(mn.landscape.denseOperator(matrix, n), { runs: 4, steps: 80 });
  assert.equal(d.runs.length, 4);
  for (const { nodes, weights } of d.runs) {
    assert.ok(Math.abs(weights.reduce((s, w) => s + w, 0) - 1) < 1e-12);
    assert.equal(nodes.length, new Set(SPECTRUM).size, "the Krylov space holds each distinct eigenvalue once");
    for (const node of nodes) assert.ok(SPECTRUM.some((l) => Math.abs(l - node) < 1e-10), `node ${node} is not an eigenvalue`);
  }
});

test("density: negativeFraction over 400 runs equals the true fraction 5/20 within 0.03 (4 standard deviations), zero eigenvalues not counted as negative", () => {
  const { matrix, n } = withSpectrum(SPECTRUM);
  const d = mn.landscape.density(mn.landscape.denseOperator(matrix, n), { runs: 400, steps: 20 });
  assert.ok(Math.abs(d.negativeFraction - 5 / 20) < 0.03, `negativeFraction ${d.negativeFraction}`);
  assert.deepEqual(d.negativeBounds, [d.negativeFraction, d.negativeFraction], "every run exhausts the Krylov space: the quadrature is exact");
});

test("density: with a cluster of 400 eigenvalues around zero that 20 steps cannot resolve, negativeBounds hold the true 180/600 (Chebyshev–Markov–Stieltjes) and so does the estimate", () => {
  const cluster = Array.from({ length: 400 }, (_, i) => -0.01 + (0.04 * i) / 399); // 100 of them below zero
  const positive = Array.from({ length: 120 }, (_, i) => 0.5 + (9.5 * i) / 119);
  const negative = Array.from({ length: 80 }, (_, i) => -3 + (2.8 * i) / 79);
  const spectrum = [...cluster, ...positive, ...negative];
  const truth = spectrum.filter((l) => l < 0).length / spectrum.length;
  assert.equal(truth, 0.3);
  const { matrix, n } = withSpectrum(spectrum);
  const d = mn.landscape.density(mn.landscape.denseOperator(matrix, n), { runs: 30, steps: 20 });
  const [lower, upper] = d.negativeBounds;
  assert.ok(lower <= truth && truth <= upper, `bounds [${lower}, ${upper}] against ${truth}`);
  assert.ok(lower <= d.negativeFraction && d.negativeFraction <= upper, `estimate ${d.negativeFraction} outside [${lower}, ${upper}]`);
  assert.ok(upper - lower > 0.3, `bounds [${lower}, ${upper}]: the cluster (2/3 of the spectrum) is unresolved, the interval must say so`);
});

test("densityCurve: Gaussians of width σ with the nodes' weights, averaged over runs (closed form), integrating to 1", () => {
  const density = { runs: [{ nodes: [0, 1], weights: [0.25, 0.75] }, { nodes: [2], weights: [1] }], negativeFraction: 0 };
  const sigma = 0.1;
  const { x, y } = mn.landscape.densityCurve(density, { points: 4001, sigma });
  const phi = (t: number, mu: number) => Math.exp(-0.5 * ((t - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
  for (const i of [0, 700, 1000, 2000, 3999]) {
    const want = (0.25 * phi(x[i]!, 0) + 0.75 * phi(x[i]!, 1) + phi(x[i]!, 2)) / 2;
    assert.ok(Math.abs(y[i]! - want) < 1e-12, `y(${x[i]}) = ${y[i]}, expected ${want}`);
  }
  assert.ok(x[0]! <= -0.4 && x.at(-1)! >= 2.4, "the grid covers 4σ past the nodes");
  let integral = 0;
  for (let i = 1; i < x.length; i++) integral += ((y[i]! + y[i - 1]!) / 2) * (x[i]! - x[i - 1]!);
  assert.ok(Math.abs(integral - 1) < 1e-4, `∫ = ${integral}`);
});

test("densityCurve: the default σ is the nodes' range over the steps per run (hessian-eigenthings' choice)", () => {
  const density = { runs: [{ nodes: [-1, 0, 3], weights: [0.2, 0.3, 0.5] }], negativeFraction: 0.2 };
  const a = mn.landscape.densityCurve(density, { points: 50 });
  const b = mn.landscape.densityCurve(density, { points: 50, sigma: 4 / 3 });
  assert.deepEqual(a, b);
});

test("density and densityCurve: bad options are refused (exact messages)", () => {
  const op = mn.landscape.denseOperator(new Float64Array([2, 0, 0, 1]), 2);
  assert.throws(() => mn.landscape.density(op, { runs: 0 }), { message: "density: invalid runs; expected a positive integer, got 0" });
  assert.throws(() => mn.landscape.density(op, { step: 3 } as object), { message: 'density: unknown option "step" — did you mean "steps"?; expected one of runs, steps, generator, zeroTolerance' });
  const d = mn.landscape.density(op, { runs: 1 });
  assert.throws(() => mn.landscape.densityCurve(d, { points: 1 }), { message: "densityCurve: invalid points; expected an integer ≥ 2, got 1" });
  assert.throws(() => mn.landscape.densityCurve(d, { sigma: 0 }), { message: "densityCurve: invalid sigma; expected a number > 0, got 0" });
  assert.throws(() => mn.landscape.densityCurve({ runs: [] }), { message: "densityCurve: a density without runs; expected at least one run" });
});
