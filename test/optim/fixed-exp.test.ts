import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { fixedExp } from "../../src/optim/fixed-exp.js";

const ulpsApart = (a: number, b: number) => Math.abs(a - b) / (Math.abs(b) * 2 ** -52);

describe("fixedExp (eʸ from arithmetic alone, the same bits in every engine)", () => {
  test("is exact at 0 and at k·ln 2's powers of two where the reduction leaves nothing; NaN, overflow and underflow as Math.exp", () => {
    assert.equal(fixedExp(0), 1);
    assert.ok(Number.isNaN(fixedExp(NaN)));
    assert.equal(fixedExp(710), Infinity);
    assert.equal(fixedExp(-746), 0);
    assert.equal(fixedExp(-Infinity), 0);
    assert.equal(fixedExp(Infinity), Infinity);
  });

  test("is within 2 ulps of Math.exp (itself within 1) over y in [−700, 700], 20,001 points", () => {
    let worst = 0;
    for (let i = -10_000; i <= 10_000; i++) {
      const y = i * 0.07 + 1e-3 * Math.sin(i);
      worst = Math.max(worst, ulpsApart(fixedExp(y), Math.exp(y)));
    }
    assert.ok(worst <= 2, `worst ${worst} ulps`);
  });

  test("gives NAdam's 0.96^(tψ) within 1e-14 (relative) of ** for t up to 10⁵ at ψ = 4e-3", () => {
    for (const t of [1, 2, 10, 100, 1000, 12_345, 100_000]) {
      const ref = 0.96 ** (t * 4e-3), got = fixedExp(t * 4e-3 * -0.040821994520255166);
      assert.ok(Math.abs(got - ref) <= 1e-14 * ref, `t ${t}: ${got} vs ${ref}`);
    }
  });
});
