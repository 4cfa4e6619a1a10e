import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { decisionRegionsPlots } from "../../src/report/decision-regions-plot.js";

// A run folder made by hand: a model file of an MLP with `inputs` inputs, recording `dataset`.
const base = mkdtempSync(join(tmpdir(), "minima-regions-"));
let runs = 0;
function runWith(inputs: number, dataset: string | null): string {
  const dir = join(base, `run${runs++}`);
  mkdirSync(dir);
  const spec: mn.nn.ModelSpec = { builder: "mlp", options: { inputs, hidden: [4], outputs: 2, activation: "relu", dropout: 0, batchNorm: false } };
  mn.nn.saveModel(join(dir, "model.safetensors"), mn.nn.modelFromSpec(spec), {
    spec, preprocessing: { inputShape: [inputs], standardize: null }, classes: ["a", "b"], ...(dataset === null ? {} : { dataset }),
  });
  return dir;
}
const csv = (name: string, text: string) => { const p = join(base, name); writeFileSync(p, text); return p; };
const notes = (dir: string, config: Record<string, unknown> | null = null) => decisionRegionsPlots(dir, config).map((p) => p.note);

describe("decisionRegionsPlots (the report's figure for a 2-feature run)", () => {
  const good = csv("good.csv", "u,v,label\n0,1,0\n1,0,1\n");

  test("a 2-input model on a CSV: the figure, titled with the file, its axes named by the header", () => {
    const [plot] = decisionRegionsPlots(runWith(2, good), null);
    assert.equal(plot!.name, "decision-regions");
    assert.match(plot!.svg!, /Decision regions on good\.csv \(2 samples\)/);
    assert.match(plot!.svg!, />u<\/text>[\s\S]*>v<\/text>/);
  });

  test("no figure for a model of 3 inputs, or a run without a model file", () => {
    assert.deepEqual(decisionRegionsPlots(runWith(3, good), null), []);
    const empty = join(base, "empty");
    mkdirSync(empty);
    assert.deepEqual(decisionRegionsPlots(empty, null), []);
  });

  test("a note, word for word, when the samples cannot be drawn", () => {
    assert.deepEqual(notes(runWith(2, null)), ["The model takes 2 features, but its data set (not recorded) is not a CSV file to draw the samples from."]);
    assert.deepEqual(notes(runWith(2, "mnist")), ["The model takes 2 features, but its data set mnist is not a CSV file to draw the samples from."]);
    const gone = join(base, "gone.csv");
    assert.deepEqual(notes(runWith(2, gone)), [`The data set ${gone} is not there now.`]);
    const ragged = csv("ragged.csv", "u,v,label\n0,1,0\n1,0\n");
    assert.deepEqual(notes(runWith(2, ragged)), [`The data set could not be read now: readCsv: ${ragged}: line 3 has 2 cells, the header 3; expected the same number of cells on every line`]);
    const wider = csv("wider.csv", "u,v,w,label\n0,1,2,0\n1,0,2,1\n");
    assert.deepEqual(notes(runWith(2, wider)), [`${wider} has 3 features now; the model takes 2.`]);
  });

  test("config.json's labelColumn picks the label column, as the run read it", () => {
    const first = csv("first.csv", "label2,u,v\n0,1,0.5\n1,0,0.25\n");
    assert.deepEqual(notes(runWith(2, first), { labelColumn: "label2" }), [null]);
    assert.deepEqual(notes(runWith(2, first)), [`The data set could not be read now: readCsv: ${first}: line 2: label 0.5 is not a class; expected class numbers 0..K-1 or class names (a fractional label is a regression target)`]);
  });
});
