import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { assertClose } from "../helpers/fixtures.js";
import { makeOptimizer } from "./cases.js";

const S = mn.optim.lrScheduler;
const tol = { rtol: 1e-12, atol: 0 };

/** group g's lr after each of `steps` steps. */
function sequence(make: (opt: mn.optim.SGD) => { step(): void }, groups: number[], steps = 250): number[][] {
  const opt = makeOptimizer(groups);
  const sched = make(opt);
  const out = groups.map((_, g) => [opt.paramGroups[g]!.lr]);
  for (let k = 1; k < steps; k++) {
    sched.step();
    opt.paramGroups.forEach((p, g) => out[g]!.push(p.lr));
  }
  return out;
}

describe("InverseTimeLR", () => {
  // Keras' InverseTimeDecay docstring: initial_learning_rate / (1 + decay_rate * step / decay_step),
  // and with staircase: initial_learning_rate / (1 + decay_rate * floor(step / decay_step)).
  test("matches Keras' InverseTimeDecay formula over 250 steps (closed form)", () => {
    const lrs = sequence((o) => new S.InverseTimeLR(o, { decaySteps: 10, decayRate: 0.5 }), [0.1, 0.03]);
    [0.1, 0.03].forEach((base, g) => assertClose(lrs[g]!, lrs[g]!.map((_, t) => base / (1 + (0.5 * t) / 10)), tol, `group ${g}`));
  });
  test("staircase: matches Keras' formula over 250 steps (closed form)", () => {
    const lrs = sequence((o) => new S.InverseTimeLR(o, { decaySteps: 7, decayRate: 2, staircase: true }), [0.1]);
    assertClose(lrs[0]!, lrs[0]!.map((_, t) => 0.1 / (1 + 2 * Math.floor(t / 7))), tol, "staircase");
  });
});

describe("InverseSqrtLR", () => {
  test("matches fairseq's inverse_sqrt schedule over 250 steps (closed form)", () => {
    // fairseq: lr_step = (lr − warmup_init_lr) / warmup_updates; decay_factor = lr · √warmup_updates;
    // lr = warmup_init_lr + t · lr_step while t < warmup_updates, else decay_factor / √t.
    const [lr, init, w] = [0.1, 0.01, 30];
    const lrs = sequence((o) => new S.InverseSqrtLR(o, { warmupSteps: w, warmupInitLr: init }), [lr]);
    const lrStep = (lr - init) / w, decay = lr * w ** 0.5;
    assertClose(lrs[0]!, lrs[0]!.map((_, t) => (t < w ? init + t * lrStep : decay * t ** -0.5)), tol, "fairseq");
  });
  test('is "Attention Is All You Need" eq. 3, d^−0.5 · min(t^−0.5, t · W^−1.5), rescaled to peak at the base lr (closed form)', () => {
    const [base, w, d] = [0.002, 40, 512];
    const lrs = sequence((o) => new S.InverseSqrtLR(o, { warmupSteps: w }), [base]);
    const vaswani = (t: number) => d ** -0.5 * Math.min(t ** -0.5, t * w ** -1.5);
    assert.equal(lrs[0]![0], 0);
    assertClose(lrs[0]!.slice(1), lrs[0]!.slice(1).map((_, i) => (base * vaswani(i + 1)) / vaswani(w)), tol, "Vaswani et al.");
  });
  test("with warmupInitLr = base it is T5's 1/√max(t, W), rescaled (closed form)", () => {
    const lrs = sequence((o) => new S.InverseSqrtLR(o, { warmupSteps: 25, warmupInitLr: 0.1 }), [0.1]);
    assertClose(lrs[0]!, lrs[0]!.map((_, t) => (0.1 * Math.sqrt(25)) / Math.sqrt(Math.max(t, 25))), tol, "T5");
  });
});
