import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { fixtureMlp } from "./hessian-fixture.js";

// References: test/fixtures/hessian.json — torch.autograd.functional.hessian of the MLP (51 parameters), its eigvalsh.

test("HessianOperator.dense: equals torch.autograd.functional.hessian to 1e-12", () => {
  const { H, hessian } = fixtureMlp();
  const a = H.dense();
  assert.equal(a.length, 51 * 51);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - hessian[i]!) < 1e-12, `entry ${i}: ${a[i]} against ${hessian[i]}`);
  assert.equal(H.matvecs, 51);
});

test("HessianOperator.dense: a model too large for a dense Hessian is refused with its size and the limit (exact messages)", () => {
  const { H } = fixtureMlp();
  assert.throws(() => H.dense({ maxSize: 50 }), { message: "HessianOperator.dense: a model too large for a dense Hessian; expected at most 50 parameters (maxSize), got 51 parameters" });
  const model = new mn.nn.Linear(100, 30);
  const big = mn.landscape.hessian(model, mn.nn.functional.crossEntropy, [[mn.randn([2, 100]), mn.tensor(Int32Array.from([0, 1]))]]);
  assert.throws(() => big.dense(), { message: "HessianOperator.dense: a model too large for a dense Hessian; expected at most 2048 parameters (maxSize), got 3030 parameters" });
  assert.throws(() => mn.landscape.dense(mn.landscape.denseOperator(new Float64Array(9), 3), { maxSize: 2 }), { message: "dense: an operator too large for a dense matrix; expected a size of at most 2 (maxSize), got 3" });
  assert.equal(big.matvecs, 0, "refused before any product");
});

test("HessianOperator.blocks: one per module owning parameters, each H·v equal to the diagonal block of torch's Hessian times v", () => {
  const { H, hessian } = fixtureMlp();
  const blocks = H.blocks();
  assert.deepEqual(blocks.map((b) => b.name), ["0", "2"]);
  assert.deepEqual(blocks.map((b) => b.operator.names), [["0.weight", "0.bias"], ["2.weight", "2.bias"]]);
  let offset = 0;
  for (const { operator } of blocks) {
    const m = operator.size;
    const v = Float64Array.from({ length: m }, (_, i) => Math.cos(i + 0.5));
    const hv = operator.matvec(v);
    for (let i = 0; i < m; i++) {
      let want = 0;
      for (let j = 0; j < m; j++) want += hessian[(offset + i) * 51 + offset + j]! * v[j]!;
      assert.ok(Math.abs(hv[i]! - want) < 1e-12, `block row ${i}: ${hv[i]} against ${want}`);
    }
    offset += m;
  }
  assert.equal(offset, 51);
});

test("HessianOperator.density: SLQ on the MLP — weights sum to 1 per run; with 51 steps every node is one of torch's eigenvalues; negativeFraction within 4 standard deviations (p(1−p)·2/(n+2) per run, a uniform start's) of torch's 18/51", () => {
  const { H, eigenvalues } = fixtureMlp();
  const runs = 10;
  const d = H.density({ runs, steps: 60 });
  for (const { nodes, weights } of d.runs) {
    assert.ok(Math.abs(weights.reduce((s, w) => s + w, 0) - 1) < 1e-12);
    for (const node of nodes) assert.ok(eigenvalues.some((l) => Math.abs(l - node) < 1e-8), `node ${node}`);
  }
  const truth = eigenvalues.filter((l) => l < -1e-9).length / eigenvalues.length;
  assert.equal(truth, 18 / 51);
  const sd = Math.sqrt((truth * (1 - truth) * 2) / 53 / runs);
  assert.ok(Math.abs(d.negativeFraction - truth) < 4 * sd, `negativeFraction ${d.negativeFraction} against ${truth} (sd ${sd})`);
});
