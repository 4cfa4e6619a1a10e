import assert from "node:assert/strict";
import { test } from "node:test";
import { fixtureMlp } from "./hessian-fixture.js";
import { jacobiEigenvalues, withSpectrum } from "./linalg/matrices.js";

// References: test/fixtures/hessian.json — torch.autograd.functional.hessian of the MLP's mean loss, its
// torch.linalg.eigvalsh and trace (tools/gen_hessian_fixtures.py). The Hessian there is indefinite and has 7 zero eigenvalues.
const close = (a: number, b: number, label: string) => assert.ok(Math.abs(a - b) < 1e-8, `${label}: ${a} against torch's ${b}`);

test("HessianOperator.topEigen (Lanczos, the default): the 3 largest eigenvalues equal torch's eigvalsh to 1e-8, and H·v = λv", () => {
  const { H, eigenvalues } = fixtureMlp();
  const { values, vectors } = H.topEigen({ k: 3, tol: 1e-10 });
  const want = eigenvalues.slice(-3).reverse();
  values.forEach((v, i) => close(v, want[i]!, `λ${i}`));
  const hv = H.matvec(vectors[0]!);
  assert.ok(Math.hypot(...hv.map((h, i) => h - values[0]! * vectors[0]![i]!)) < 1e-8);
});

test("HessianOperator.minEigen: the most negative eigenvalue equals torch's eigvalsh[0] to 1e-8", () => {
  const { H, eigenvalues } = fixtureMlp();
  const { value, vector } = H.minEigen({ tol: 1e-10 });
  close(value, eigenvalues[0]!, "λmin");
  assert.ok(eigenvalues[0]! < 0);
  const hv = H.matvec(vector);
  assert.ok(Math.hypot(...hv.map((h, i) => h - value * vector[i]!)) < 1e-8);
});

test("HessianOperator.topEigen: Lanczos with as many steps as parameters (k = size) returns torch's whole spectrum to 1e-8, the 7 zero eigenvalues included", () => {
  const { H, eigenvalues } = fixtureMlp();
  const { values } = H.topEigen({ k: H.size });
  assert.equal(values.length, 51);
  const want = [...eigenvalues].reverse();
  values.forEach((v, i) => close(v, want[i]!, `λ${i}`));
  assert.equal(H.matvecs, 51);
});

test("HessianOperator.trace: Hutch++ whose sketch spans the 51 parameters equals torch's trace to 1e-8; the default budget (100) lands within 4 standard errors", () => {
  const { H, trace } = fixtureMlp();
  close(H.trace({ matvecs: 3 * H.size }).value, trace, "trace");
  const est = H.trace();
  assert.equal(est.matvecs, 100);
  assert.ok(Math.abs(est.value - trace) < 4 * est.stderr, `${est.value} ± ${est.stderr} against ${trace}`);
});

test("HessianOperator.topEigen: power iteration (PyHessian's) finds the largest |λ| of torch's spectrum", () => {
  const { H, eigenvalues } = fixtureMlp();
  const largest = Math.max(...eigenvalues.map(Math.abs));
  assert.ok(Math.abs(H.topEigen({ method: "power", tol: 1e-14, maxIter: 3000 }).values[0]! - largest) < 1e-8);
});

test("HessianOperator.dense (double backward, one product per column): its eigenvalues by Jacobi rotations equal torch's eigvalsh to 1e-10, its trace torch's", () => {
  const check = withSpectrum([3, -1, 0.5, 0.5, 2]);
  jacobiEigenvalues(check.matrix, 5).forEach((v, i) => assert.ok(Math.abs(v - [-1, 0.5, 0.5, 2, 3][i]!) < 1e-13, "the Jacobi reference on a closed form"));
  const { H, eigenvalues, trace } = fixtureMlp();
  const a = H.dense(), n = H.size;
  const sym = Float64Array.from(a, (_, k) => (a[k]! + a[(k % n) * n + Math.floor(k / n)]!) / 2);
  jacobiEigenvalues(sym, n).forEach((v, i) => assert.ok(Math.abs(v - eigenvalues[i]!) < 1e-10, `λ${i}: ${v} against torch's ${eigenvalues[i]}`));
  let diagonal = 0;
  for (let i = 0; i < n; i++) diagonal += a[i * n + i]!;
  assert.ok(Math.abs(diagonal - trace) < 1e-12);
});
