import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";
import { withSpectrum } from "./matrices.js";

/** A spectrum that decays as a Hessian's does: a few large eigenvalues, many small ones of both signs. */
const DECAYING = Array.from({ length: 60 }, (_, i) => 40 / (1 + i) ** 1.5 * (i % 7 === 5 ? -0.3 : 1));
const TRUE_TRACE = DECAYING.reduce((s, x) => s + x, 0);

test("trace: Hutch++ with a sketch as large as the space is exact (sum of the eigenvalues, closed form) and says so (stderr 0)", () => {
  const { matrix, n } = withSpectrum(DECAYING);
  const est = mn.landscape.trace(mn.landscape.denseOperator(matrix, n), { matvecs: 3 * n });
  assert.ok(Math.abs(est.value - TRUE_TRACE) < 1e-11, `${est.value} against ${TRUE_TRACE}`);
  assert.equal(est.stderr, 0);
  assert.equal(est.matvecs, 2 * n);
});

test("trace: over 300 seeds both estimators are unbiased (mean within 4 standard errors of the sum of the eigenvalues), their stderr matches the spread, and Hutch++'s mean squared error is smaller than Hutchinson's at equal matvecs", () => {
  const { matrix, n } = withSpectrum(DECAYING);
  const op = mn.landscape.denseOperator(matrix, n);
  const mse: Record<string, number> = {};
  for (const method of ["hutchinson", "hutch++"] as const) {
    const runs = Array.from({ length: 300 }, (_, seed) => mn.landscape.trace(op, { method, matvecs: 30, generator: new mn.Generator(seed) }));
    assert.ok(runs.every((r) => r.matvecs === 30));
    const values = runs.map((r) => r.value);
    const mean = values.reduce((s, x) => s + x, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
    assert.ok(Math.abs(mean - TRUE_TRACE) < (4 * sd) / Math.sqrt(values.length), `${method}: mean ${mean} against ${TRUE_TRACE} (sd ${sd})`);
    const rms = Math.sqrt(runs.reduce((s, r) => s + r.stderr ** 2, 0) / runs.length);
    assert.ok(rms > 0.6 * sd && rms < 1.6 * sd, `${method}: reported stderr ${rms} against the spread of the estimates ${sd}`);
    mse[method] = values.reduce((s, x) => s + (x - TRUE_TRACE) ** 2, 0) / values.length;
  }
  assert.ok(mse["hutch++"]! < mse["hutchinson"]! / 4, `MSE hutch++ ${mse["hutch++"]} against hutchinson ${mse["hutchinson"]}`);
});

test("trace: too small a budget is refused (exact messages)", () => {
  const op = mn.landscape.denseOperator(new Float64Array([2, 0, 0, 1]), 2);
  assert.throws(() => mn.landscape.trace(op, { matvecs: 3 }), { message: "trace: invalid matvecs; expected at least 4 for hutch++ (a sketch, its products and two probes), got 3" });
  assert.throws(() => mn.landscape.trace(op, { method: "hutchinson", matvecs: 1 }), { message: "trace: invalid matvecs; expected at least 2 (two probes give a standard error), got 1" });
  assert.throws(() => mn.landscape.trace(op, { method: "hutch" as "hutch++" }), { message: 'trace: invalid method; expected one of "hutch++", "hutchinson", got "hutch"' });
});
