import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../../src/index.node.js";
import { digits, model, tmp } from "../fit-helpers.js";

const { fit, callbacks: cb } = mn.train;

describe("loggers", () => {
  test("JsonlLogger writes a header, then steps, layers and epochs in order and an end line; CSVLogger one row per epoch", () => {
    const dir = tmp();
    const { train, val } = digits(100);
    const m = model(9);
    const h = fit(m, {
      train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 25, layerStatsEvery: 4,
      callbacks: [new cb.JsonlLogger({ path: join(dir, "m.jsonl"), diagnose: (hh) => ({ summary: `${hh.epochs.length} epochs`, findings: [] }) }), new cb.CSVLogger({ path: join(dir, "m.csv") })],
    });
    const lines = readFileSync(join(dir, "m.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l["kind"]), ["header",
      "step", "step", "step", "step", "layer", "layer", "layer", "layer", "layer", "layer", "layer", "layer", "epoch",
      "step", "step", "step", "step", "layer", "layer", "layer", "layer", "epoch", "end"]);
    assert.deepEqual(lines.filter((l) => l["kind"] === "step").map((l) => l["loss"]), h.steps.map((s) => s.loss));
    const pkg = JSON.parse(readFileSync(new URL("../../../../package.json", import.meta.url), "utf8")) as { version: string };
    assert.deepEqual(lines[0], { kind: "header", format: "minima.metrics", version: "1.3", minimaVersion: pkg.version });
    assert.deepEqual(lines.at(-1), { kind: "end", stopReason: null, diagnosis: { summary: "2 epochs", findings: [] } });
    const csv = readFileSync(join(dir, "m.csv"), "utf8").trim().split("\n");
    assert.equal(csv[0], "epoch,loss,accuracy,valLoss,valAccuracy,testLoss,testAccuracy,lr,steps,seconds");
    assert.equal(csv.length, 3);
    assert.equal(csv[2]!.split(",")[1], String(h.epochs[1]!.loss));
    assert.equal(csv[2]!.split(",")[5], ""); // no test set
  });
});
