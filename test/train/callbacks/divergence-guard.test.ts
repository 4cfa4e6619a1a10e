import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { digits, model, weights } from "../fit-helpers.js";

const { fit, callbacks: cb } = mn.train;

describe("divergence", () => {
  test("TerminateOnNaN stops at the first NaN loss; DivergenceGuard at a loss exploding past 10× the first (lr 1e4), saying where", () => {
    const { train } = digits(256);
    const poison = new cb.LambdaCallback({ onBeforeStep: (ctx) => { if (ctx.step === 9) ctx.model.parameters().at(-1)!.grad!.data[0] = NaN; } });
    const m = model(6);
    const h = fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.01 }), epochs: 3, batchSize: 16, callbacks: [poison, new cb.TerminateOnNaN()] });
    assert.equal(h.steps.length, 11); // step 10 made the output bias NaN; step 11's loss is the first NaN
    assert.equal(h.stopReason, "loss became NaN at step 11 (epoch 1)");
    assert.equal(h.epochs.length, 0);
    const m2 = model(6);
    const h2 = fit(m2, { train, optimizer: new mn.optim.SGD(m2.parameters(), { lr: 1e4 }), epochs: 3, batchSize: 16, callbacks: [new cb.DivergenceGuard()] });
    const first = h2.steps[0]!.loss;
    const at = h2.steps.findIndex((s) => s.loss > 10 * first);
    assert.ok(at > 0, "the loss explodes");
    assert.equal(h2.steps.length, at + 1);
    assert.match(h2.stopReason!, new RegExp(`^diverged: loss exploded to .*, over 10× the first loss ${first.toPrecision(4).replace(".", "\\.")} at step ${at + 1} \\(epoch 1\\); the learning rate is probably too high$`));
  });

  test("DivergenceGuard rollback puts back the last healthy epoch's weights and cuts the lr, then trains on", () => {
    const { train } = digits(256);
    const m = model(7);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.05 });
    let epoch1: [string, number[]][] = [];
    const spike = new cb.LambdaCallback({
      onEpochEnd: (ctx, log) => { if (log.epoch === 1) epoch1 = weights(ctx.model).map(([k, v]) => [k, v]); },
      // Poison one step of epoch 2: the gradient becomes NaN, so the step ruins the weights.
      onBeforeStep: (ctx) => { if (ctx.step === 20) ctx.model.parameters().at(-1)!.grad!.data[0] = NaN; },
    });
    const guard = new cb.DivergenceGuard({ action: "rollback", lrFactor: 0.5 });
    let afterRollback: [string, number[]][] = [];
    const peek = new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 22) afterRollback = weights(ctx.model).map(([k, v]) => [k, v]); } });
    const h = fit(m, { train, optimizer: opt, epochs: 3, batchSize: 16, callbacks: [spike, guard, peek] });
    assert.equal(h.stopReason, null);
    assert.equal(guard.rollbackCount, 1);
    assert.equal(opt.paramGroups[0]!.lr, 0.025);
    assert.equal(h.events.length, 1);
    assert.match(h.events[0]!.message, /^divergence guard: loss became NaN at step 22 \(epoch 2\); rolled back to the weights of epoch 1 and cut the learning rate to 0\.0250$/);
    assert.equal(h.epochs.length, 3);
    assert.ok(Number.isFinite(h.epochs[2]!.loss));
    assert.ok(epoch1.length > 0 && afterRollback.length > 0);
    // Step 21 made the output bias NaN, step 22's loss is NaN: the guard restores epoch 1's end right there.
    assert.ok(epoch1.length > 0);
    assert.deepEqual(afterRollback, epoch1);
    assert.ok(Number.isNaN(h.steps[21]!.loss) && h.steps.filter((s) => !Number.isFinite(s.loss)).length === 1);
  });

  test("DivergenceGuard rollback with a per-step cosine schedule: later steps run at lrFactor × the closed form (the base lrs are cut too)", () => {
    const { train } = digits(256);
    const m = model(7);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.05 });
    const sched = new mn.optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 48 });
    const poison = new cb.LambdaCallback({ onBeforeStep: (ctx) => { if (ctx.step === 20) ctx.model.parameters().at(-1)!.grad!.data[0] = NaN; } });
    const h = fit(m, { train, optimizer: opt, scheduler: { scheduler: sched, interval: "step" }, epochs: 3, batchSize: 16,
      callbacks: [poison, new cb.DivergenceGuard({ action: "rollback", lrFactor: 0.5 })] });
    assert.equal(h.events.length, 1, "one rollback, at step 22");
    assert.equal(h.steps.length, 48);
    const cosine = (t: number) => (0.05 * (1 + Math.cos((Math.PI * t) / 48))) / 2;
    // Step k uses the lr the schedule set after step k − 1; the cut comes after step 22's.
    h.steps.forEach((s) => {
      const expected = (s.step <= 22 ? 1 : 0.5) * cosine(s.step - 1);
      assert.ok(Math.abs(s.lr - expected) < 1e-15, `step ${s.step}: lr ${s.lr}, closed form ${expected}`);
    });
    assert.deepEqual(sched.baseLrs, [0.025]);
  });

  test("DivergenceGuard rollback refuses a scheduler that cannot scale its base lrs, whose next step would undo the cut (exact text)", () => {
    const { train } = digits(64);
    const m = model(7);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.05 });
    class Halving { lastEpoch = 0; step() { this.lastEpoch++; opt.paramGroups[0]!.lr = 0.05 / 2 ** this.lastEpoch; } stateDict() { return {}; } loadStateDict() {} }
    assert.throws(() => fit(m, { train, optimizer: opt, scheduler: new Halving(), epochs: 1, batchSize: 16, callbacks: [new cb.DivergenceGuard({ action: "rollback" })] }),
      { message: 'DivergenceGuard: action "rollback" cuts the learning rate, but the scheduler (Halving) has no scaleBaseLrs(factor), so its next step would undo the cut; expected an mn.optim.lrScheduler scheduler, a scheduler with scaleBaseLrs, or action "stop"' });
    // With action "stop" nothing is cut, so the same scheduler is fine.
    const h = fit(m, { train, optimizer: opt, scheduler: new Halving(), epochs: 1, batchSize: 16, callbacks: [new cb.DivergenceGuard()] });
    assert.equal(h.epochs.length, 1);
  });
  describe("the smoothed-loss rule: over 10× its lowest and above the first loss, like the diagnosis's", () => {
    /** Feeds `losses` to a fresh guard batch by batch; the reason it stopped, or null. */
    const feed = (losses: number[]): string | null => {
      const guard = new cb.DivergenceGuard();
      let reason: string | null = null;
      const ctx = { stop: (r: string) => { reason ??= r; } } as unknown as mn.train.FitContext;
      losses.forEach((loss, i) => guard.onBatchEnd(ctx, { step: i + 1, epoch: 1, batch: i, loss } as unknown as mn.train.BatchLog));
      return reason;
    };
    // A memorized training set in small batches: the loss falls to ~1e-3, then one bad batch (1.5).
    const fitted = [2.3, 1.2, 0.5, ...Array.from({ length: 40 }, () => 1e-3)];
    test("one bad batch near a zero loss (smoothed 0.15, 100× its lowest but far below the first loss 2.3) is not divergence", () => {
      assert.equal(feed([...fitted, 1.5]), null);
    });
    test("a loss climbing past the first loss from there is", () => {
      const reason = feed([...fitted, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
      assert.match(reason ?? "", /^diverged: the smoothed loss rose to \S+, over 10× its lowest \S+ and above the first loss 2\.300 at step \d+ \(epoch 1\)/);
    });
  });
});
