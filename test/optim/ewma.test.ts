import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe("EWMA", () => {
  test("a constant stream with bias correction is that constant from the very first step (closed form)", () => {
    for (const beta of [0, 0.5, 0.9, 0.999]) {
      const avg = new mn.optim.EWMA({ beta });
      for (let t = 1; t <= 50; t++) close(avg.update(3.7), 3.7);
    }
  });

  test("without bias correction a constant c gives (1 − βᵗ)·c (closed form)", () => {
    const avg = new mn.optim.EWMA({ beta: 0.9, biasCorrection: false });
    for (let t = 1; t <= 50; t++) close(avg.update(2), (1 - 0.9 ** t) * 2);
    close(avg.raw, (1 - 0.9 ** 50) * 2);
  });

  test("follows vₜ = βvₜ₋₁ + (1−β)xₜ, v̂ₜ = vₜ/(1−βᵗ) (the recurrence, written out)", () => {
    const avg = new mn.optim.EWMA({ beta: 0.8 });
    const xs = [1, 4, -2, 0.5, 10];
    let v = 0;
    xs.forEach((x, i) => {
      v = 0.8 * v + (1 - 0.8) * x;
      assert.equal(avg.update(x), v / (1 - 0.8 ** (i + 1)));
    });
    assert.equal(avg.count, 5);
    assert.equal(avg.raw, v);
  });

  test("defaults: beta 0.9, bias correction on; value before any update is an error; reset", () => {
    const avg = new mn.optim.EWMA();
    assert.equal(avg.beta, 0.9);
    assert.equal(avg.biasCorrection, true);
    assert.throws(() => avg.value, /EWMA.value: no value has been averaged yet/);
    avg.update(5);
    assert.equal(avg.value, 5);
    avg.reset();
    assert.equal(avg.count, 0);
    assert.equal(avg.raw, 0);
    close(avg.update(1), 1);
  });

  test("a NaN in the stream shows in the average (a diverged loss is not hidden)", () => {
    const avg = new mn.optim.EWMA();
    avg.update(1);
    assert.ok(Number.isNaN(avg.update(NaN)));
  });

  test("stateDict round trip: stopping at step k and restoring continues exactly", () => {
    const xs = Array.from({ length: 30 }, (_, i) => Math.sin(i) * 3 + i / 10);
    const full = new mn.optim.EWMA({ beta: 0.95 });
    const expected = xs.map((x) => full.update(x));
    const first = new mn.optim.EWMA({ beta: 0.95 });
    xs.slice(0, 12).forEach((x) => first.update(x));
    const saved = JSON.parse(JSON.stringify(first.stateDict()));
    const resumed = new mn.optim.EWMA({ beta: 0.95 });
    resumed.loadStateDict(saved);
    assert.equal(resumed.count, 12);
    xs.slice(12).forEach((x, i) => assert.equal(resumed.update(x), expected[12 + i]));
  });

  test("loadStateDict rejects a state of another beta, and a malformed one", () => {
    const sd = new mn.optim.EWMA({ beta: 0.9 }).stateDict();
    assert.throws(() => new mn.optim.EWMA({ beta: 0.99 }).loadStateDict(sd), /EWMA.loadStateDict: the state dict has beta 0.9, biasCorrection true; this EWMA has beta 0.99/);
    assert.throws(() => new mn.optim.EWMA().loadStateDict({ ...sd, count: -1 }), /EWMA.loadStateDict: not an EWMA state dict/);
    assert.throws(() => new mn.optim.EWMA().loadStateDict(null as never), /not an EWMA state dict/);
  });

  test("bad options fail with clear messages", () => {
    assert.throws(() => new mn.optim.EWMA({ beta: 1 }), /EWMA: invalid beta; expected a number in \[0, 1\), got 1/);
    assert.throws(() => new mn.optim.EWMA({ beta: -0.1 }), /EWMA: invalid beta/);
    assert.throws(() => new mn.optim.EWMA({ biasCorrection: "yes" } as never), /EWMA: invalid biasCorrection; expected true or false, got "yes"/);
    assert.throws(() => new mn.optim.EWMA({ bias_correction: false } as never), /unknown option "bias_correction" — did you mean "biasCorrection"\?/);
    assert.throws(() => new mn.optim.EWMA().update("1" as never), /EWMA.update: expected a number, got string/);
  });
});

describe("ewmaSeries", () => {
  test("equals a loop of EWMA.update, with and without bias correction", () => {
    const xs = Array.from({ length: 40 }, (_, i) => Math.cos(i / 3) + (i % 7) / 5);
    for (const biasCorrection of [true, false]) {
      const avg = new mn.optim.EWMA({ beta: 0.7, biasCorrection });
      assert.deepEqual(mn.optim.ewmaSeries(xs, 0.7, { biasCorrection }), xs.map((x) => avg.update(x)));
    }
  });

  test("defaults to beta 0.9 with bias correction; takes typed arrays; empty in, empty out", () => {
    const series = mn.optim.ewmaSeries(Float64Array.from([4, 4, 4]));
    series.forEach((v) => close(v, 4));
    assert.deepEqual(mn.optim.ewmaSeries([]), []);
  });

  test("bad arguments fail with clear messages", () => {
    assert.throws(() => mn.optim.ewmaSeries([1], 1.5), /ewmaSeries: invalid beta; expected a number in \[0, 1\), got 1.5/);
    assert.throws(() => mn.optim.ewmaSeries([1], 0.9, { beta: 0.5 } as never), /ewmaSeries: unknown option "beta"/);
    assert.throws(() => mn.optim.ewmaSeries(5 as never), /ewmaSeries: values must be an array of numbers/);
  });
});
