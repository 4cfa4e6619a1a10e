import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as mn from "../../src/index.node.js";

// The PyTorch side: tools/check_model_file.py built each file's architecture from its metadata with
// torch.nn layers, loaded its tensors with load_state_dict(strict=True) and wrote the eval outputs
// (torch-outputs.json) on inputs() below. The files were written by saveModel (tools/make_model_fixtures.mjs).

const DIR = new URL("../../../test/fixtures/model-file/", import.meta.url);
const TORCH = JSON.parse(readFileSync(new URL("torch-outputs.json", DIR), "utf8")) as Record<string, { keys: string[]; outputs: { shape: number[]; data: number[] } }>;

/** check_model_file.py's inputs(): x[i] = (i·0.37 mod 1), rounded to float32, over 5 samples. */
function inputs(shape: number[]): mn.Tensor {
  const n = 5 * shape.reduce((a, b) => a * b, 1);
  return mn.tensor(Float32Array.from({ length: n }, (_, i) => (i * 0.37) % 1)).reshape([5, ...shape]);
}

describe("model files load into PyTorch (torch 1.13, strict)", () => {
  for (const name of Object.keys(TORCH).filter((k) => k.endsWith(".safetensors"))) {
    test(`${name}: torch's state-dict names are the file's, and minima's rebuilt model gives torch's eval outputs (float32, within 1e-5)`, () => {
      const path = new URL(name, DIR).pathname;
      const { model, preprocessing } = mn.nn.loadModel(path);
      assert.deepEqual(TORCH[name]!.keys, Object.keys(mn.io.loadSafetensors(path)).sort());
      const got = mn.noGrad(() => model.forward(mn.data.preprocess(preprocessing, inputs(preprocessing.inputShape))));
      const want = TORCH[name]!.outputs;
      assert.deepEqual(got.shape, want.shape);
      for (let i = 0; i < want.data.length; i++) assert.ok(Math.abs(got.data[i]! - want.data[i]!) <= 1e-5 * (1 + Math.abs(want.data[i]!)), `output ${i}: ${got.data[i]} vs torch ${want.data[i]}`);
    });
  }
});
