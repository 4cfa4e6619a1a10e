import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const { init } = mn.nn;

/** Sample standard deviation of a tensor's entries. */
const stdOf = (t: mn.Tensor) => t.double().std(undefined, { correction: 0 }).item();
const maxAbs = (t: mn.Tensor) => t.abs().max().item();

describe("nn.init against PyTorch's formulas (closed forms, 256×512 draws)", () => {
  const w = () => mn.zeros([256, 512]);
  const fanIn = 512, fanOut = 256;
  // Sample std of n = 131072 draws lies within 2% of σ far beyond 5 standard errors.
  const close = (got: number, want: number) => assert.ok(Math.abs(got / want - 1) < 0.02, `${got} vs ${want}`);

  test("calculateGain: 1, 5/3, √2, √(2/(1+a²))", () => {
    assert.equal(init.calculateGain("linear"), 1);
    assert.equal(init.calculateGain("sigmoid"), 1);
    assert.equal(init.calculateGain("tanh"), 5 / 3);
    assert.equal(init.calculateGain("relu"), Math.SQRT2);
    assert.equal(init.calculateGain("leaky_relu", 0.2), Math.sqrt(2 / 1.04));
  });

  test("xavierUniform: U(±gain·√(6/(in+out)))", () => {
    const t = init.xavierUniform(w(), 2);
    const bound = 2 * Math.sqrt(6 / (fanIn + fanOut));
    assert.ok(maxAbs(t) <= bound && maxAbs(t) > 0.99 * bound);
    close(stdOf(t), bound / Math.sqrt(3));
  });

  test("xavierNormal: σ = gain·√(2/(in+out))", () => close(stdOf(init.xavierNormal(w())), Math.sqrt(2 / (fanIn + fanOut))));

  test("kaimingUniform (relu, fanIn): U(±√(6/fanIn))", () => {
    const t = init.kaimingUniform(w(), { nonlinearity: "relu" });
    const bound = Math.sqrt(6 / fanIn);
    assert.ok(maxAbs(t) <= bound && maxAbs(t) > 0.99 * bound);
  });

  test("kaimingNormal (relu, fanOut): σ = √(2/fanOut)", () => close(stdOf(init.kaimingNormal(w(), { nonlinearity: "relu", mode: "fanOut" })), Math.sqrt(2 / fanOut)));

  test("Linear's default init is PyTorch's: weight and bias in U(±1/√in)", () => {
    const fc = new mn.nn.Linear(400, 300);
    const bound = 1 / Math.sqrt(400);
    assert.ok(maxAbs(fc.weight) <= bound && maxAbs(fc.weight) > 0.99 * bound);
    assert.ok(maxAbs(fc.bias!) <= bound && maxAbs(fc.bias!) > 0.9 * bound);
    close(stdOf(fc.weight), bound / Math.sqrt(3));
  });

  test("constant, zeros, ones, uniform, normal", () => {
    assert.ok(Array.from(init.constant(mn.zeros([3]), 2.5).data).every((v) => v === 2.5));
    assert.ok(Array.from(init.ones(mn.zeros([3])).data).every((v) => v === 1));
    const u = init.uniform(mn.zeros([1000]), -2, -1);
    assert.ok(Array.from(u.data).every((v) => v >= -2 && v < -1));
    close(stdOf(init.normal(mn.zeros([100000]), 3, 0.5)), 0.5);
  });

  test("fans need 2+ dims", () => {
    assert.throws(() => init.xavierUniform(mn.zeros([5])), /fan in and fan out need a tensor of at least 2 dims, got \[5\]/);
  });
});
