import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import * as mn from "../../src/index.node.js";
import { loadDataset, loadDatasetParts } from "../../src/cli/dataset.js";
import { repoRoot } from "../helpers/repo-root.js";
import { testErrorCases } from "../helpers/error-cases.js";
import { expectedPixels, testImage, writePngs, type TestImage } from "../helpers/image-folder.js";
import { useCli } from "./run-minima.js";

const cli = useCli({ MINIMA_BACKEND: "" });
const minima = cli.run, tmp = cli.tmp;
const SPIRALS = join(repoRoot(), "test", "fixtures", "data", "spirals.csv");

const epochs = (run: string): Record<string, number | null>[] =>
  readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.kind === "epoch");

/** The share of samples the run's saved model classifies right, counted here by a loop over its outputs. */
function savedModelAccuracy(run: string, x: mn.Tensor, y: mn.Tensor): number {
  const { model, preprocessing } = mn.nn.loadModel(join(run, "model.safetensors"));
  const out = mn.noGrad(() => model.forward(mn.data.preprocess(preprocessing, x)));
  const k = out.shape[1]!;
  let correct = 0;
  for (let i = 0; i < y.shape[0]!; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (out.data[i * k + c]! > out.data[i * k + best]!) best = c;
    if (best === y.data[i]) correct++;
  }
  return correct / y.shape[0]!;
}

/** An 8×8 grey image of one brightness band: dark (bytes 0..99) or light (156..255), a class any model can tell. */
function banded(light: boolean, seed: number): TestImage {
  const image = testImage(8, 8, 1, seed);
  return { ...image, data: image.data.map((b) => (light ? 156 : 0) + (b % 100)) };
}

describe("minima train --dataset <file.csv>", () => {
  test("the two-spirals fixture is what tools/make_spirals_csv.mjs writes (closed form, fixed seed)", () => {
    const r = spawnSync(process.execPath, [join(repoRoot(), "tools", "make_spirals_csv.mjs"), "--stdout"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(SPIRALS, "utf8"));
  });

  test("spirals.csv end to end: an MLP on the 2 features learns both spirals (≥ 97% of the 400 points by the saved model), and the report draws the decision regions", () => {
    const out = join(tmp(), "spirals");
    const r = minima("train", "--dataset", SPIRALS, "--optimizer", "adam", "--lr", "0.01", "--epochs", "60", "--batch-size", "32", "--hidden", "64,64", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^minima train: spirals\.csv, 360 train \/ 40 val \/ 0 test, MLP 2-64-64-2 \(4482 parameters\)/);
    const last = epochs(out).at(-1)!;
    assert.equal(last["testAccuracy"], null);
    const { dataset } = mn.data.readCsv(SPIRALS);
    const [x, y] = dataset.tensors as [mn.Tensor, mn.Tensor];
    const accuracy = savedModelAccuracy(out, x, y);
    assert.ok(accuracy >= 0.97, `accuracy ${accuracy}`);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.equal(config.dataset, SPIRALS);
    const html = readFileSync(join(out, "report.html"), "utf8");
    const figure = /<figure id="plot-decision-regions">\n(<svg[\s\S]*?<\/svg>)/.exec(html);
    assert.ok(figure, "a decision-regions figure with an SVG");
    assert.match(figure[1]!, /Decision regions on spirals\.csv \(400 samples\)/);
    assert.equal(figure[1]!.match(/<circle cx/g)!.length - 2, 400, "400 samples drawn (and 2 legend dots)");
  });

  test("--label-column picks the label by name; config.json records it and --resume reads the same columns", () => {
    const dir = tmp();
    const csv = join(dir, "first.csv");
    writeFileSync(csv, "class,a,b\n" + Array.from({ length: 40 }, (_, i) => `${i % 2},${(i % 2) * 2 + (i % 7) / 10},${i / 40}`).join("\n") + "\n");
    const out = join(dir, "run");
    const r = minima("train", "--dataset", csv, "--label-column", "class", "--epochs", "2", "--hidden", "8", "--batch-size", "8", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /first\.csv, 36 train \/ 4 val \/ 0 test, MLP 2-8-2 /);
    assert.equal(JSON.parse(readFileSync(join(out, "config.json"), "utf8")).labelColumn, "class");
    // The report reads the samples again with the run's label column: 40 dots and 2 legend dots.
    assert.equal(readFileSync(join(out, "report.html"), "utf8").match(/<circle cx/g)?.length, 42);
    const resumed = minima("train", "--resume", out);
    assert.equal(resumed.code, 0, resumed.err);
  });

  test("decision regions only for 2 features: none for 3; a note when the CSV has moved since", () => {
    const dir = tmp();
    const three = join(dir, "three.csv"), two = join(dir, "two.csv");
    writeFileSync(three, "a,b,c,label\n" + Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 5},${i % 2}`).join("\n") + "\n");
    writeFileSync(two, "a,b,label\n" + Array.from({ length: 20 }, (_, i) => `${i},${i % 3},${i % 2}`).join("\n") + "\n");
    for (const csv of [three, two]) assert.equal(minima("train", "--dataset", csv, "--epochs", "1", "--hidden", "4", "--out", join(dir, `run-${basename(csv)}`)).code, 0);
    assert.doesNotMatch(readFileSync(join(dir, "run-three.csv", "report.html"), "utf8"), /decision-regions/);
    rmSync(two);
    assert.equal(minima("report", join(dir, "run-two.csv")).code, 0);
    const html = readFileSync(join(dir, "run-two.csv", "report.html"), "utf8");
    assert.match(html, /<figure id="plot-decision-regions">\n<p class="note missing">The data set .*two\.csv is not there now\.<\/p>/);
  });

  test("minima evaluate: a CSV run has no test split, so evaluate asks for one; named, the whole file is evaluated", () => {
    const out = join(tmp(), "spirals");
    assert.equal(minima("train", "--dataset", SPIRALS, "--epochs", "1", "--hidden", "8", "--out", out).code, 0);
    const refused = minima("evaluate", out);
    assert.equal(refused.code, 2);
    assert.equal(refused.err, `minima: evaluate: ${join(out, "model.safetensors")} was trained on ${SPIRALS}, which has no test split (training held out only a validation split); name a test set with --dataset\n`);
    const named = minima("evaluate", out, "--dataset", SPIRALS, "--label-column", "label");
    assert.equal(named.code, 0, named.err);
    assert.match(named.out, / on all of spirals\.csv \(400 samples\)/);
  });
});

describe("minima train --dataset <folder of PNG class folders>", () => {
  test("train/ and test/ folders of classes: an MLP and a CNN learn dark from light images (test accuracy 100% by the saved model)", () => {
    const root = tmp();
    const images: Record<string, TestImage> = {};
    for (let i = 0; i < 24; i++) {
      const part = i < 16 ? "train" : "test";
      images[`${part}/dark/${i}.png`] = banded(false, i);
      images[`${part}/light/${i}.png`] = banded(true, i + 100);
    }
    writePngs(root, images);
    const test = mn.data.imageFolder(join(root, "test")).dataset.tensors as [mn.Tensor, mn.Tensor];
    for (const model of ["mlp", "cnn"]) {
      const out = join(tmp(), model);
      const r = minima("train", "--dataset", root, "--model", model, "--epochs", "5", "--hidden", "16", ...(model === "cnn" ? ["--channels", "4"] : []), "--batch-size", "4", "--out", out);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`minima train: ${root.split("/").at(-1)}, 29 train / 3 val / 16 test, ${model === "mlp" ? "MLP 64-16-2" : "CNN conv3x3 4, dense 16-2"} `));
      assert.equal(savedModelAccuracy(out, test[0], test[1]), 1);
      assert.deepEqual(mn.nn.loadModel(join(out, "model.safetensors")).classes, ["dark", "light"]);
    }
  });

  test("grey train/ and an RGB test/: both become RGB, grey repeated (bytes k/255)", () => {
    const root = tmp();
    const grey = testImage(2, 2, 1, 7);
    writePngs(root, { "train/a/1.png": grey, "train/b/1.png": grey, "test/a/1.png": testImage(2, 2, 3, 8), "test/b/1.png": grey });
    const parts = loadDatasetParts(root);
    assert.deepEqual([parts.train.tensors[0]!.shape, parts.test.tensors[0]!.shape], [[2, 3, 2, 2], [2, 3, 2, 2]]);
    assert.deepEqual(Array.from(parts.train.tensors[0]!.data.subarray(0, 12)), expectedPixels(grey, 3));
  });

  test("one folder of classes is a training set without a test split", () => {
    const root = tmp();
    writePngs(root, { "a/1.png": testImage(3, 3, 3, 1), "a/2.png": testImage(3, 3, 3, 2), "b/1.png": testImage(3, 3, 1, 3) });
    const data = loadDataset(root, { valFraction: 0, standardize: "none", seed: 0 });
    assert.deepEqual([data.train.length, data.test.length, data.inputShape, data.classNames], [3, 0, [3, 3, 3], ["a", "b"]]);
  });
});

describe("--dataset and --label-column: bad data fails naming the file, line, column or image", () => {
  const dir = tmp();
  const write = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const ragged = write("ragged.csv", "x,y,label\n1,2,0\n3,1\n");
  const word = write("word.csv", "x,y,label\n1,2,0\n3,four,1\n");
  const empty = write("empty.csv", "");
  const text = write("notes.txt", "x");
  const good = write("good.csv", "x,y,label\n1,2,0\n3,4,1\n");
  const noImages = join(dir, "no-images");
  writePngs(noImages, { "a/1.png": testImage(2, 2, 1, 0) });
  mkdirSync(join(noImages, "b"));
  const notPng = join(dir, "not-png");
  writePngs(notPng, { "a/1.png": testImage(2, 2, 1, 0) });
  writeFileSync(join(notPng, "a", "2.jpg"), "x");
  const sizes = join(dir, "sizes");
  writePngs(sizes, { "a/1.png": testImage(2, 2, 1, 0), "b/1.png": testImage(3, 2, 1, 0) });
  const classes = join(dir, "classes");
  writePngs(classes, { "train/a/1.png": testImage(2, 2, 1, 0), "train/b/1.png": testImage(2, 2, 1, 0), "test/a/1.png": testImage(2, 2, 1, 0), "test/c/1.png": testImage(2, 2, 1, 0) });
  const partSizes = join(dir, "part-sizes");
  writePngs(partSizes, { "train/a/1.png": testImage(2, 2, 1, 0), "test/a/1.png": testImage(4, 2, 1, 0) });
  const load = (name: string, labelColumn?: string) => () => loadDatasetParts(name, { labelColumn });
  testErrorCases([
    ["a ragged row", load(ragged), `readCsv: ${ragged}: line 3 has 2 cells, the header 3; expected the same number of cells on every line`],
    ["a word among the numbers", load(word), `readCsv: ${word}: line 3, column 2 (y): "four" is not a number; expected a decimal number in every feature cell`],
    ["an empty file", load(empty), `readCsv: ${empty}: the file is empty; expected a header row (optional) and rows of numbers`],
    ["a missing .csv file", load(join(dir, "gone.csv")), `--dataset: no such file: ${join(dir, "gone.csv")}`],
    ["a file that is not .csv", load(text), `--dataset: ${text} is a file, but not a .csv file; expected mnist, fashion-mnist, a .csv file, or an existing folder (IDX files, or class folders of PNG images)`],
    ["an unknown --label-column", load(good, "z"), `readCsv: --label-column "z" is not a column of ${good}; expected one of x, y, label, or a column number 0..2`],
    ["--label-column without a CSV", load("mnist", "label"), "--label-column: does nothing with --dataset mnist; it acts with a CSV file"],
    ["a class folder without images", load(noImages), `imageFolder: class folder ${join(noImages, "b")} holds no PNG images`],
    ["a file that is not a PNG", load(notPng), `imageFolder: ${join(notPng, "a", "2.jpg")} is not a PNG image; expected only .png files in the class folders`],
    ["images of two sizes", load(sizes), `imageFolder: ${join(sizes, "b", "1.png")} is 3×2 pixels, ${join(sizes, "a", "1.png")} 2×2; expected one size for all images (resize them first)`],
    ["train/ and test/ of two sizes", load(partSizes), `--dataset: ${join(partSizes, "test", "a", "1.png")} is 4×2 pixels, ${join(partSizes, "train", "a", "1.png")} 2×2; expected one size for the images of train/ and test/ (resize them first)`],
    ["train/ and test/ with other classes", load(classes), `--dataset: ${join(classes, "test")} has the classes a, c, ${join(classes, "train")} a, b; expected the same class folders in both`],
  ]);

  test("the CLI prints the message and exits 1 (bad data) or 2 (a bad flag)", () => {
    const r = minima("train", "--dataset", ragged);
    assert.deepEqual([r.code, r.err], [1, `minima: readCsv: ${ragged}: line 3 has 2 cells, the header 3; expected the same number of cells on every line\n`]);
    const flag = minima("train", "--label-column", "label");
    assert.deepEqual([flag.code, flag.err], [2, "minima: --label-column: does nothing with --dataset mnist; it acts with a CSV file\n"]);
  });
});
