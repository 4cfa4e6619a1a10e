import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";

const close = (got: number, want: number, tol: number, what: string) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${what}: ${got} against ${want}`);

/** A concave quadratic f(y) = −½(y − m)ᵀA(y − m) and its gradient, A given row-major. */
function concave(A: number[][], m: number[]): mn.landscape.Objective {
  return (y) => {
    const d = Array.from(y, (yi, i) => yi - m[i]!);
    const Ad = A.map((row) => row.reduce((s, a, j) => s + a * d[j]!, 0));
    return { value: -0.5 * d.reduce((s, di, i) => s + di * Ad[i]!, 0), gradient: Float64Array.from(Ad, (v) => -v) };
  };
}

test("maximizeInBox (lbfgs): a concave quadratic whose maximizer m lies inside the box is maximized at m (closed form)", () => {
  const A = [[4, 1, 0.5, 0], [1, 3, 0, 0.2], [0.5, 0, 2, 0.3], [0, 0.2, 0.3, 1]];
  const m = [0.3, -0.2, 0.1, -0.4];
  const bound = Float64Array.from([1, 1, 1, 1]);
  const found = mn.landscape.maximizeInBox(concave(A, m), bound, { iterations: 40, start: Float64Array.from([0.9, 0.9, -0.9, 0.9]) });
  for (let i = 0; i < 4; i++) close(found.y[i]!, m[i]!, 1e-8, `y[${i}]`);
  close(found.value, 0, 1e-12, "f at the maximum");
});

test("maximizeInBox: with the maximizer of a separable concave quadratic outside the box, both methods stop at its projection (closed form clamp(m))", () => {
  const A = [[2, 0, 0], [0, 5, 0], [0, 0, 1]];
  const m = [3, -2, 0.25];
  const bound = Float64Array.from([0.5, 1, 0.5]);
  const want = m.map((mi, i) => Math.min(bound[i]!, Math.max(-bound[i]!, mi)));
  const lbfgs = mn.landscape.maximizeInBox(concave(A, m), bound, { iterations: 30 });
  want.forEach((w, i) => close(lbfgs.y[i]!, w, 1e-8, `lbfgs y[${i}]`));
  // Sign ascent reaches a vertex exactly; so keep every coordinate's maximizer outside the box for it.
  const m2 = [3, -2, 0.75];
  const ascent = mn.landscape.maximizeInBox(concave(A, m2), bound, { method: "ascent", iterations: 10 });
  assert.deepEqual(Array.from(ascent.y), [0.5, -1, 0.5]);
  assert.equal(ascent.evaluations, 11);
});

/**
 * A linear model on an orthogonal design with the mean squared error: f is exactly quadratic in the weights
 * (w1, w2, b) with a diagonal Hessian, so the maximum of f(x + y) over the box is at a vertex known in closed
 * form: per coordinate, q(y) = gᵢy + ½hᵢy² is largest at y = sign(gᵢ)·bᵢ when |gᵢ| > hᵢbᵢ.
 */
function linearProblem(w1: number, w2: number, bias: number) {
  const inputs = [[1, 0], [-1, 0], [0, 1], [0, -1]], targets = [0.1, -0.2, 0.3, 0.5];
  const model = new mn.nn.Linear(2, 1, { dtype: "float64" });
  model.weight.data.set([w1, w2]);
  model.bias!.data.set([bias]);
  const x = mn.tensor(inputs, { dtype: "float64" }), t = mn.tensor(targets.map((v) => [v]), { dtype: "float64" });
  // The reference, by hand: residuals r = Xw − t, f = mean r², g = (2/N)Xᵀr, H = (2/N)XᵀX = diag(1, 1, 2).
  const rows = inputs.map(([a, b]) => [a!, b!, 1]);
  const r = rows.map((row, i) => row[0]! * w1 + row[1]! * w2 + bias - targets[i]!);
  const f = r.reduce((s, ri) => s + ri * ri, 0) / 4;
  const g = [0, 1, 2].map((j) => (2 / 4) * rows.reduce((s, row, i) => s + row[j]! * r[i]!, 0));
  const h = [0, 1, 2].map((j) => (2 / 4) * rows.reduce((s, row) => s + row[j]! * row[j]!, 0));
  return { model, batches: [[x, t]] as const, weights: [w1, w2, bias], f, g, h };
}

for (const method of ["lbfgs", "ascent"] as const) {
  for (const start of ["zero", "random"] as const) {
    test(`epsSharpness (${method}, ${start} start): on a quadratic loss, the maximizer and φ equal the closed form (vertex sign(g)·ε(|x|+1))`, () => {
      const { model, batches, weights, f, g, h } = linearProblem(0.7, -1.3, 0.4);
      const epsilon = 1e-2;
      const b = weights.map((w) => epsilon * (Math.abs(w) + 1));
      b.forEach((bi, i) => assert.ok(Math.abs(g[i]!) > h[i]! * bi, "the vertex is the unique maximum"));
      const wantY = g.map((gi, i) => Math.sign(gi) * b[i]!);
      const gain = g.reduce((s, gi, i) => s + Math.abs(gi) * b[i]! + 0.5 * h[i]! * b[i]! ** 2, 0);
      const got = mn.landscape.epsSharpness(model, mn.nn.functional.mseLoss, batches, { epsilon, method, start, iterations: 10 });
      wantY.forEach((w, i) => close(got.perturbation[i]!, w, 1e-12, `y[${i}]`));
      close(got.loss, f, 1e-12, "f(x)");
      close(got.maxLoss, f + gain, 1e-12, "max f(x + y)");
      close(got.value, (100 * gain) / (1 + f), 1e-10, "φ");
    });
  }
}

test("epsSharpness (subspace A = c·[e₀, e₂]): the box on z is ε(|(A⁺x)ᵢ| + 1), so y = Az has |yⱼ| ≤ ε(|xⱼ| + c) on coordinates 0 and 2 only; maximizer and φ equal the closed form", () => {
  const { model, batches, weights, f, g, h } = linearProblem(0.7, -1.3, 0.4);
  const c = 2.5, epsilon = 1e-2;
  const columns = [Float64Array.from([c, 0, 0]), Float64Array.from([0, 0, c])];
  const picked = [0, 2];
  const b = picked.map((j) => epsilon * (Math.abs(weights[j]!) + c));
  const gain = picked.reduce((s, j, k) => s + Math.abs(g[j]!) * b[k]! + 0.5 * h[j]! * b[k]! ** 2, 0);
  const got = mn.landscape.epsSharpness(model, mn.nn.functional.mseLoss, batches, { epsilon, subspace: columns });
  close(got.perturbation[0]!, Math.sign(g[0]!) * b[0]!, 1e-12, "y[0]");
  assert.equal(got.perturbation[1], 0);
  close(got.perturbation[2]!, Math.sign(g[2]!) * b[1]!, 1e-12, "y[2]");
  close(got.coordinates![1]!, (Math.sign(g[2]!) * b[1]!) / c, 1e-12, "z[1]");
  close(got.value, (100 * gain) / (1 + f), 1e-10, "φ");
});

test("epsSharpness (random subspace, p = 3): y = Az with z in the box ε(|(A⁺x)ᵢ| + 1), A⁺x solved here by Cramer's rule on the 3×3 normal equations", () => {
  const { model, batches } = smallNet(7);
  const x = Float64Array.from(model.parameters().flatMap((p) => Array.from(p.data)));
  const gen = new mn.Generator(11);
  const columns = Array.from({ length: 3 }, () => Float64Array.from(x, () => gen.normal()));
  const epsilon = 0.05;
  const got = mn.landscape.epsSharpness(model, mn.nn.functional.crossEntropy, batches, { epsilon, subspace: columns });
  const dotv = (a: Float64Array, b: Float64Array) => a.reduce((s, ai, i) => s + ai * b[i]!, 0);
  const G = columns.map((a) => columns.map((b) => dotv(a, b))), r = columns.map((a) => dotv(a, x));
  const det = (m: number[][]) => m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const centre = [0, 1, 2].map((k) => det(G.map((row, i) => row.map((v, j) => (j === k ? r[i]! : v)))) / det(G));
  const z = got.coordinates!;
  z.forEach((zi, i) => assert.ok(Math.abs(zi) <= epsilon * (Math.abs(centre[i]!) + 1) * (1 + 1e-9), `z[${i}] = ${zi}, bound ${epsilon * (Math.abs(centre[i]!) + 1)}`));
  got.perturbation.forEach((yi, i) => close(yi, columns.reduce((s, a, j) => s + z[j]! * a[i]!, 0), 1e-12, `y[${i}]`));
  assert.ok(got.value > 0);
  assert.throws(() => mn.landscape.epsSharpness(model, mn.nn.functional.crossEntropy, batches, { subspace: [columns[0]!, columns[0]!] }),
    { message: "epsSharpness: the subspace's columns are linearly dependent (column 1 lies in the span of those before it); expected columns of full rank" });
  assert.throws(() => mn.landscape.epsSharpness(model, mn.nn.functional.crossEntropy, batches, { subspace: [new Float64Array(3)] }),
    { message: `epsSharpness: subspace[0]: a column of the wrong length; expected ${x.length} (the parameters' count), got 3` });
});

test("epsSharpness: at the least-squares minimum (g = 0) every vertex is a maximizer, and φ = 100·Σ½hᵢbᵢ²/(1 + f) from a random start", () => {
  const { model, batches, weights, f, g, h } = linearProblem(0.15, -0.1, 0.175);
  g.forEach((gi) => assert.ok(Math.abs(gi) < 1e-15));
  const epsilon = 1e-3;
  const b = weights.map((w) => epsilon * (Math.abs(w) + 1));
  const gain = b.reduce((s, bi, i) => s + 0.5 * h[i]! * bi * bi, 0);
  const got = mn.landscape.epsSharpness(model, mn.nn.functional.mseLoss, batches, { epsilon });
  got.perturbation.forEach((y, i) => close(Math.abs(y), b[i]!, 1e-12, `|y[${i}]|`));
  close(got.value, (100 * gain) / (1 + f), 1e-8, "φ");
});

/** A float64 tanh MLP 3→5→2 with cross-entropy on two batches. */
function smallNet(seed: number) {
  mn.manualSeed(seed);
  const model = new mn.nn.Sequential(new mn.nn.Linear(3, 5, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(5, 2, { dtype: "float64" }));
  const gen = new mn.Generator(seed + 100);
  const batches = [6, 4].map((n) => [mn.randn([n, 3], { generator: gen, dtype: "float64" }), mn.randint(0, 2, [n], { generator: gen })] as const);
  return { model, batches };
}

for (const method of ["lbfgs", "ascent"] as const) {
  test(`epsSharpness (${method}): every point evaluated lies in the box |yᵢ| ≤ ε(|xᵢ|+1), the weights come back unchanged, and maxLoss is the loss at x + y`, () => {
    const { model, batches } = smallNet(4);
    const x = model.parameters().flatMap((p) => Array.from(p.data));
    const epsilon = 5e-2;
    let evaluations = 0, atBound = 0;
    const got = mn.landscape.epsSharpness(model, mn.nn.functional.crossEntropy, batches, {
      epsilon, method, iterations: 15,
      onEvaluate: (y) => {
        evaluations++;
        y.forEach((yi, i) => {
          const b = epsilon * (Math.abs(x[i]!) + 1);
          assert.ok(Math.abs(yi) <= b, `y[${i}] = ${yi} outside ±${b}`);
          if (Math.abs(yi) === b) atBound++;
        });
      },
    });
    assert.equal(evaluations, got.evaluations);
    assert.ok(atBound > 0, "the search reached the box's faces");
    assert.deepEqual(model.parameters().flatMap((p) => Array.from(p.data)), x);
    assert.ok(got.value > 0 && got.maxLoss > got.loss);
    // The reference: the loss of a copy of the model moved by the perturbation, by evaluate over the same samples.
    const moved = new mn.nn.Sequential(new mn.nn.Linear(3, 5, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(5, 2, { dtype: "float64" }));
    let off = 0;
    moved.parameters().forEach((p, k) => {
      const base = model.parameters()[k]!.data;
      p.data.set(Array.from(base, (v, i) => v + got.perturbation[off + i]!));
      off += base.length;
    });
    const plain = mn.train.evaluate(model, batches.map((b) => [...b]), mn.nn.functional.crossEntropy).loss;
    const perturbed = mn.train.evaluate(moved, batches.map((b) => [...b]), mn.nn.functional.crossEntropy).loss;
    close(got.loss, plain, 1e-12, "f(x)");
    close(got.maxLoss, perturbed, 1e-12, "f(x + y)");
    close(got.value, (100 * (perturbed - plain)) / (1 + plain), 1e-9, "φ");
  });
}

test("epsSharpness: a larger ε (a box holding the smaller one) gives a larger φ, for both methods", () => {
  const { model, batches } = smallNet(5);
  const run = (method: "lbfgs" | "ascent", epsilon: number) => mn.landscape.epsSharpness(model, mn.nn.functional.crossEntropy, batches, { epsilon, method, iterations: 10 });
  assert.ok(run("lbfgs", 1e-2).value > 0);
  assert.ok(run("lbfgs", 5e-2).value > run("lbfgs", 1e-2).value);
  assert.ok(run("ascent", 5e-2).value > run("ascent", 1e-2).value);
});

test("epsSharpness (mode train): batch norm's running statistics, which every forward pass in train mode updates, come back unchanged", () => {
  mn.manualSeed(8);
  const model = new mn.nn.Sequential(new mn.nn.Linear(3, 4, { dtype: "float64" }), new mn.nn.BatchNorm1d(4, { dtype: "float64" }), new mn.nn.Tanh(), new mn.nn.Linear(4, 2, { dtype: "float64" }));
  const gen = new mn.Generator(9);
  const batches = [[mn.randn([8, 3], { generator: gen, dtype: "float64" }), mn.randint(0, 2, [8], { generator: gen })] as const];
  const before = Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
  const got = mn.landscape.epsSharpness(model, mn.nn.functional.crossEntropy, batches, { mode: "train", epsilon: 1e-2 });
  assert.ok(got.value > 0);
  assert.deepEqual(Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.data)])), before);
  assert.equal(model.training, true);
});

test("epsSharpness: bad options are refused with exact messages", () => {
  const { model, batches } = smallNet(6);
  const F = mn.nn.functional.crossEntropy;
  assert.throws(() => mn.landscape.epsSharpness(model, F, batches, { epsilon: 0 }), { message: "epsSharpness: invalid epsilon; expected a number > 0, got 0" });
  assert.throws(() => mn.landscape.epsSharpness(model, F, batches, { method: "lbfgsb" as "lbfgs" }), { message: 'epsSharpness: invalid method; expected one of "lbfgs", "ascent", got "lbfgsb"' });
  assert.throws(() => mn.landscape.epsSharpness(model, F, batches, { epsilom: 1e-3 } as object), { message: 'epsSharpness: unknown option "epsilom" — did you mean "epsilon"?; expected one of epsilon, method, iterations, start, generator, subspace, mode, onEvaluate' });
  assert.throws(() => mn.landscape.epsSharpness(model, F, [], {}), { message: "epsSharpness: needs at least one batch" });
});
