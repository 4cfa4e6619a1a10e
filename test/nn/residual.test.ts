import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const f64 = { dtype: "float64" as const };
const rowsOf = (t: mn.Tensor): number[][] => {
  const n = t.shape[0]!, m = t.numel() / n;
  return Array.from({ length: n }, (_, i) => Array.from(t.data.subarray(i * m, (i + 1) * m)));
};

describe("Residual", () => {
  const make = (options: mn.nn.ResidualOptions = {}) =>
    new mn.nn.Residual(new mn.nn.Linear(3, 3, { ...f64, generator: new mn.Generator(1) }), options);

  test("parameters are the block's and the shortcut's, named block.… and shortcut.…", () => {
    assert.deepEqual(make().namedParameters().map(([n]) => n), ["block.weight", "block.bias"]);
    const withShortcut = new mn.nn.Residual(new mn.nn.Linear(3, 4), { shortcut: new mn.nn.Linear(3, 4, { bias: false }) });
    assert.deepEqual(withShortcut.namedParameters().map(([n]) => n), ["block.weight", "block.bias", "shortcut.weight"]);
    assert.equal(String(make({ dropPath: 0.2 })).split("\n")[0], "Residual(dropPath=0.2, mode=row");
  });

  test("eval mode computes shortcut(x) + block(x), whatever dropPath", () => {
    const res = make({ dropPath: 0.9 }).eval();
    const x = mn.randn([5, 3], { ...f64, generator: new mn.Generator(2) });
    const block = res.block as mn.nn.Linear;
    assert.deepEqual(Array.from(res.forward(x).data), Array.from(x.add(block.forward(x)).data));
  });

  test("training, row mode: each sample is shortcut(x) exactly or shortcut(x) + block(x)/(1−p); kept in 1−p of 5000 samples within 4 binomial σ", () => {
    const p = 0.25, n = 5000;
    const shortcut = new mn.nn.Linear(3, 2, { ...f64, generator: new mn.Generator(3) });
    const block = new mn.nn.Linear(3, 2, { ...f64, generator: new mn.Generator(4) });
    const res = new mn.nn.Residual(block, { dropPath: p, shortcut });
    const x = mn.randn([n, 3], { ...f64, generator: new mn.Generator(5) });
    mn.manualSeed(6);
    const y = rowsOf(res.forward(x));
    const skip = rowsOf(shortcut.forward(x));
    const branch = rowsOf(block.forward(x));
    let kept = 0;
    y.forEach((r, i) => {
      const dropped = skip[i]!;
      const keptValue = skip[i]!.map((s, j) => s + branch[i]![j]! * (1 / (1 - p)));
      if (r.every((v, j) => v === dropped[j])) return;
      assert.deepEqual(r, keptValue, `sample ${i} is neither shortcut(x) nor shortcut(x) + block(x)/(1−p)`);
      kept++;
    });
    assert.ok(Math.abs(kept / n - (1 - p)) < 4 * Math.sqrt((p * (1 - p)) / n), `kept fraction ${kept / n}`);
  });

  test("training, batch mode: the whole batch takes the branch or skips it", () => {
    const res = make({ dropPath: 0.5, mode: "batch" });
    const x = mn.randn([8, 3], { ...f64, generator: new mn.Generator(7) });
    const dropped = Array.from(x.data);
    const keptValue = Array.from(x.add((res.block as mn.nn.Linear).forward(x).mul(2)).data);
    mn.manualSeed(8);
    const seen = new Set<string>();
    for (let c = 0; c < 40; c++) {
      const y = Array.from(res.forward(x).data);
      if (y.every((v, i) => v === dropped[i])) seen.add("dropped");
      else { assert.deepEqual(y, keptValue); seen.add("kept"); }
    }
    assert.equal(seen.size, 2, "both outcomes occur in 40 calls at p = 0.5");
  });

  test("gradients through a Linear block and shortcut agree with finite differences (a fixed mask)", () => {
    const block = new mn.nn.Linear(3, 2, { ...f64, generator: new mn.Generator(9) });
    const shortcut = new mn.nn.Linear(3, 2, { ...f64, generator: new mn.Generator(10) });
    const res = new mn.nn.Residual(new mn.nn.Sequential(block, new mn.nn.Tanh()), { dropPath: 0.5, shortcut });
    const x = mn.randn([6, 3], { ...f64, requiresGrad: true, generator: new mn.Generator(11) });
    // The same seed before each forward pass fixes the mask, so f is a smooth function of its inputs.
    const f = () => { mn.manualSeed(12); return res.forward(x).square().sum(); };
    mn.manualSeed(12);
    const mask = mn.nn.functional.stochasticDepth(mn.ones([6, 1], f64), 0.5, "row");
    assert.ok(Array.from(mask.data).includes(0) && Array.from(mask.data).includes(2), "some samples keep the branch, some drop it");
    assert.equal(mn.autograd.gradcheck(f, [x, block.weight, block.bias!, shortcut.weight, shortcut.bias!]), true);
  });

  test("bad options fail with exact messages", () => {
    const lin = new mn.nn.Linear(2, 2);
    assert.throws(() => new mn.nn.Residual(lin, { dropPath: 1.5 }), /^OptionError: Residual: invalid dropPath; expected a probability in \[0, 1\], got 1.5$/);
    assert.throws(() => new mn.nn.Residual(lin, { dropPath: -0.5 }), /^OptionError: Residual: invalid dropPath; expected a probability in \[0, 1\], got -0.5$/);
    assert.throws(() => new mn.nn.Residual(lin, { mode: "sample" as never }), /^OptionError: Residual: invalid mode; expected one of "row", "batch", got "sample"$/);
    assert.throws(() => new mn.nn.Residual(lin, { drop_path: 0.1 } as never), /^OptionError: Residual: unknown option "drop_path" — did you mean "dropPath"\?/);
    assert.throws(() => new mn.nn.Residual(lin, { shortcut: 3 as never }), /^OptionError: Residual: invalid shortcut; expected a Module, got 3$/);
    assert.throws(() => new mn.nn.Residual("linear" as never), /^OptionError: Residual: block must be a Module, got linear$/);
  });
});
