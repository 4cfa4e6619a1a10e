import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { lrFindRecords, lrFindSummary } from "../../src/cli/lr-find-summary.js";
import type { LrFindResult } from "../../src/train/lr-find.js";
import { result, settings } from "../helpers/lr-find-sweep.js";

describe("minima lr-find's summary (exact texts)", () => {
  test("a sweep that diverged, a rule without a suggestion, the one-cycle peak and the curvature", () => {
    assert.deepEqual(lrFindSummary(result, settings, { lambdaMax: 40, batches: 4 }), [
      "stopped after 6 of 8 batches at lr 0.01: the smoothed loss 9 passed 4 × its best, 1.2 at lr 0.001",
      "suggested learning rates (fastai's rules on the smoothed loss):",
      "  valley   0.0001     the middle of the longest descent (fastai's default)",
      "  slide    none       the curve left after the cut is too short for slide",
      "  minimum  0.0001     a tenth of the lr with the lowest loss",
      "  steep    0.001      where the loss falls fastest",
      "one-cycle: its peak at the valley, minima train --schedule one-cycle --max-lr 0.0001 (starts at 0.000004, max-lr/25)",
      "curvature: λmax 40 at these weights (Lanczos, 4 batches): plain gradient descent is stable below lr 2/λmax = 0.05; the valley is 0.002 × that",
    ]);
  });

  test("a sweep that ran every batch, no valley, a negative largest eigenvalue", () => {
    const ran: LrFindResult = { ...result, stop: "numIt", smoothed: [2.3, 2.25, 2.1, 1.8, 1.2, 1.1], suggestions: { ...result.suggestions, valley: null } };
    const lines = lrFindSummary(ran, settings, { lambdaMax: -3, batches: 1 });
    assert.equal(lines[0], "ran all 6 batches up to lr 0.01; the smoothed loss was lowest, 1.1, at lr 0.01");
    assert.equal(lines[2], "  valley   none       the curve left after the cut is too short for valley");
    assert.equal(lines[6], "one-cycle: no valley to take its peak from; sweep more batches (--num-it) or to a larger --end-lr");
    assert.equal(lines[7], "curvature: λmax is not positive (-3, Lanczos over 1 batch): no stability limit 2/λmax to compare with");
  });

  test("lr_find.jsonl: the settings line, then a line per batch with a NaN loss as null", () => {
    const [head, ...batches] = lrFindRecords(result, settings, null) as Record<string, unknown>[];
    assert.deepEqual(head, { kind: "lr-find", ...settings, stop: "diverged", batches: 6, suggestions: result.suggestions, oneCycleMaxLr: 1e-4, curvature: null });
    assert.deepEqual(batches[5], { kind: "batch", step: 5, lr: 1e-2, loss: null, smoothed: 9 });
    assert.equal(batches.length, 6);
  });
});
