import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../src/index.node.js";
import { loadFixture } from "../helpers/fixtures.js";
import { fixtureMlp } from "./hessian-fixture.js";

// References: test/fixtures/hessian.json (torch.autograd.functional.hessian of a float64 MLP, 51 parameters: its eigvalsh
// and trace) and test/fixtures/curvature.json (tools/gen_hessian_fixtures.py too: eigvalsh of each module's diagonal block,
// and the share of eigenvalues below zero).
const close = (a: number, b: number, label: string, tol = 1e-8) => assert.ok(Math.abs(a - b) < tol, `${label}: ${a} against torch's ${b}`);

test("curvatureSummary: with Krylov spaces as large as the model, every figure equals torch's exact Hessian to 1e-8", () => {
  const { H, eigenvalues, trace } = fixtureMlp();
  const fx = loadFixture("curvature.json");
  // 153 products: Hutch++'s sketch of 51 spans the whole space, so the trace is exact; SLQ with 51 steps is exact too.
  const s = mn.landscape.curvatureSummary(H, { k: 3, traceMatvecs: 153, densityRuns: 2, densitySteps: 51, lr: 0.5 });
  const n = eigenvalues.length, lambdaMax = eigenvalues[n - 1]!, lambdaMin = eigenvalues[0]!;
  assert.equal(s.parameters, 51);
  s.topEigenvalues.forEach((v, i) => close(v, eigenvalues[n - 1 - i]!, `λ${i}`));
  close(s.lambdaMax, lambdaMax, "λmax");
  close(s.lambdaMin, lambdaMin, "λmin");
  close(s.minOverMax, Math.abs(lambdaMin / lambdaMax), "|λmin/λmax|");
  close(s.trace.value, trace, "trace");
  close(s.traceOverN, trace / 51, "trace/n");
  assert.deepEqual(s.layers.map((l) => [l.name, l.parameters]), [["0", 30], ["2", 21]]);
  for (const l of s.layers) close(l.lambdaMax, fx.blockLambdaMax[l.name] as number, `λmax of block ${l.name}`);
  assert.deepEqual(s.stability, { lr: 0.5, lrTimesLambdaMax: 0.5 * s.lambdaMax, limit: 2 });
  for (const run of s.density.runs) close(run.weights.reduce((a, b) => a + b, 0), 1, "a run's weights sum");
});

test("curvatureSummary: SLQ's share of negative eigenvalues, over 100 runs, is torch's 18/51 within 0.05 (each run weighs the eigenvalues by a random start's squared components: about ±0.12 a run)", () => {
  const { H } = fixtureMlp();
  const fx = loadFixture("curvature.json");
  const s = mn.landscape.curvatureSummary(H, { k: 1, traceMatvecs: 4, densityRuns: 100, densitySteps: 51, perLayer: false });
  close(s.negativeFraction, fx.negativeFraction as number, "negative fraction", 0.05);
});

test("curvatureSummary: counts every product it took, blocks included, and repeats exactly with the same seed", () => {
  const a = fixtureMlp(), b = fixtureMlp();
  const options = { k: 2, traceMatvecs: 12, densityRuns: 2, densitySteps: 10, seed: 3 };
  const sa = mn.landscape.curvatureSummary(a.H, options), sb = mn.landscape.curvatureSummary(b.H, options);
  assert.deepEqual(sa, sb);
  assert.ok(sa.matvecs > a.H.matvecs, `block products (${sa.matvecs - a.H.matvecs}) are counted beside the whole operator's ${a.H.matvecs}`);
  assert.equal(sa.stability, null);
  assert.throws(() => mn.landscape.curvatureSummary(a.H, { k: 0 }), { message: "curvatureSummary: invalid k; expected a positive integer, got 0" });
});
