import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// Inverted dropout (torch.nn.functional.dropout): each element is zeroed with probability p, the others
// are scaled by exactly 1/(1 − p), so E[dropout(x)] = x. At p = 0.5 a scale of 1/p, a mask that keeps with
// probability p, or both together, are all invisible (1/p = 1/(1 − p) = 2); at p ≠ 0.5 the first two
// change the kept values and the mean, and the pair (whose mean stays x) changes the zeroed fraction.
// Hence p = 0.1 and 0.8 here, each checked three ways, on 200,000 draws (the fraction's standard error
// is at most 0.0012, the bounds below are over 8 of them).
describe("dropout scales kept values by 1/(1 − p) and zeroes a fraction p", () => {
  for (const p of [0.1, 0.8]) {
    test(`p = ${p}: kept values are x · 1/(1 − p) exactly, the zeroed fraction is p, the mean is x's`, () => {
      const n = 200_000;
      const x = mn.tensor(Float64Array.from({ length: n }, (_, i) => 1 + (i % 7)));  // mean 4
      const y = mn.nn.functional.dropout(x, p, true, new mn.Generator(31));
      let zeros = 0;
      for (let i = 0; i < n; i++) {
        if (y.data[i] === 0) zeros++;
        else assert.equal(y.data[i], x.data[i]! * (1 / (1 - p)), `element ${i}`);  // torch multiplies by 1/(1 − p)
      }
      assert.ok(Math.abs(zeros / n - p) < 0.01, `zeroed fraction ${zeros / n}, expected ${p}`);
      assert.ok(Math.abs(y.mean().item() / 4 - 1) < 0.03, `mean ${y.mean().item()}, expected 4`);
    });
  }
});
