// Writes test/fixtures/model-file/: small model files as `minima train` writes them (every builder, with
// batch norm, dropout and stochastic depth, global and per-feature standardization), each trained for a
// few SGD steps on seeded data so that weights and batch-norm statistics have moved. Then
// tools/check_model_file.py loads each into PyTorch from the file alone and writes torch-outputs.json.
//
//   npm run build && node tools/make_model_fixtures.mjs && /usr/bin/python3 tools/check_model_file.py fixtures test/fixtures/model-file
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as mn from "../dist/src/index.node.js";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "test", "fixtures", "model-file");
const SHAPE = [1, 8, 8];
const CLASSES = ["a", "b", "c"];

const MODELS = {
  "mlp-leaky-relu": [{ builder: "mlp", options: { inputs: 64, hidden: [12, 6], outputs: 3, activation: "leaky-relu" } }, "global"],
  "mlp-batch-norm-dropout": [{ builder: "mlp", options: { inputs: 64, hidden: [12, 6], outputs: 3, activation: "tanh", batchNorm: true, dropout: 0.2 } }, "feature"],
  "residual-mlp": [{ builder: "residualMlp", options: { inputs: 64, width: 8, blocks: 2, outputs: 3, activation: "gelu", dropout: 0.1, dropPath: 0.2 } }, "global"],
  "cnn-batch-norm": [{ builder: "cnn", options: { inputShape: SHAPE, channels: [3], hidden: [6], outputs: 3, batchNorm: true, dropout: 0.1 } }, "none"],
};

mkdirSync(OUT, { recursive: true });
for (const [name, [spec, standardize]] of Object.entries(MODELS)) {
  mn.manualSeed(11);
  const x = mn.rand([96, ...SHAPE]), y = mn.randint(0, 3, [96]);
  const scaler = standardize === "none" ? null : new mn.data.Standardize({ perFeature: standardize === "feature" }).fit(x);
  const model = mn.nn.modelFromSpec(spec);
  const opt = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const input = scaler ? scaler.transform(x) : x;
  for (let s = 0; s < 6; s++) {
    opt.zeroGrad();
    mn.nn.functional.crossEntropy(model.forward(input.narrow(0, 16 * s, 16)), y.narrow(0, 16 * s, 16)).backward();
    opt.step();
  }
  mn.nn.saveModel(join(OUT, `${name}.safetensors`), model, { spec, preprocessing: mn.data.preprocessingOf(SHAPE, scaler), classes: CLASSES, dataset: "synthetic" });
  console.log(`${name}.safetensors`);
}
