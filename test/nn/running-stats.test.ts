import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// References: the same layer outside frozenRunningStats (its output), and its buffers before the call (unchanged).
describe("frozenRunningStats", () => {
  for (const [name, make, shape] of [
    ["BatchNorm1d", () => new mn.nn.BatchNorm1d(3, { dtype: "float64" }), [5, 3]],
    ["BatchNorm2d (momentum null: cumulative average)", () => new mn.nn.BatchNorm2d(3, { dtype: "float64", momentum: null }), [2, 3, 2, 2]],
  ] as const) {
    test(`${name}: a training forward inside leaves running_mean, running_var and num_batches_tracked bit for bit, and normalizes by the batch as outside`, () => {
      const layer = make(), free = make();
      const x = mn.randn([...shape], { dtype: "float64", generator: new mn.Generator(7) });
      layer.forward(x.mul(2).add(1)); // statistics that differ from the fresh ones
      free.forward(x.mul(2).add(1));
      const before = Object.fromEntries(Object.entries(layer.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
      const out = mn.nn.frozenRunningStats(() => {
        assert.equal(mn.nn.runningStatsFrozen(), true);
        return layer.forward(x);
      });
      assert.equal(mn.nn.runningStatsFrozen(), false);
      for (const [k, t] of Object.entries(layer.stateDict())) assert.deepEqual(Array.from(t.data), before[k], k);
      assert.deepEqual(Array.from(out.data), Array.from(free.forward(x).data), "output");
      assert.notDeepEqual(Array.from(free.stateDict()["running_mean"]!.data), before["running_mean"], "outside, the pass moves them");
    });
  }

  test("evaluation mode inside still normalizes by the running statistics", () => {
    const layer = new mn.nn.BatchNorm1d(2, { dtype: "float64" });
    layer.forward(mn.tensor([[1, 2], [3, 8]], { dtype: "float64" }));
    layer.eval();
    const x = mn.tensor([[0.5, -1]], { dtype: "float64" });
    assert.deepEqual(Array.from(mn.nn.frozenRunningStats(() => layer.forward(x)).data), Array.from(layer.forward(x).data));
  });

  test("restores the previous mode when fn throws", () => {
    assert.throws(() => mn.nn.frozenRunningStats(() => { throw new Error("boom"); }), /boom/);
    assert.equal(mn.nn.runningStatsFrozen(), false);
  });
});
