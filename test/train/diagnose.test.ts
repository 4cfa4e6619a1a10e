import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

import { decay, epochsOnly, healthyLayers, healthyRun, historyOf, kinds, only, type LayerSpec } from "./diagnose-helpers.js";

describe("diagnose: healthy runs", () => {
  test("a decaying curve with mild noise is healthy, not overfitting, too-low or noisy (exp decay, σ = 0.1)", () => {
    const d = mn.train.diagnose(healthyRun());
    assert.deepEqual(kinds(d), ["healthy"]);
    assert.equal(d.findings[0]!.severity, "info");
    assert.match(d.findings[0]!.message, /^Healthy: the training loss fell from 2\.\d\d to 0\.2\d over 10 epochs \(1000 steps\); validation loss 0\.\d\d at the end \(best 0\.\d\d at epoch 10\)/);
    assert.equal(d.summary, "Healthy: no problems found.");
  });

  test("a run that fell from 2.3 to 0.3 within its first epoch and then flattened is converged, not lr-too-low (tau = 8 steps)", () => {
    const losses = decay(1000, { start: 2.3, floor: 0.3, tau: 8, noise: 0.05, seed: 3 });
    const g = new mn.Generator(11);
    const d = mn.train.diagnose(historyOf(losses, { val: () => ({ valLoss: 0.33 + 0.002 * g.normal() }), layers: healthyLayers() }));
    assert.deepEqual(kinds(d), ["healthy"]);
    // The same run seen only through its epochs: epoch 1's mean still carries the drop.
    const h = historyOf(losses);
    h.steps = [];
    assert.deepEqual(kinds(mn.train.diagnose(h)), ["healthy"]);
  });
});

describe("diagnose: diverging", () => {
  test("a NaN loss at step 50 is diverging at step 50, ahead of everything else", () => {
    const losses = [...decay(49, { start: 2.3, floor: 0.5, tau: 20, noise: 0.05 }), NaN];
    const d = mn.train.diagnose(historyOf(losses, { stopReason: "loss became NaN at step 50 (epoch 1)" }));
    const f = d.findings[0]!;
    assert.equal(f.kind, "diverging");
    assert.equal(f.severity, "problem");
    assert.equal(f.step, 50);
    assert.equal(f.epoch, 1);
    assert.match(f.message, /^Diverging: the training loss became NaN at step 50 \(epoch 1\); it had gone from 2\.\d\d to 0\.\d\d before\. The run was stopped: loss became NaN at step 50 \(epoch 1\)\.$/);
    assert.match(f.advice, /3–10×/);
    assert.equal(d.summary, "Problem: diverging at step 50.");
  });

  test("a loss that jumps to a big value and sits there (lr 10) is diverging at the jump, not lr-too-low", () => {
    const g = new mn.Generator(5);
    const losses = [2.3, 25, ...Array.from({ length: 200 }, () => 18 * Math.exp(0.005 * g.normal()))];
    const d = mn.train.diagnose(historyOf(losses, { lr: 10 }));
    assert.deepEqual(kinds(d), ["diverging"]);
    assert.equal(d.findings[0]!.step, 2);
    assert.match(d.findings[0]!.message, /ended at \d\d\.\d\d, 7\.8× its lowest 2\.30 and above its start 2\.30; it passed 3× the lowest at step 2/);
  });

  test("a jump that kills the ReLUs and leaves the loss flat near its start is diverging with dead layers, not lr-too-low", () => {
    const g = new mn.Generator(6);
    const losses = [2.3, 9, ...Array.from({ length: 300 }, () => 2.31 * Math.exp(0.001 * g.normal()))];
    const dead = (name: string): LayerSpec => ({ name, ratio: (s) => (s === 1 ? 0.5 : 0), grad: (s) => (s === 1 ? 3 : 0) });
    const layers = [dead("fc1.weight"), dead("fc1.bias"), dead("fc2.weight"), { name: "fc2.bias", ratio: () => 0.3, grad: () => 0.2 }];
    const d = mn.train.diagnose(historyOf(losses, { lr: 10, layers }));
    assert.deepEqual(kinds(d), ["diverging", "dead-layer", "fast-layer"]);
    assert.equal(d.findings[1]!.layer, "fc1.weight, fc1.bias, fc2.weight");
    assert.equal(d.findings[0]!.step, 2);
    assert.match(d.findings[0]!.message, /blew up from 2\.30 to 9\.00 at step 2 and never got back below its start \(2\.31 at the end\)/);
    assert.equal(d.summary, "Problems: diverging at step 2, dead-layer fc1.weight, fc1.bias, fc2.weight; also 1 warning.");
  });

  test("a finite loss that runs away far above its start is diverging where it left for good", () => {
    const losses = [...decay(100, { start: 2.3, floor: 0.8, tau: 30, noise: 0.02 }), ...Array.from({ length: 50 }, (_, i) => 0.8 * 1.2 ** (i + 1))];
    const d = mn.train.diagnose(historyOf(losses));
    assert.equal(d.findings[0]!.kind, "diverging");
    // The lowest level is the decay's end, 0.8 + 1.5·e^(−99/30) = 0.855; 0.8·1.2⁷ = 2.87 at step 107 is the first loss above 3× that.
    assert.equal(d.findings[0]!.step, 107);
  });

  test("a guard that stopped a run after 3 steps: the few steps still show the blow-up", () => {
    const h = historyOf([2.3, 40, 12000], { stopReason: "diverged: loss exploded to 1.200e+4, over 10× the first loss 2.300 at step 3 (epoch 1); the learning rate is probably too high" });
    h.epochs = [];
    const d = mn.train.diagnose(h);
    assert.deepEqual(kinds(d), ["diverging"]);
    assert.equal(d.findings[0]!.step, 2);
    assert.match(d.findings[0]!.message, /The run was stopped: diverged: loss exploded/);
  });

  test("a NaN that a guard rolled back from is diverging as a warning, naming what the guard did", () => {
    const losses = decay(300, { start: 2.3, floor: 0.3, tau: 60, noise: 0.05 });
    losses[29] = NaN;
    const h = historyOf(losses);
    h.events = [{ step: 30, epoch: 1, message: "divergence guard: loss became NaN; rolled back to the last healthy epoch and cut the learning rate to 0.0100" }];
    const f = mn.train.diagnose(h).findings[0]!;
    assert.equal(f.kind, "diverging");
    assert.equal(f.severity, "warning");
    assert.equal(f.step, 30);
    assert.match(f.message, /became NaN at step 30 \(epoch 1\); .* It recovered and ended at 0\.3\d \(divergence guard: loss became NaN; rolled back .*\)\.$/);
  });

  test("finite blow-ups a rollback guard caught (events) make a diverging warning with the lr before and after", () => {
    const losses = decay(300, { start: 2.3, floor: 0.3, tau: 60, noise: 0.05 });
    const h = historyOf(losses, { lr: 10 });
    h.steps.forEach((s) => { if (s.step > 40) s.lr = 1; });
    h.events = [{ step: 40, epoch: 1, message: "divergence guard: loss exploded to 38.5, over 10× the first loss 2.30 at step 40 (epoch 1); rolled back to the initial weights and cut the learning rate to 1.00" }];
    const f = mn.train.diagnose(h).findings[0]!;
    assert.deepEqual([f.kind, f.severity, f.step], ["diverging", "warning", 40]);
    assert.equal(f.message, "Diverging at first: the divergence guard rolled the run back 1 time (lr 10.00 at the start, 1.00 at the end), first at step 40: loss exploded to 38.5, over 10× the first loss 2.30 at step 40 (epoch 1); rolled back to the initial weights and cut the learning rate to 1.00.");
  });

  test("a lone spike in a run that recovers is not diverging", () => {
    const losses = decay(1000, { start: 2.3, floor: 0.25, tau: 150, noise: 0.1 });
    losses[400] = 50;
    assert.ok(!kinds(mn.train.diagnose(historyOf(losses))).includes("diverging"));
  });
});

describe("diagnose: learning rate too low", () => {
  const g = new mn.Generator(9);
  // lr 1e-7: 2.3026 drifting down 0.5% over 300 steps, ±0.2% batch noise.
  const flat = Array.from({ length: 300 }, (_, i) => 2.3026 * (1 - 0.005 * (i / 300)) * Math.exp(0.002 * g.normal()));
  const tiny = ["fc1.weight", "fc2.weight"].map((name): LayerSpec => ({ name, ratio: () => 3e-8, grad: () => 0.4 }));

  test("a flat loss far above zero with update/weight ratios of 3e-8 is lr-too-low, with the numbers", () => {
    const d = mn.train.diagnose(historyOf(flat, { lr: 1e-7, layers: tiny, val: () => ({ valLoss: 2.302, accuracy: 0.1, valAccuracy: 0.1 }) }));
    assert.deepEqual(kinds(d), ["lr-too-low", "slow-layer"]);
    const f = d.findings[0]!;
    assert.equal(f.severity, "problem");
    assert.match(f.message, /^Learning rate too low: the training loss barely moved at lr 1\.0e-7 \(2\.\d{3} → 2\.\d{3} over 300 steps, [−+]0\.\d\d%\) and stays far above zero; the median update\/weight ratio of the layers is 3\.0e-8, where about 1e-3 is healthy\.$/);
    assert.match(f.advice, /10×/);
    assert.equal(d.findings[1]!.message, "Slow layers: median update/weight ratio fc1.weight 3.0e-8, fc2.weight 3.0e-8 (over 30 recorded steps); about 1e-3 is healthy.");
  });

  test("without layer data the flat curve alone says lr-too-low", () => {
    assert.deepEqual(kinds(mn.train.diagnose(historyOf(flat))), ["lr-too-low"]);
  });

  test("a flat loss while the weights move at a normal pace is not lr-too-low: the updates do not help", () => {
    const d = mn.train.diagnose(historyOf(flat, { layers: healthyLayers() }));
    assert.deepEqual(kinds(d), ["underfitting"]);
    assert.match(d.findings[0]!.message, /although the weights move at a normal pace; the median update\/weight ratio of the layers is (1\.\de-3|9\.\de-4)/);
  });
});

describe("diagnose: oscillating and noisy", () => {
  test("a per-step loss with no downward trend and ±40% swings is oscillating, not lr-too-low", () => {
    const g = new mn.Generator(12);
    const losses = Array.from({ length: 400 }, () => 1.5 * Math.exp(0.4 * g.normal()));
    const d = mn.train.diagnose(historyOf(losses, { lr: 0.5 }));
    assert.deepEqual(kinds(d), ["oscillating"]);
    assert.match(d.findings[0]!.message, /no downward trend at lr 5\.0e-1 .* while swinging ±\d\d% around its level from step to step/);
  });

  test("epoch losses going up and down without improving are oscillating", () => {
    const d = mn.train.diagnose(epochsOnly([1.2, 0.9, 1.1, 0.8, 1.3, 0.95, 1.2].map((l) => [l, null, null, null] as const)));
    assert.deepEqual(kinds(d), ["oscillating"]);
  });

  test("an epoch loss that learned, then rose in 3 of 6 epochs and ended above its best, is oscillating at the largest jump", () => {
    const d = mn.train.diagnose(epochsOnly([1.2, 0.6, 0.75, 0.5, 0.7, 0.55, 0.7].map((l) => [l, null, null, null] as const)));
    const f = only(d, "oscillating");
    assert.equal(f.epoch, 5);
    assert.equal(f.message, "Oscillating: the epoch training loss went up in 3 of 6 epochs (the largest jump 0.50 → 0.70 at epoch 5) and ended at 0.70, above its best 0.50 at epoch 4.");
  });

  test("a loss that fell to 0.4 and climbed back to 1.2 is oscillating (rebound)", () => {
    const down = decay(300, { start: 2.3, floor: 0.4, tau: 40, noise: 0.05 });
    const up = Array.from({ length: 300 }, (_, i) => 0.4 + 0.8 * (i / 299));
    const f = only(mn.train.diagnose(historyOf([...down, ...up])), "oscillating");
    assert.equal(f.severity, "warning");
    assert.match(f.message, /fell to 0\.4\d around step \d+ but climbed back to 1\.1\d by the end/);
  });

  test("a decaying curve with ±90% batch noise is noisy, and neither oscillating nor diverging (σ = 0.9)", () => {
    const d = mn.train.diagnose(historyOf(decay(1000, { start: 2.3, floor: 0.4, tau: 150, noise: 0.9, seed: 4 })));
    assert.deepEqual(kinds(d), ["noisy-loss"]);
    assert.match(d.findings[0]!.message, /^Noisy loss: over the second half of the run the per-step loss scatters ±\d+% around its trend \(level 0\.4\d\)/);
  });
});

describe("diagnose: overfitting and underfitting", () => {
  const train = [0.9, 0.6, 0.45, 0.41, 0.35, 0.3, 0.25, 0.21, 0.18, 0.15, 0.13, 0.12];
  const val = [0.7, 0.5, 0.42, 0.38, 0.39, 0.41, 0.43, 0.45, 0.47, 0.49, 0.5, 0.52];

  test("train falling while val rises from its best at epoch 4: overfitting, the gap opened at epoch 5", () => {
    const rows = train.map((l, i) => [l, val[i]!, 0.8 + 0.015 * i, 0.78 + (i < 4 ? 0.02 * i : 0.06)] as const);
    const d = mn.train.diagnose(epochsOnly(rows));
    assert.deepEqual(kinds(d), ["overfitting"]);
    const f = d.findings[0]!;
    assert.equal(f.epoch, 5);
    assert.equal(f.severity, "warning");
    assert.equal(f.message, "Overfitting: training loss kept falling (0.41 → 0.12) while validation loss rose from its best 0.38 at epoch 4 "
      + "to 0.52 at epoch 12; the gap opened at epoch 5. Train accuracy 96.5% vs validation 84.0%: a gap of 12.5 points, 0.5 at epoch 4.");
    assert.match(f.advice, /keep the weights from epoch 4/);
  });

  test("a validation loss that stalls for epochs while the training loss keeps falling is overfitting starting (info)", () => {
    const stall = [0.7, 0.5, 0.42, 0.38, 0.385, 0.39, 0.384, 0.388, 0.39, 0.391, 0.389, 0.392];
    const f = only(mn.train.diagnose(epochsOnly(train.map((l, i) => [l, stall[i]!, null, null] as const))), "overfitting");
    assert.equal(f.severity, "info");
    assert.equal(f.epoch, 5);
  });

  test("two epochs are too few to call overfitting", () => {
    assert.ok(!kinds(mn.train.diagnose(epochsOnly([[0.5, 0.4, null, null], [0.3, 0.6, null, null]]))).includes("overfitting"));
  });

  test("a loss still falling 20% per epoch at the end is underfitting: not converged (info)", () => {
    const d = mn.train.diagnose(epochsOnly([[1.2, 1.25, null, null], [0.9, 0.95, null, null], [0.7, 0.75, null, null], [0.55, 0.6, null, null]]));
    const f = only(d, "underfitting");
    assert.equal(f.severity, "info");
    assert.equal(f.message, "Underfitting: the training loss was still falling fast at the end (0.90 → 0.70 → 0.55 over epochs 2–4, −21% in the last); the model has not converged.");
  });

  test("train and validation accuracy both low and close is underfitting (warning)", () => {
    const rows = [1.9, 1.7, 1.65, 1.63, 1.62].map((l, i) => [l, l + 0.02, 0.3 + 0.01 * i, 0.3 + 0.01 * i - 0.01] as const);
    const f = only(mn.train.diagnose(epochsOnly(rows)), "underfitting");
    assert.equal(f.severity, "warning");
    assert.match(f.message, /both low and close \(34\.0% and 33\.0% at epoch 5\)/);
  });
});

describe("diagnose: layers", () => {
  const constant = (name: string, ratio: number, grad: number): LayerSpec => ({ name, ratio: () => ratio, grad: () => grad });

  test("dead, exploding, slow and fast parameters are named with their numbers; healthy ones are not", () => {
    const layers = [
      constant("fc1.weight", 1e-3, 0.5),
      { name: "fc1.bias", ratio: () => 0, grad: (s: number) => (s <= 11 ? 0.1 : 0) },
      constant("fc2.weight", 1e-3, 5e4),
      constant("fc3.weight", 2e-7, 0.3),
      constant("fc3.bias", 0.4, 0.2),
    ];
    const d = mn.train.diagnose(healthyRun({ layers }));
    assert.deepEqual(d.findings.map((f) => `${f.kind} ${f.layer}`),
      ["exploding-layer fc2.weight", "dead-layer fc1.bias", "slow-layer fc3.weight", "fast-layer fc3.bias"]);
    const [exploding, dead, slow, fast] = d.findings.map((f) => f.message);
    assert.equal(dead, "Dead layer: fc1.bias (98 of 100 recorded steps, first at step 21) got a zero gradient.");
    assert.equal(exploding, "Exploding layer: fc2.weight has a median gradient norm of 5.0e4 over 100 recorded steps, 1.7e5× the other layers' median 0.30.");
    assert.equal(slow, "Slow layer: median update/weight ratio fc3.weight 2.0e-7 (over 100 recorded steps); about 1e-3 is healthy.");
    assert.equal(fast, "Fast layer: median update/weight ratio fc3.bias 4.0e-1 (over 100 recorded steps); about 1e-3 is healthy.");
  });

  test("when gradients turn NaN, only the layer that went first is named", () => {
    const layers = [
      { name: "fc1.weight", ratio: () => 1e-3, grad: (s: number) => (s >= 51 ? NaN : 0.5) },
      { name: "fc2.weight", ratio: () => 1e-3, grad: (s: number) => (s >= 41 ? Infinity : 0.5) },
    ];
    const d = mn.train.diagnose(healthyRun({ layers }));
    const f = only(d, "exploding-layer");
    assert.equal(f.layer, "fc2.weight");
    assert.equal(f.message, "Exploding layer: fc2.weight's gradient norm became Infinity at step 41.");
  });
});

describe("diagnose: options", () => {
  const h = healthyRun();

  test("an unknown option fails naming the closest one (exact message)", () => {
    assert.throws(() => mn.train.diagnose(h, { noisy_ratio: 1 } as unknown as mn.train.DiagnoseOptions), (e: unknown) => {
      assert.ok(e instanceof mn.OptionError);
      assert.equal(e.message, 'diagnose: unknown option "noisy_ratio" — did you mean "noisyRatio"?; expected one of explodeFactor, '
        + "reboundFactor, minProgress, trendProgress, swingRatio, noisyRatio, lossFloor, minSteps, minEpochs, epochMargin, stillFalling, "
        + "lowAccuracy, accuracyGap, slowRatio, fastRatio, deadGrad, deadFraction, explodingGrad, explodingSpread");
      return true;
    });
  });

  test("a negative threshold fails naming the field and the range (exact messages)", () => {
    assert.throws(() => mn.train.diagnose(h, { noisyRatio: -1 }), { name: "OptionError", message: "diagnose: invalid noisyRatio; expected a number > 0, got -1" });
    assert.throws(() => mn.train.diagnose(h, { minProgress: -0.5 }), { message: "diagnose: invalid minProgress; expected a number in [0, 1), got -0.5" });
    assert.throws(() => mn.train.diagnose(h, { slowRatio: 0.5 }), { message: "diagnose: slowRatio must be below fastRatio, got 0.5 and 0.1" });
  });

  test("thresholds change the verdict: the σ = 0.1 healthy run is noisy when noisyRatio is 0.05", () => {
    assert.deepEqual(kinds(mn.train.diagnose(h, { noisyRatio: 0.05 })), ["noisy-loss"]);
  });
});

describe("formatDiagnosis", () => {
  test("the summary, then one paragraph per finding: the message, then Try: and the advice", () => {
    const losses = [...decay(49, { start: 2.3, floor: 0.5, tau: 20, noise: 0.05 }), NaN];
    const d = mn.train.diagnose(historyOf(losses, { layers: [{ name: "fc1.weight", ratio: () => 1e-3, grad: (s) => (s > 40 ? NaN : 1) }] }));
    const paragraphs = mn.train.formatDiagnosis(d).trimEnd().split("\n\n");
    assert.equal(paragraphs.length, 3);
    assert.equal(paragraphs[0], d.summary);
    d.findings.forEach((f, i) => assert.equal(paragraphs[i + 1], `[problem] ${f.message}\nTry: ${f.advice}`));
  });

  test("an empty history has nothing to diagnose", () => {
    const d = mn.train.diagnose(new mn.train.History());
    assert.deepEqual(d, { findings: [], summary: "Nothing to diagnose: the history has no steps and no epochs." });
  });
});
