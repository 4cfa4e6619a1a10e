import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "fast-png";
import * as mn from "../../src/index.node.js";
import { mnist } from "../../src/data/index.node.js";
import { decodePng } from "../helpers/decode-png.js";
import { digitBytes, minima, tmp, writeIdx } from "./model-files.js";

// References: the classes of the same digits evaluated directly (the embedded test tensors through the
// rebuilt model), and probabilities computed here from the digits' bytes (k/255) with softmax.

const PICKS = Array.from({ length: 12 }, (_, i) => i * 167); // spread over the test split, which is sorted by digit

describe("minima predict", () => {
  let base: string, model: string, pngs: string[], idx: string;
  let bytes: Uint8Array[];
  before(() => {
    base = tmp();
    const r = minima("train", "--epochs", "1", "--hidden", "32", "--batch-size", "128", "--out", join(base, "run"));
    assert.equal(r.code, 0, r.err);
    model = join(base, "run", "model.safetensors");
    const x = mnist().test.tensors[0]!;
    bytes = PICKS.map((i) => digitBytes(x.narrow(0, i, 1)));
    pngs = bytes.map((b, n) => {
      const path = join(base, `digit-${n}.png`);
      const png = encode({ width: 28, height: 28, data: b, channels: 1, depth: 8 });
      assert.deepEqual(decodePng(png).rgba.filter((_, j) => j % 4 === 0), b, "the PNG holds the digit's bytes (the spec-written test decoder)");
      writeFileSync(path, png);
      return path;
    });
    idx = join(base, "digits-idx3-ubyte");
    writeIdx(idx, [PICKS.length, 28, 28], bytes.flatMap((b) => Array.from(b)));
  });

  /** "file: class p%, …" per input, from the output lines after the header. */
  const predictions = (out: string) => out.trim().split("\n").slice(1).map((l) => {
    const [name, rest] = l.split(": ");
    return { name, top: rest!.split(", ").map((s) => { const [c, p] = s.split(" "); return { c: c!, p: p! }; }) };
  });

  test("PNGs of real test digits: the classes of those digits evaluated directly; all 10 probabilities as softmax gives them for the bytes k/255", () => {
    const r = minima("predict", model, ...pngs, "--top", "10");
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split("\n")[0], `minima predict: ${model} (MLP 784-32-10); 12 inputs, the 10 most probable of 10 classes each`);
    const got = predictions(r.out);
    const { model: net, preprocessing } = mn.nn.loadModel(model);
    const direct = mn.noGrad(() => net.forward(mn.data.preprocess(preprocessing, mn.cat(PICKS.map((i) => mnist().test.tensors[0]!.narrow(0, i, 1)), 0)))).argmax(1);
    const fromBytes = mn.noGrad(() => net.forward(mn.data.preprocess(preprocessing, mn.tensor(bytes.flatMap((b) => Array.from(b, (k) => k / 255))).reshape([12, 1, 28, 28]))).softmax(1));
    got.forEach(({ name, top }, n) => {
      assert.equal(name, pngs[n]);
      assert.equal(top[0]!.c, String(direct.data[n]), `digit ${n}`);
      assert.equal(top.length, 10);
      for (const { c, p } of top) assert.equal(p, `${(100 * fromBytes.data[n * 10 + Number(c)]!).toFixed(2)}%`, `digit ${n}, class ${c}`);
      const ps = top.map(({ p }) => parseFloat(p));
      assert.deepEqual(ps, [...ps].sort((a, b) => b - a), "most probable first");
    });
  });

  test("an IDX file of the same digits: the same classes and probabilities, named file[i]; the default shows the top 3", () => {
    const fromPng = predictions(minima("predict", model, ...pngs).out);
    const r = minima("predict", model, idx);
    assert.equal(r.code, 0, r.err);
    const fromIdx = predictions(r.out);
    assert.deepEqual(fromIdx.map((p) => p.name), PICKS.map((_, i) => `${idx}[${i}]`));
    assert.deepEqual(fromIdx.map((p) => p.top), fromPng.map((p) => p.top));
    assert.equal(fromIdx[0]!.top.length, 3);
  });

  test("an RGB and an RGBA (opaque) PNG of a digit predict as its grey PNG", () => {
    const b = bytes[5]!;
    const rgb = join(base, "rgb.png"), rgba = join(base, "rgba.png");
    writeFileSync(rgb, encode({ width: 28, height: 28, data: Uint8Array.from({ length: 3 * 784 }, (_, j) => b[Math.floor(j / 3)]!), channels: 3, depth: 8 }));
    writeFileSync(rgba, encode({ width: 28, height: 28, data: Uint8Array.from({ length: 4 * 784 }, (_, j) => (j % 4 === 3 ? 255 : b[Math.floor(j / 4)]!)), channels: 4, depth: 8 }));
    const got = predictions(minima("predict", model, pngs[5]!, rgb, rgba).out).map((p) => p.top);
    assert.deepEqual(got[1], got[0]);
    assert.deepEqual(got[2], got[0]);
  });

  test("refusals: an image of another size, --top beyond the classes, an IDX file of labels, a file that is neither", () => {
    const big = join(base, "big.png"), labels = join(base, "labels-idx1-ubyte"), text = join(base, "notes.txt");
    writeFileSync(big, encode({ width: 32, height: 30, data: new Uint8Array(960), channels: 1, depth: 8 }));
    writeIdx(labels, [3], [1, 2, 3]);
    writeFileSync(text, "hello");
    const cases: [string[], string, number][] = [
      [["predict", model, big], `minima: predict: ${big} is 32x30 pixels, the model takes 28x28 images (minima does not resize: crop or scale it to 28x28 the way the training images were framed)`, 2],
      [["predict", model, pngs[0]!, "--top", "11"], "minima: --top: the model has 10 classes; expected at most 10, got 11", 2],
      [["predict", model, labels], `minima: predict: ${labels} does not hold samples the model takes; expected [N,1,28,28] or [N,28,28], got int32 [3]`, 2],
      [["predict", model, text], `minima: predict: ${text} is neither a PNG image nor an IDX file (raw or gzipped)`, 1],
      [["predict", model, join(base, "nothing.png")], `minima: predict: no such file: ${join(base, "nothing.png")}`, 1],
    ];
    for (const [args, message, code] of cases) {
      const r = minima(...args);
      assert.equal(r.code, code, `${args.join(" ")}: exit ${code} (2 usage, 1 failure)`);
      assert.equal(r.err.trim(), message);
    }
  });
});
