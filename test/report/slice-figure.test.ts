import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nonFiniteReplacer } from "../../src/io/non-finite-json.js";
import { parseSliceFile, sliceFigure } from "../../src/report/slice-figure.js";

const settings = { run: "r", checkpoint: "best", directions: "pca", dim: 2, points: 3, range: null, seed: 0, batches: 1, batchSize: 8, weights: "00" };
const about = { explainedVariance: [0.621, 0.2], epochs: [0, 1, 2], coordinates: [[-1, 0.5], [-0.4, 0.1], [0, 0]] };
const slice = { alphas: [[-1, 0, 1], [-1, 0, 1]], shape: [3, 3], losses: [1, 2, 3, 4, 0.5, NaN, Infinity, 2, 1], accuracies: Array(9).fill(null) };
/** The text minima slice writes: JSON.stringify with nonFiniteReplacer, the settings and what the directions are beside the result. */
const text = JSON.stringify({ settings, samples: 8, ...about, ...slice }, nonFiniteReplacer, 2);

describe("slice.json: parseSliceFile and sliceFigure (the file minima slice writes as the reference)", () => {
  test("the losses come back with NaN and Infinity, and a PCA plane's figure carries the run's path through its epochs", () => {
    const file = parseSliceFile(text, "slice.json");
    assert.deepEqual(file.losses, slice.losses);
    assert.deepEqual(file.alphas, slice.alphas);
    const figure = sliceFigure({ ...file, ...file.settings }, "runs/a");
    assert.equal(figure.title, "loss of runs/a (best) along the first two principal axes of the run's epochs");
    assert.deepEqual(figure.axes, ["PC1 (62.1% of the path's variance)", "PC2 (20.0% of the path's variance)"]);
    assert.deepEqual(figure.paths, [{ name: "training path", x: [-1, -0.4, 0], y: [0.5, 0.1, 0] }]);
    assert.deepEqual(figure.points, [{ x: -1, y: 0.5, label: "epoch 0" }, { x: 0, y: 0, label: "best", shape: "star" }]);
  });

  test("a line along an eigenvector is named by its eigenvalue; random directions by their kind", () => {
    assert.deepEqual(sliceFigure({ directions: "eigen", dim: 1, checkpoint: "last", eigenvalues: [12.3456] }, "r"),
      { title: "loss of r (last) along the top Hessian eigenvector", axes: ["eigenvector 1 (λ = 12.35)"], points: [{ x: 0, y: 0, label: "last", shape: "star" }] });
    assert.deepEqual(sliceFigure({ directions: "random", dim: 2, checkpoint: "best" }, "r").axes,
      ["random direction 1 (filter-normalized)", "random direction 2 (filter-normalized)"]);
  });

  test("a file that is no slice is refused naming it (exact texts)", () => {
    assert.throws(() => parseSliceFile("{", "s/slice.json"), (e: Error) => e.message.startsWith("s/slice.json: is not JSON ("));
    assert.throws(() => parseSliceFile(JSON.stringify({ ...slice, settings, losses: [1] }), "s/slice.json"),
      { message: "s/slice.json: is not a slice; expected settings, a shape of one or two sizes, steps (alphas) along each direction and a loss per cell" });
  });
});
