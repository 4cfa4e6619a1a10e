import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";

const ce = mn.nn.functional.crossEntropy;

function reluMlp(seed: number) {
  mn.manualSeed(seed);
  return new mn.nn.Sequential(new mn.nn.Linear(5, 8, { dtype: "float64" }), new mn.nn.ReLU(), new mn.nn.Linear(8, 3, { dtype: "float64" }));
}

function data() {
  const g = new mn.Generator(11);
  return [12, 7].map((n) => [mn.randn([n, 5], { generator: g, dtype: "float64" }), mn.randint(0, 3, [n], { generator: g })]);
}

/** The same function with other weights: layer 1 (weight and bias) ×10, layer 2's weight ÷10 (ReLU is positively homogeneous). */
function rescaled(model: mn.nn.Module) {
  const out = reluMlp(99), s = model.copyStateDict();
  out.loadStateDict({ ...s, "0.weight": s["0.weight"]!.mul(10), "0.bias": s["0.bias"]!.mul(10), "2.weight": s["2.weight"]!.div(10) });
  return out;
}

const close = (a: number[], b: number[], tol: number, what: string) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol, `${what} cell ${i}: ${v} against ${b[i]} (|Δ| = ${Math.abs(v - b[i]!)})`));

for (const ignore of ["biasbn", "none"] as const) {
  test(`slice: filter-normalized 1-D and 2-D slices (ignore ${ignore}) are the same to 1e-12 after rescaling a ReLU MLP's layer 1 ×10 and layer 2 ÷10 (the function is unchanged)`, () => {
    const batches = data(), a = reluMlp(1), b = rescaled(a);
    assert.equal(mn.train.evaluate(a, batches, ce).loss.toFixed(12), mn.train.evaluate(b, batches, ce).loss.toFixed(12));
    const dirs = (m: mn.nn.Module) => [1, 2].map((s) => mn.landscape.randomDirection(m, { ignore, generator: new mn.Generator(s) }));
    const alphas = Array.from(mn.linspace(-1, 1, 7, { dtype: "float64" }).data);
    const [da, db] = [dirs(a), dirs(b)];
    close(mn.landscape.slice(a, ce, batches, { directions: [da[0]!], alphas }).losses, mn.landscape.slice(b, ce, batches, { directions: [db[0]!], alphas }).losses, 1e-12, "1-D");
    close(mn.landscape.slice(a, ce, batches, { directions: da, alphas }).losses, mn.landscape.slice(b, ce, batches, { directions: db, alphas }).losses, 1e-12, "2-D");
  });
}

test("slice: without normalization the rescaled network's slice differs (the invariance above is the normalization's doing)", () => {
  const batches = data(), a = reluMlp(1), b = rescaled(a);
  const along = (m: mn.nn.Module) => mn.landscape.slice(m, ce, batches, { directions: [mn.landscape.randomDirection(m, { normalization: "none", generator: new mn.Generator(1) })], alphas: [0.5] }).losses[0]!;
  assert.ok(Math.abs(along(a) - along(b)) > 1e-3, `${along(a)} and ${along(b)}`);
});

test("slice: the centre equals mn.train.evaluate's loss exactly, each cell equals the loss of a model loaded with θ + x·d₁ + y·d₂ (tensors by hand), and the weights are put back", () => {
  const batches = data(), model = reluMlp(4);
  const before = model.copyStateDict();
  const directions = [1, 2].map((s) => mn.landscape.randomDirection(model, { generator: new mn.Generator(s) }));
  const xs = [-0.5, 0, 0.75], ys = [0, 1];
  const s = mn.landscape.slice(model, ce, batches, { directions, alphas: [xs, ys] });
  assert.deepEqual(s.shape, [3, 2]);
  assert.deepEqual(s.alphas, [xs, ys]);
  assert.equal(s.losses[1], mn.train.evaluate(model, batches, ce).loss);
  const other = reluMlp(5);
  ys.forEach((y, j) => xs.forEach((x, i) => {
    let off = 0;
    const moved = Object.fromEntries(model.namedParameters().map(([name, p]) => {
      const n = p.numel(), part = (d: Float64Array) => mn.tensor(Array.from(d.subarray(off, off + n)), { dtype: "float64" }).reshape(p.shape);
      const t = p.detach().add(part(directions[0]!).mul(x)).add(part(directions[1]!).mul(y));
      off += n;
      return [name, t];
    }));
    other.loadStateDict(moved);
    const want = mn.train.evaluate(other, batches, ce);
    assert.ok(Math.abs(s.losses[i + 3 * j]! - want.loss) < 1e-13, `(${x}, ${y}): ${s.losses[i + 3 * j]} against ${want.loss}`);
    assert.equal(s.accuracies[i + 3 * j], want.accuracy);
  }));
  for (const [k, t] of Object.entries(model.stateDict())) assert.deepEqual([...t.data], [...before[k]!.data], k);
});

test("slice: cells given as done are kept and not evaluated again, onCell sees the others in index order, and the result equals the uninterrupted slice", () => {
  const batches = data(), model = reluMlp(6);
  const directions = [1, 2].map((s) => mn.landscape.randomDirection(model, { generator: new mn.Generator(s) }));
  const full = mn.landscape.slice(model, ce, batches, { directions, alphas: [-1, 0, 1] });
  const done = [0, 1, 2, 3].map((index) => ({ index, loss: full.losses[index]!, accuracy: full.accuracies[index]! }));
  const seen: number[] = [];
  const resumed = mn.landscape.slice(model, ce, batches, { directions, alphas: [-1, 0, 1], done, onCell: (c) => seen.push(c.index) });
  assert.deepEqual(seen, [4, 5, 6, 7, 8]);
  assert.deepEqual(resumed, full);
});

test("slice: a direction of the wrong length, or a done cell outside the grid, is refused naming it", () => {
  const batches = data(), model = reluMlp(6);
  assert.throws(() => mn.landscape.slice(model, ce, batches, { directions: [new Float64Array(3)] }),
    { message: "slice: directions[0]: a direction that does not fit the model; expected a Float64Array of length 75 (one entry per parameter element), got a Float64Array of length 3" });
  const d = mn.landscape.randomDirection(model);
  assert.throws(() => mn.landscape.slice(model, ce, batches, { directions: [d], alphas: [0, 1], done: [{ index: 2, loss: 1, accuracy: null }] }),
    { message: "slice: done: a cell with index 2; expected an integer from 0 to 1" });
  assert.throws(() => mn.landscape.slice(model, ce, batches, { directions: [d], alphas: [[0], [1]] }),
    { message: "slice: 2 arrays of alphas for 1 direction; expected one array for every direction, or one per direction" });
});
