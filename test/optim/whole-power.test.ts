import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { wholePower } from "../../src/optim/whole-power.js";

describe("wholePower (βᵗ by repeated squaring, the same bits in every engine)", () => {
  test("is exact where the power is representable: 0.5ᵗ, 0.75ᵗ for small t, β⁰ = 1, β¹ = β", () => {
    for (let t = 0; t <= 60; t++) assert.equal(wholePower(0.5, t), 2 ** -t);
    for (let t = 0; t <= 10; t++) assert.equal(wholePower(0.75, t), 3 ** t / 4 ** t);
    assert.equal(wholePower(0.999, 0), 1);
    assert.equal(wholePower(0.999, 1), 0.999);
  });

  test("is within one ulp of the exact power (BigInt arithmetic on the double's exact value) for β 0.9, 0.99, 0.999 up to t = 10⁵", () => {
    const exact = (beta: number, t: number) => {
      // beta = m·2^e exactly; βᵗ = mᵗ·2^(e·t), rounded once to a double.
      const bits = new DataView(new ArrayBuffer(8));
      bits.setFloat64(0, beta);
      const raw = bits.getBigUint64(0), e = Number((raw >> 52n) & 0x7ffn) - 1075, m = (raw & ((1n << 52n) - 1n)) | (1n << 52n);
      const mt = m ** BigInt(t), shift = mt.toString(2).length - 60;
      return Number(mt >> BigInt(shift)) * 2 ** (shift + e * t);
    };
    for (const beta of [0.9, 0.99, 0.999]) {
      for (const t of [2, 3, 7, 13, 100, 1000, 4321, 100_000]) {
        const ref = exact(beta, t);
        if (ref === 0) continue;
        const ulps = Math.abs(wholePower(beta, t) - ref) / (ref * 2 ** -52);
        assert.ok(ulps <= 1, `${beta}^${t}: ${ulps} ulps`);
      }
    }
  });
});
