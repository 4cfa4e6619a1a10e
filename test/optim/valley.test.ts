import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

// The seeds' ill-conditioned "taco shell" valley L(w) = w₁²/64 + w₂²: Hessian diag(1/32, 2), κ = 64.
// Rates are measured from the iterates and compared with the closed forms of the convergence theory.
const LMIN = 1 / 32, LMAX = 2, KAPPA = LMAX / LMIN;

/** ‖wₜ‖ for t = 0..steps of SGD with these options on the valley, in float64. */
function norms(options: mn.optim.SGDOptions, steps: number): number[] {
  const w = mn.tensor([1, 1], { dtype: "float64", requiresGrad: true });
  const opt = new mn.optim.SGD([w], options);
  const out = [Math.hypot(w.data[0]!, w.data[1]!)];
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    w.square().mul(mn.tensor([1 / 64, 1], { dtype: "float64" })).sum().backward();
    opt.step();
    out.push(Math.hypot(w.data[0]!, w.data[1]!));
  }
  return out;
}

/** The per-step rate over steps a..b: the geometric mean (‖w_b‖/‖w_a‖)^(1/(b−a)). */
const rate = (n: number[], a: number, b: number) => (n[b]! / n[a]!) ** (1 / (b - a));

describe("convergence on the ill-conditioned valley w₁²/64 + w₂² (κ = 64)", () => {
  test("gradient descent at lr = 2/(λmin+λmax) contracts by (κ−1)/(κ+1) per step (closed form)", () => {
    const n = norms({ lr: 2 / (LMIN + LMAX) }, 200);
    const theory = (KAPPA - 1) / (KAPPA + 1);
    const measured = rate(n, 0, 200);
    assert.ok(Math.abs(measured / theory - 1) < 0.01, `measured ${measured}, theory ${theory}`);
    // Every step, not only on average: both eigen-directions contract by exactly (κ−1)/(κ+1).
    for (let t = 1; t <= 200; t++) assert.ok(Math.abs(n[t]! / n[t - 1]! / theory - 1) < 1e-9, `step ${t}`);
  });

  test("heavy-ball momentum at lr = 4/(√λmax+√λmin)², μ = ((√κ−1)/(√κ+1))² converges at (√κ−1)/(√κ+1) (closed form)", () => {
    const sk = Math.sqrt(KAPPA);
    const lr = 4 / (Math.sqrt(LMAX) + Math.sqrt(LMIN)) ** 2, momentum = ((sk - 1) / (sk + 1)) ** 2;
    const n = norms({ lr, momentum }, 300);
    const theory = (sk - 1) / (sk + 1);
    // At the optimum the iteration matrix has a double eigenvalue, so ‖wₜ‖ ~ t·rᵗ: measure on a late window,
    // where the polynomial factor contributes (300/100)^(1/200) − 1 ≈ 0.55 %.
    const measured = rate(n, 100, 300);
    assert.ok(Math.abs(measured / theory - 1) < 0.02, `measured ${measured}, theory ${theory}`);
    // And √κ times fewer steps than gradient descent for the same reduction: here 7/9 against 63/65 per step.
    const gd = rate(norms({ lr: 2 / (LMIN + LMAX) }, 300), 100, 300);
    assert.ok(Math.log(measured) / Math.log(gd) > 0.8 * sk, `log-rate ratio ${Math.log(measured) / Math.log(gd)}`);
  });
});
