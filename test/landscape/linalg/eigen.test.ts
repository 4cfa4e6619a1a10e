import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";
import { alignment, withSpectrum } from "./matrices.js";

const SPECTRUM = [5, 3.5, 3, 1, 0.5, 0, 0, -0.25, -1, -2, 2.2, 0.1, -0.7, 4.1, 1.3, -3, 0.9, 2.7, -1.5, 0.05];

test("topEigen (Lanczos): the 3 largest eigenvalues and eigenvectors of U·diag(λ)·Uᵀ equal λ's and U's columns (closed form)", () => {
  const { matrix, n, eigenvector } = withSpectrum(SPECTRUM);
  const { values, vectors, residuals } = mn.landscape.topEigen(mn.landscape.denseOperator(matrix, n), { k: 3, tol: 1e-12 });
  assert.equal(values.length, 3);
  [5, 4.1, 3.5].forEach((want, i) => assert.ok(Math.abs(values[i]! - want) < 1e-10, `λ${i} = ${values[i]}, expected ${want}`));
  [0, 13, 1].forEach((col, i) => assert.ok(Math.abs(alignment(vectors[i]!, eigenvector(col)) - 1) < 1e-10, `vector ${i}`));
  for (const r of residuals!) assert.ok(r < 1e-11 * 5);
});

test("minEigen (Lanczos): the most negative eigenvalue −3 and its eigenvector (closed form), where power iteration returns the largest |λ| (5)", () => {
  const { matrix, n, eigenvector } = withSpectrum(SPECTRUM);
  const op = mn.landscape.denseOperator(matrix, n);
  const { value, vector } = mn.landscape.minEigen(op, { tol: 1e-12 });
  assert.ok(Math.abs(value + 3) < 1e-10, `λmin = ${value}`);
  assert.ok(Math.abs(alignment(vector, eigenvector(15)) - 1) < 1e-10);
  assert.ok(Math.abs(mn.landscape.topEigen(op, { method: "power", tol: 1e-12, maxIter: 2000 }).values[0]! - 5) < 1e-8);
});

test("topEigen: k = size returns the whole spectrum, repeated eigenvalues included (Lanczos restarts after a breakdown)", () => {
  const lambda = [2, 2, 2, 1, 0, 0, 0, 0, -1, -1];
  const { matrix, n } = withSpectrum(lambda);
  const { values } = mn.landscape.topEigen(mn.landscape.denseOperator(matrix, n), { k: n });
  const want = [...lambda].sort((a, b) => b - a);
  want.forEach((w, i) => assert.ok(Math.abs(values[i]! - w) < 1e-12, `λ${i} = ${values[i]}, expected ${w}`));
});

test("topEigen: same generator seed, same result; the default start is fixed (deterministic)", () => {
  const { matrix, n } = withSpectrum(SPECTRUM);
  const op = mn.landscape.denseOperator(matrix, n);
  const a = mn.landscape.topEigen(op, { k: 2, maxIter: 6, onWarning: () => {} });
  const b = mn.landscape.topEigen(op, { k: 2, maxIter: 6, onWarning: () => {} });
  const c = mn.landscape.topEigen(op, { k: 2, maxIter: 6, onWarning: () => {}, generator: new mn.Generator(5) });
  assert.deepEqual(a.values, b.values);
  assert.notDeepEqual(a.values, c.values);
});

test("topEigen: stopped by maxIter before converging, it warns with the residual (exact message)", () => {
  const { matrix, n } = withSpectrum(SPECTRUM);
  const warnings: string[] = [];
  mn.landscape.topEigen(mn.landscape.denseOperator(matrix, n), { maxIter: 4, onWarning: (m) => warnings.push(m) });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^topEigen: Lanczos stopped at maxIter = 4 steps before converging \(relative residual \d\.\de-\d+ > tol 1e-6\); raise maxIter or tol$/);
});

test("topEigen (power): an eigenvalue stopped by maxIter before meeting tol warns (exact message); one that meets it does not", () => {
  const { matrix, n } = withSpectrum(SPECTRUM);
  const op = mn.landscape.denseOperator(matrix, n);
  const warnings: string[] = [];
  mn.landscape.topEigen(op, { method: "power", k: 2, maxIter: 3, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, [
    "topEigen: power iteration stopped at maxIter = 3 iterations before eigenvalue 1 met tol 1e-3 (|Δλ|/(|λ| + 1e-6) per iteration)",
    "topEigen: power iteration stopped at maxIter = 3 iterations before eigenvalue 2 met tol 1e-3 (|Δλ|/(|λ| + 1e-6) per iteration)",
  ]);
  warnings.length = 0;
  mn.landscape.topEigen(op, { method: "power", maxIter: 1000, onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, []);
});

test("topEigen and minEigen: bad options are refused with the value and what was expected (exact messages)", () => {
  const op = mn.landscape.denseOperator(new Float64Array([2, 0, 0, 1]), 2);
  assert.throws(() => mn.landscape.topEigen(op, { k: 3 }), { message: "topEigen: invalid k; expected at most the operator's size 2, got 3" });
  assert.throws(() => mn.landscape.topEigen(op, { k: 0 }), { message: "topEigen: invalid k; expected a positive integer, got 0" });
  assert.throws(() => mn.landscape.topEigen(op, { method: "arnoldi" as "power" }), { message: 'topEigen: invalid method; expected one of "lanczos", "power", got "arnoldi"' });
  assert.throws(() => mn.landscape.topEigen(op, { k: 2, maxIter: 1 }), { message: "topEigen: invalid maxIter; expected at least k = 2 (one Lanczos step per eigenvalue wanted), got 1" });
  assert.throws(() => mn.landscape.minEigen(op, { k: 2 } as object), { message: 'minEigen: unknown option "k"; expected one of tol, maxIter, generator, onWarning' });
});
