import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { checkDrawable } from "../../src/cli/commands/schedule.js";
import type { PreparedData } from "../../src/cli/dataset.js";
import { checkTrainingMemory, formatBytes, trainingMemory } from "../../src/cli/memory.js";
import { buildModel, type ModelChoice } from "../../src/cli/models.js";
import { modelFromSpec, type ModelSpec } from "../../src/nn/model-spec.js";

describe("the memory a run would need, estimated before anything is allocated", () => {
  test("its parameter count equals the built model's numParameters(), for mlp, resmlp and cnn, with batch norm and without hidden layers", () => {
    const specs: ModelSpec[] = [
      { builder: "mlp", options: { inputs: 784, hidden: [256, 128], outputs: 10 } },
      { builder: "mlp", options: { inputs: 784, hidden: [64], outputs: 10, batchNorm: true } },
      { builder: "mlp", options: { inputs: 20, hidden: [], outputs: 3 } },
      { builder: "residualMlp", options: { inputs: 784, width: 32, blocks: 3, outputs: 10 } },
      { builder: "residualMlp", options: { inputs: 784, width: 32, blocks: 0, outputs: 10 } },
      { builder: "cnn", options: { inputShape: [1, 28, 28], channels: [8, 16], hidden: [32], outputs: 10 } },
      { builder: "cnn", options: { inputShape: [3, 32, 32], channels: [4], hidden: [], outputs: 10, batchNorm: true } },
    ];
    for (const spec of specs) assert.equal(trainingMemory(spec, 64).parameters, modelFromSpec(spec).numParameters(), JSON.stringify(spec));
  });

  test("layer outputs per sample, counted by hand: MLP 784-100-10 (linear 100, relu 100, linear 10); CNN [1,28,28] conv 8 (26², relu 26², pool 13²), dense 1352-10", () => {
    assert.equal(trainingMemory({ builder: "mlp", options: { inputs: 784, hidden: [100], outputs: 10 } }, 1).activations, 210);
    assert.equal(trainingMemory({ builder: "cnn", options: { inputShape: [1, 28, 28], channels: [8], hidden: [], outputs: 10 } }, 1).activations, 8 * 26 * 26 * 2 + 8 * 13 * 13 + 10);
    // bytes = 4 B × (4 values per parameter + 2 per layer output per sample).
    const m = trainingMemory({ builder: "mlp", options: { inputs: 784, hidden: [100], outputs: 10 } }, 32);
    assert.equal(m.bytes, 4 * (4 * (785 * 100 + 101 * 10) + 2 * 32 * 210));
  });

  test("a model over the limit is refused with the estimate and the limit (exact text); at the limit it is built", () => {
    const data = { features: 784, inputShape: [1, 28, 28], classes: 10 } as PreparedData;
    const choice: ModelChoice = { model: "mlp", hidden: [100], channels: [], activation: "relu", init: "default", batchSize: 32 };
    const spec: ModelSpec = { builder: "mlp", options: { inputs: 784, hidden: [100], outputs: 10 } };
    const bytes = 4 * (4 * (785 * 100 + 101 * 10) + 2 * 32 * 210);
    assert.throws(() => checkTrainingMemory("MLP 784-100-10", spec, 32, bytes - 1), {
      message: `model size: MLP 784-100-10 would need about ${formatBytes(bytes)} of memory to train with batches of 32 (7.95e+4 parameters × 16 B for weights, gradients and optimizer state, plus 2.10e+2 layer outputs per sample × 8 B); this machine has ${formatBytes(bytes - 1)}`,
    });
    checkTrainingMemory("MLP 784-100-10", spec, 32, bytes);
    assert.equal(buildModel(choice, data).model.numParameters(), 785 * 100 + 101 * 10);
  });

  test("formatBytes: binary units as free -h shows them", () => {
    assert.deepEqual([0, 1023, 1024, 1536, 2 ** 30, 1.25 * 2 ** 40].map(formatBytes), ["0 B", "1023 B", "1.00 KiB", "1.50 KiB", "1.00 GiB", "1.25 TiB"]);
  });

  test("schedule: the curve must fit the heap (300 B a step) and the SVG a string (16 B a step), whichever binds first (exact texts)", () => {
    checkDrawable(1000, 300_000, 16_000);
    assert.throws(() => checkDrawable(1001, 300_000, 1e9), { message: "--steps: drawing 1001 steps needs about 293 KiB of memory (300 B per step), more than Node's heap limit of 293 KiB; expected at most 1000 steps" });
    assert.throws(() => checkDrawable(1001, 1e9, 16_000), { message: "--steps: drawing 1001 steps needs an SVG of about 15.6 KiB (16 B per step), more than the 15.6 KiB a string holds in Node; expected at most 1000 steps" });
  });
});
