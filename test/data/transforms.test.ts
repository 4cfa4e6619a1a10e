import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";

const T = mn.data.transforms;
const at = (x: mn.Tensor, b: number, c: number, i: number, j: number) => x.data[((b * x.shape[1]! + c) * x.shape[2]! + i) * x.shape[3]! + j]!;
const batch = (n = 6, c = 2, h = 5, w = 7) => mn.arange(0, n * c * h * w, 1, { dtype: "float32" }).reshape([n, c, h, w]).add(1); // no zeros: zeros mark padding

describe("image augmentation", () => {
  test("randomHorizontalFlip mirrors the images it picks and leaves the others; p = 1 twice is the identity", () => {
    const x = batch();
    const y = T.randomHorizontalFlip(x, { generator: new mn.Generator(1) });
    let flipped = 0;
    for (let b = 0; b < 6; b++) {
      const mirrored = at(y, b, 1, 2, 0) === at(x, b, 1, 2, 6);
      if (mirrored) flipped++;
      for (let c = 0; c < 2; c++) for (let i = 0; i < 5; i++) for (let j = 0; j < 7; j++) {
        assert.equal(at(y, b, c, i, j), at(x, b, c, i, mirrored ? 6 - j : j));
      }
    }
    assert.ok(flipped > 0 && flipped < 6, `${flipped} of 6 flipped at p = 0.5`);
    const twice = T.randomHorizontalFlip(T.randomHorizontalFlip(x, { p: 1 }), { p: 1 });
    assert.deepEqual(Array.from(twice.data), Array.from(x.data));
  });

  test("randomCrop with padding shifts each image by at most the padding, filling zeros; every shift occurs", () => {
    const x = batch(200, 1, 5, 7);
    const y = T.randomCrop(x, { padding: 2, generator: new mn.Generator(2) });
    assert.deepEqual(y.shape, x.shape);
    const seen = new Set<string>();
    for (let b = 0; b < 200; b++) {
      // Find the shift (dy, dx) with y[i, j] = x[i + dy, j + dx] wherever that is inside, 0 elsewhere.
      const matches: string[] = [];
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        let ok = true;
        for (let i = 0; i < 5 && ok; i++) for (let j = 0; j < 7 && ok; j++) {
          const yi = i + dy, xj = j + dx;
          ok = at(y, b, 0, i, j) === (yi >= 0 && yi < 5 && xj >= 0 && xj < 7 ? at(x, b, 0, yi, xj) : 0);
        }
        if (ok) matches.push(`${dy},${dx}`);
      }
      assert.equal(matches.length, 1, `image ${b}`);
      seen.add(matches[0]!);
    }
    assert.equal(seen.size, 25, "all 25 shifts within ±2 occur over 200 images");
    const smaller = T.randomCrop(x, { size: [3, 4], generator: new mn.Generator(3) });
    assert.deepEqual(smaller.shape, [200, 1, 3, 4]);
    assert.ok(Array.from(smaller.data).every((v) => v > 0), "without padding a crop holds only image pixels");
  });

  test("randomShift is a same-size crop from the padded image, drawn the same way", () => {
    const x = batch();
    assert.deepEqual(Array.from(T.randomShift(x, 1, { generator: new mn.Generator(4) }).data),
      Array.from(T.randomCrop(x, { padding: 1, generator: new mn.Generator(4) }).data));
  });

  test("gaussianNoise adds noise of the asked standard deviation and zero mean", () => {
    const x = mn.zeros([20000]);
    const y = T.gaussianNoise(x, { std: 0.5, generator: new mn.Generator(5) });
    const d = Array.from(y.data);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    assert.ok(Math.abs(mean) < 4 * 0.5 / Math.sqrt(d.length), `mean ${mean}`);
    assert.ok(Math.abs(sd - 0.5) < 0.02, `sd ${sd}`);
  });

  test("cutout zeros one square per image across all channels, clipped at the border", () => {
    const x = batch(300, 3, 9, 9);
    const y = T.cutout(x, { size: 4, generator: new mn.Generator(6) });
    let clipped = 0;
    for (let b = 0; b < 300; b++) {
      const zeros: [number, number][] = [];
      for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) {
        const z = at(y, b, 0, i, j) === 0;
        for (let c = 1; c < 3; c++) assert.equal(at(y, b, c, i, j) === 0, z, "every channel alike");
        if (z) zeros.push([i, j]); else assert.equal(at(y, b, 0, i, j), at(x, b, 0, i, j));
      }
      const rows = new Set(zeros.map(([i]) => i)), cols = new Set(zeros.map(([, j]) => j));
      assert.equal(zeros.length, rows.size * cols.size, "the zeros form a rectangle");
      assert.ok(rows.size <= 4 && cols.size <= 4 && zeros.length > 0);
      if (zeros.length < 16) clipped++;
    }
    assert.ok(clipped > 0 && clipped < 300, `${clipped} squares clipped at the border`);
  });

  test("the same generator seed gives the same batch; bad options and inputs fail clearly", () => {
    const x = batch();
    for (const f of [(g: mn.Generator) => T.randomHorizontalFlip(x, { generator: g }), (g: mn.Generator) => T.cutout(x, { size: 3, generator: g })]) {
      assert.deepEqual(Array.from(f(new mn.Generator(9)).data), Array.from(f(new mn.Generator(9)).data));
    }
    assert.throws(() => T.randomHorizontalFlip(x, { p: 2 }), /randomHorizontalFlip: invalid p; expected a probability in \[0, 1\], got 2/);
    assert.throws(() => T.randomCrop(x, { size: 9 }), /randomCrop: invalid size; expected positive integers at most the padded image's 5x7, got 9/);
    assert.throws(() => T.cutout(mn.zeros([3, 4]), { size: 2 }), /cutout: input must be a float batch of images \[N, C, H, W\], got float32 \[3,4\]/);
    assert.throws(() => T.gaussianNoise(x, { std: -1 }), /gaussianNoise: invalid std/);
  });
});

describe("mixup and cutmix", () => {
  const labels = (n: number) => mn.tensor(Array.from({ length: n }, (_, i) => i % 4), { dtype: "int32" });

  test("mixup blends each sample with one partner by one λ, and the soft targets by the same λ", () => {
    const x = batch(8, 1, 3, 3), y = mn.tensor([0, 1, 2, 3, 0, 1, 2, 3], { dtype: "int32" });
    const [xm, ym] = T.mixup(x, y, { numClasses: 4, alpha: 0.4, generator: new mn.Generator(11) });
    assert.deepEqual(ym.shape, [8, 4]);
    const rows = [...Array(8).keys()].map((i) => Array.from(ym.data.subarray(i * 4, i * 4 + 4)));
    rows.forEach((row) => assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6, "each target row sums to 1"));
    const mixed = rows.findIndex((row) => row.filter((v) => v > 0).length === 2);
    assert.ok(mixed >= 0, "some sample has a partner of another class");
    const lambda = rows[mixed]![y.data[mixed]!]!;
    for (let i = 0; i < 8; i++) {
      const partners = [...Array(8).keys()].filter((j) => [...Array(9).keys()].every((k) =>
        Math.abs(xm.data[i * 9 + k]! - (lambda * x.data[i * 9 + k]! + (1 - lambda) * x.data[j * 9 + k]!)) < 1e-4));
      assert.ok(partners.length >= 1, `sample ${i} is λ·itself + (1 − λ)·a partner`);
      if (y.data[partners[0]!] !== y.data[i]) assert.ok(Math.abs(rows[i]![y.data[partners[0]!]!]! - (1 - lambda)) < 1e-6, "the partner's class weighs 1 − λ");
    }
  });

  test("λ follows Beta(α, α): mean 1/2 and variance 1/(4(2α+1)) over many batches", () => {
    const g = new mn.Generator(12), x = batch(2, 1, 1, 1), y = mn.tensor([0, 1], { dtype: "int32" }), draws: number[] = [];
    for (let k = 0; k < 6000; k++) {
      const [, ym] = T.mixup(x, y, { numClasses: 2, alpha: 0.5, generator: g });
      if (ym.data[1]! > 0) draws.push(ym.data[0]!); // the two samples were paired with each other: sample 0 keeps λ of its class
    }
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / draws.length;
    assert.ok(draws.length > 2000 && Math.abs(mean - 0.5) < 0.02, `mean ${mean} over ${draws.length}`);
    assert.ok(Math.abs(variance - 1 / 8) < 0.01, `variance ${variance}, Beta(½, ½) has 1/8`);
  });

  test("cutmix pastes one box from the partner and weighs the targets by the pasted area", () => {
    const x = batch(6, 2, 8, 8), y = labels(6);
    const [xm, ym] = T.cutmix(x, y, { numClasses: 4, generator: new mn.Generator(13) });
    for (let b = 0; b < 6; b++) {
      let changed = 0;
      for (let k = 0; k < 128; k++) if (xm.data[b * 128 + k] !== x.data[b * 128 + k]) changed++;
      const own = ym.data[b * 4 + y.data[b]!]!;
      const pastedShare = changed / 128;
      // Pasting from itself changes nothing; otherwise the pasted share of pixels is 1 − the own label's weight.
      if (changed > 0) assert.ok(Math.abs(own - (1 - pastedShare)) < 1e-6 || own >= 1 - 1e-6, `image ${b}: own ${own}, pasted ${pastedShare}`);
    }
    assert.throws(() => T.cutmix(x, y, { numClasses: 0 }), /cutmix: invalid numClasses; expected a positive integer, got 0/);
    assert.throws(() => T.mixup(x, labels(5), { numClasses: 4 }), /mixup: 5 targets for a batch of 6/);
  });
});
