import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { testErrorCases } from "../helpers/error-cases.js";

// A model file must rebuild the trained model exactly: the reference is the trained model itself,
// whose eval-mode outputs on real digits the rebuilt one must give bit for bit.

const { train, test: testSet } = mn.data.mnist();
const images = (set: mn.data.TensorDataset, n: number) => set.tensors[0]!.narrow(0, 0, n);
const xTrain = images(train, 512), yTrain = train.tensors[1]!.narrow(0, 0, 512);
const scaler = new mn.data.Standardize({ perFeature: true }).fit(xTrain);
const preprocessing = mn.data.preprocessingOf([1, 28, 28], scaler);
const CLASSES = mn.data.mnist().classes;
const tmp = () => mkdtempSync(join(tmpdir(), "minima-model-file-"));

const SPECS: [string, mn.nn.ModelSpec][] = [
  ["mlp", { builder: "mlp", options: { inputs: 784, hidden: [32, 16], outputs: 10 } }],
  ["mlp with batch norm and dropout, tanh", { builder: "mlp", options: { inputs: 784, hidden: [32, 16], outputs: 10, activation: "tanh", batchNorm: true, dropout: 0.2 } }],
  ["residualMlp with dropout and stochastic depth", { builder: "residualMlp", options: { inputs: 784, width: 24, blocks: 2, outputs: 10, activation: "gelu", dropout: 0.1, dropPath: 0.3 } }],
  ["cnn", { builder: "cnn", options: { inputShape: [1, 28, 28], channels: [4, 8], hidden: [16], outputs: 10 } }],
  ["cnn with batch norm and dropout", { builder: "cnn", options: { inputShape: [1, 28, 28], channels: [4], hidden: [16], outputs: 10, batchNorm: true, dropout: 0.25 } }],
];

/** The spec's model after 8 SGD steps in training mode on real digits: weights and batch-norm statistics all moved. */
function trained(spec: mn.nn.ModelSpec): mn.nn.Module {
  mn.manualSeed(7);
  const model = mn.nn.modelFromSpec(spec);
  const opt = new mn.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const x = scaler.transform(xTrain);
  for (let s = 0; s < 8; s++) {
    opt.zeroGrad();
    mn.nn.functional.crossEntropy(model.forward(x.narrow(0, 64 * s, 64)), yTrain.narrow(0, 64 * s, 64)).backward();
    opt.step();
  }
  return model;
}

describe("model files (mn.nn.saveModel, mn.nn.loadModel)", () => {
  for (const [name, spec] of SPECS) {
    test(`${name}: the model loadModel rebuilds from the file alone gives the trained model's eval outputs on 300 real test digits, bit for bit`, () => {
      const model = trained(spec);
      const path = join(tmp(), "model.safetensors");
      mn.nn.saveModel(path, model, { spec, preprocessing, classes: CLASSES, dataset: "mnist" });
      const loaded = mn.nn.loadModel(path);
      assert.equal(loaded.model.training, false, "loaded in eval mode");
      assert.deepEqual(loaded.spec, JSON.parse(JSON.stringify(spec)));
      assert.deepEqual(loaded.classes, CLASSES);
      assert.equal(loaded.dataset, "mnist");
      const x = images(testSet, 300);
      const want = mn.noGrad(() => model.eval().forward(scaler.transform(x)));
      const got = mn.noGrad(() => loaded.model.forward(mn.data.preprocess(loaded.preprocessing, x)));
      assert.deepEqual(got.shape, [300, 10]);
      assert.ok(want.data.every((v, i) => Object.is(v, got.data[i])), "outputs differ");
      for (const [key, t] of Object.entries(model.stateDict())) assert.deepEqual(loaded.model.stateDict()[key]!.data, t.data, key);
    });
  }

  test("preprocess gives Standardize.transform's values bit for bit, for global and per-feature statistics and none", () => {
    const x = images(testSet, 50);
    for (const perFeature of [false, true]) {
      const s = new mn.data.Standardize({ perFeature }).fit(xTrain);
      const recorded = JSON.parse(JSON.stringify(mn.data.preprocessingOf([1, 28, 28], s))) as mn.data.Preprocessing;
      assert.deepEqual(mn.data.preprocess(recorded, x).data, s.transform(x).data);
    }
    assert.equal(mn.data.preprocess(mn.data.preprocessingOf([1, 28, 28], null), x), x);
  });

  test("the file's metadata: the format name and version, the spec, preprocessing and classes as JSON, and torch's format tag", () => {
    const spec = SPECS[0]![1];
    const path = join(tmp(), "model.safetensors");
    mn.nn.saveModel(path, mn.nn.modelFromSpec(spec), { spec, preprocessing, classes: CLASSES });
    const { metadata, tensors } = mn.io.loadSafetensors(path, { metadata: true });
    assert.deepEqual(Object.keys(metadata).sort(), ["format", "minima.classes", "minima.format", "minima.format_version", "minima.preprocessing", "minima.spec"]);
    assert.equal(metadata["format"], "pt");
    assert.equal(metadata["minima.format"], "minima-model");
    assert.equal(metadata["minima.format_version"], "1");
    assert.deepEqual(JSON.parse(metadata["minima.spec"]!), spec);
    assert.deepEqual(JSON.parse(metadata["minima.preprocessing"]!), { inputShape: [1, 28, 28], standardize: { perFeature: true, ...scaler.stateDict() } });
    assert.deepEqual(JSON.parse(metadata["minima.classes"]!), CLASSES);
    // PyTorch's state-dict names (Sequential indices, Flatten at 0), nothing else.
    assert.deepEqual(Object.keys(tensors).sort(), ["1.bias", "1.weight", "3.bias", "3.weight", "5.bias", "5.weight"]);
  });

  test("decodeModel (bytes, browser-clean) rebuilds what loadModel does; loading leaves the default generator where it was", () => {
    const spec = SPECS[3]![1];
    const path = join(tmp(), "model.safetensors");
    mn.nn.saveModel(path, trained(spec), { spec, preprocessing, classes: CLASSES });
    mn.manualSeed(123);
    const before = mn.rand([4]).data;
    mn.manualSeed(123);
    const a = mn.nn.loadModel(path);
    assert.deepEqual(mn.rand([4]).data, before, "the stream continues as if nothing was drawn");
    const b = mn.io.decodeModel(new Uint8Array(readFileSync(path)));
    assert.deepEqual(a.model.stateDict()["0.weight"]!.data, b.model.stateDict()["0.weight"]!.data);
    assert.deepEqual(b.preprocessing, a.preprocessing);
  });
});

describe("model files: refusals", () => {
  const spec: mn.nn.ModelSpec = { builder: "mlp", options: { inputs: 4, hidden: [3], outputs: 2 } };
  const pre = mn.data.preprocessingOf([4], null);
  const model = mn.nn.modelFromSpec(spec);
  const good = mn.io.modelMetadata({ spec, preprocessing: pre, classes: ["no", "yes"] });
  const file = (metadata: Record<string, string>, tensors = model.stateDict()) => mn.io.encodeSafetensors(tensors, metadata);
  testErrorCases([
    ["a file of weights only", () => mn.io.decodeModel(file({ format: "pt" }), "w.safetensors"),
      'w.safetensors: not a valid minima model file: its metadata has no "minima.format" (a file of weights only: load it with loadSafetensors into the model it belongs to)'],
    ["another format", () => mn.io.decodeModel(file({ ...good, "minima.format": "keras" }), "m"),
      'm: not a valid minima model file: its "minima.format" is "keras", expected "minima-model"'],
    ["a newer version", () => mn.io.decodeModel(file({ ...good, "minima.format_version": "2" }), "m"),
      'm: not a valid minima model file: it is in version "2" of the minima-model format; this minima reads version 1'],
    ["a spec that is not JSON", () => mn.io.decodeModel(file({ ...good, "minima.spec": "{mlp" }), "m"),
      `m: not a valid minima model file: its "minima.spec" is not JSON (${jsonError("{mlp")})`],
    ["a spec without options", () => mn.io.decodeModel(file({ ...good, "minima.spec": '{"builder":"mlp"}' }), "m"),
      'm: not a valid minima model file: its "minima.spec" should be {"builder": …, "options": {…}}'],
    ["an unknown builder", () => mn.io.decodeModel(file({ ...good, "minima.spec": '{"builder":"vit","options":{"outputs":2,"inputs":4}}' }), "m"),
      'm: not a valid minima model file: its spec does not build (modelFromSpec: unknown builder; expected mlp, residualMlp, cnn, got "vit")'],
    ["bad preprocessing", () => mn.io.decodeModel(file({ ...good, "minima.preprocessing": '{"inputShape":[4]}' }), "m"),
      'm: not a valid minima model file: its "minima.preprocessing" should be {"inputShape": [positive integers], "standardize": null or {"perFeature": true or false, "mean": [numbers], "std": [numbers]}}'],
    ["class names that do not match the outputs", () => mn.io.decodeModel(file({ ...good, "minima.classes": '["a","b","c"]' }), "m"),
      "m: not a valid minima model file: 3 class names for the model's 2 outputs"],
    ["an input shape the model does not take", () => mn.io.decodeModel(file({ ...good, "minima.preprocessing": '{"inputShape":[2,3],"standardize":null}' }), "m"),
      "m: not a valid minima model file: the input shape [2,3] has 6 features, the mlp takes 4"],
    ["statistics of the wrong length", () => mn.io.decodeModel(file({ ...good, "minima.preprocessing": '{"inputShape":[4],"standardize":{"perFeature":true,"mean":[0],"std":[1]}}' }), "m"),
      "m: not a valid minima model file: the standardization has 1 means and 1 stds, expected 4 (one per feature)"],
    ["tensors of another model", () => mn.io.decodeModel(file(good, { ...model.stateDict(), "1.weight": mn.zeros([5, 4]), extra: mn.zeros([1]) }), "m"),
      "m: not a valid minima model file: its tensors are not those of its spec's model (mlp): unexpected extra; 1.weight is [5,4], expected [3,4]"],
    ["float64 tensors for a float32 model", () => mn.io.decodeModel(file(good, { ...model.stateDict(), "3.bias": mn.zeros([2], { dtype: "float64" }) }), "m"),
      "m: not a valid minima model file: its tensors are not those of its spec's model (mlp): 3.bias is float64, expected float32"],
    ["saving a model its spec does not build", () => mn.io.encodeModel(mn.nn.mlp({ inputs: 4, hidden: [5], outputs: 2 }), { spec, preprocessing: pre, classes: ["no", "yes"] }),
      "encodeModel: the model is not the one its spec (mlp) builds: 1.weight is [5,4], expected [3,4]; 1.bias is [5], expected [3]; 3.weight is [2,5], expected [2,3]"],
    ["saving with too few class names", () => mn.io.modelMetadata({ spec, preprocessing: pre, classes: ["no"] }),
      "modelMetadata: 1 class names for the model's 2 outputs"],
    ["preprocessing a batch of the wrong shape", () => mn.data.preprocess(mn.data.preprocessingOf([1, 28, 28], null), mn.zeros([2, 28, 28])),
      "preprocess: the model takes samples of shape [1,28,28]; expected a batch [N,1,28,28], got [2,28,28]"],
    ["modelFromSpec with options that are not an object", () => mn.nn.modelFromSpec({ builder: "cnn", options: 3 } as never),
      "modelFromSpec: the options of cnn must be an object, got 3"],
  ]);
});

function jsonError(text: string): string {
  try { JSON.parse(text); } catch (e) { return (e as Error).message; }
  return "";
}
