import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { testErrorCases, type ErrorCase } from "../helpers/error-cases.js";

// Dropout2d against its definition (torch.nn.Dropout2d): whole channels zeroed with probability p, the rest
// scaled by exactly 1/(1 − p); the count of zeroed channels against the binomial distribution; eval the identity.
const F = mn.nn.functional;

/** For each (sample, channel) map of y [N,C,H,W]: 0 when all of it is zero, scale when all of it is exactly x·scale, else NaN. */
function channelFactors(x: mn.Tensor, y: mn.Tensor, scale: number): number[] {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const out: number[] = [];
  for (let m = 0; m < n * c; m++) {
    const map = Array.from({ length: h * w }, (_, k) => m * h * w + k);
    out.push(map.every((i) => y.data[i] === 0) ? 0 : map.every((i) => y.data[i] === x.data[i]! * scale) ? scale : NaN);
  }
  return out;
}

describe("dropout2d zeroes whole channels", () => {
  const x = mn.rand([50, 40, 3, 4], { dtype: "float64", generator: new mn.Generator(1) }).add(0.5); // no zeros in x
  for (const p of [0.1, 0.5, 0.8]) {
    test(`p = ${p}: every map is zero or exactly x / (1 − p); the zeroed count is within 4 binomial standard deviations of p·N·C`, () => {
      const scale = 1 / (1 - p);
      const factors = channelFactors(x, F.dropout2d(x, p, true, new mn.Generator(7)), scale);
      assert.ok(factors.every((f) => f === 0 || f === scale), `factors seen: ${[...new Set(factors)].join(", ")}`);
      const zeroed = factors.filter((f) => f === 0).length, m = factors.length;
      assert.ok(Math.abs(zeroed - p * m) < 4 * Math.sqrt(m * p * (1 - p)), `${zeroed} of ${m} zeroed`);
    });
  }
  test("the gradient is the same mask: zero on dropped maps, 1/(1 − p) on kept ones", () => {
    const z = x.detach().requiresGrad_();
    const y = F.dropout2d(z, 0.5, true, new mn.Generator(3));
    y.sum().backward();
    const yFactors = channelFactors(x, y, 2);
    const g = z.grad!, [, , h, w] = x.shape as number[];
    yFactors.forEach((f, m) => assert.ok(Array.from(g.data.slice(m * h! * w!, (m + 1) * h! * w!)).every((v) => v === f), `map ${m}`));
  });
  test("the same generator seed drops the same channels", () => {
    assert.deepEqual(Array.from(F.dropout2d(x, 0.3, true, new mn.Generator(11)).data), Array.from(F.dropout2d(x, 0.3, true, new mn.Generator(11)).data));
  });
  test("p = 0 and evaluation return the input itself; p = 1 gives zeros", () => {
    assert.equal(F.dropout2d(x, 0), x);
    assert.equal(F.dropout2d(x, 0.5, false), x);
    assert.ok(Array.from(F.dropout2d(x, 1).data).every((v) => v === 0));
  });
  test("the layer drops in training mode and is the identity in eval mode", () => {
    const layer = new mn.nn.Dropout2d(0.5);
    const factors = channelFactors(x, layer.forward(x), 2);
    assert.ok(factors.some((f) => f === 0) && factors.every((f) => f === 0 || f === 2));
    assert.equal(layer.eval().forward(x), x);
    assert.equal(String(layer), "Dropout2d(p=0.5)");
    assert.equal(new mn.nn.Dropout2d().p, 0.5);
  });
});

describe("errors name the value, what was expected and where", () => {
  const cases: ErrorCase[] = [
    ["3-D input", () => F.dropout2d(mn.zeros([3, 4, 5])), "dropout2d: invalid input shape (a single [C,H,W] sample: add the batch dim with unsqueeze(0)); expected a 4-D [N,C,H,W] tensor, got [3,4,5]"],
    ["2-D input to the layer", () => new mn.nn.Dropout2d().forward(mn.zeros([3, 4])), "Dropout2d: invalid input shape; expected a 4-D [N,C,H,W] tensor, got [3,4]"],
    ["p 1.5", () => new mn.nn.Dropout2d(1.5), "Dropout2d: invalid p; expected a probability in [0, 1], got 1.5"],
    ["p -0.1", () => F.dropout2d(mn.zeros([1, 1, 2, 2]), -0.1), "dropout2d: invalid p; expected a probability in [0, 1], got -0.1"],
    ["integer input", () => F.dropout2d(mn.zeros([1, 1, 2, 2], { dtype: "int32" })), "dropout2d: input must be a floating-point tensor; expected float32 or float64, got int32"],
  ];
  testErrorCases(cases);
});
