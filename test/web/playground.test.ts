import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "puppeteer-core";
import * as mn from "../../src/index.node.js";
import { openPage, serveFolder, type OpenedPage } from "./harness.js";

/** The page's settings that the reference run below reads (the page's defaults unless a test's URL says otherwise). */
interface Run {
  data: mn.data.Toy2dName; noise: number; samples: number; hidden: number[]; activation: mn.nn.ActivationName;
  optimizer: (params: mn.Tensor[], lr: number) => mn.optim.Optimizer<mn.optim.GroupOptions>; lr: number; batchSize: number; l2: number;
  dropout: number; seed: number;
}
const adam = (params: mn.Tensor[], lr: number) => new mn.optim.Adam(params, { lr });
const DEFAULT_RUN: Run = {
  data: "spirals", noise: 0.05, samples: 300, hidden: [16, 16], activation: "relu", optimizer: adam, lr: 0.01, batchSize: 16, l2: 0, dropout: 0, seed: 1,
};

/**
 * The reference: what the page says it does, written out here with the library in Node on the wasm backend (the page's
 * worker trains on wasm, the core's choice in a browser with WebAssembly SIMD: the same module, so the same bits) — the data
 * from toy2d on a generator seeded with the seed (training set, then a test set of half the size), the weights from
 * mn.manualSeed(seed), the optimizer over shuffled mini-batches (the loader's generator seeded with seed + 1), cross-entropy
 * plus the L2 penalty on the weights (not the biases);
 * then each set's loss and accuracy in eval mode, and the model's p(class 1) on probabilityGrid's 64 × 64 grid.
 */
function referenceRun(run: Run, epochs: number, backend = "wasm") {
  const previous = mn.getBackend();
  mn.setBackend(backend);
  try {
    const stream = new mn.Generator(run.seed);
    const train = mn.data.toy2d(run.data, run.samples, { noise: run.noise, generator: stream });
    const test = mn.data.toy2d(run.data, Math.floor(run.samples / 2), { noise: run.noise, generator: stream });
    mn.manualSeed(run.seed);
    const model = mn.nn.mlp({ inputs: 2, hidden: run.hidden, outputs: 2, activation: run.activation, dropout: run.dropout });
    const optimizer = run.optimizer(model.parameters(), run.lr), weights = mn.nn.decayedParameters(model);
    const loader = new mn.data.DataLoader(new mn.data.TensorDataset(train.x, train.y), { batchSize: run.batchSize, shuffle: true, generator: new mn.Generator(run.seed + 1) });
    let steps = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const [x, y] of loader) {
        optimizer.zeroGrad();
        const loss = mn.nn.functional.crossEntropy(model.forward(x), y);
        (run.l2 > 0 ? loss.add(mn.nn.l2Penalty(weights, run.l2)) : loss).backward();
        optimizer.step();
        steps++;
      }
    }
    const score = (set: { x: mn.Tensor; y: mn.Tensor }) => mn.train.evaluate(model, [[set.x, set.y]], mn.nn.functional.crossEntropy);
    const both = [...train.x.data, ...test.x.data];
    const grid = mn.report.probabilityGrid(model, { inputShape: [2], standardize: null }, { x: both.filter((_, i) => i % 2 === 0), y: both.filter((_, i) => i % 2 === 1) }, 64);
    let class1 = 0;
    for (let k = 0; k < 64 * 64; k++) if (grid.probabilities[2 * k + 1]! > 0.5) class1++;
    return { steps, train: score(train), test: score(test), class1 };
  } finally {
    mn.setBackend(previous);
  }
}

/** The page's numbers, as the exact strings it writes (a JavaScript number's shortest round-trip form). */
const shown = (page: Page) => page.$eval(".playground", (e) => Object.fromEntries(
  ["state", "epoch", "steps", "train-loss", "train-accuracy", "test-loss", "test-accuracy", "grid-class1", "backend"]
    .map((k) => [k.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), e.getAttribute(`data-${k}`) ?? ""])));

async function withPlayground(query: string, body: (opened: OpenedPage) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "minima-playground-"));
  const server = await serveFolder(root);
  try {
    const opened = await openPage(`${server.url}#/lab/playground${query}`);
    try {
      await opened.page.waitForSelector(".playground[data-epoch='0']");
      await body(opened);
      assert.deepEqual(opened.problems, []);
    } finally {
      await opened.close();
    }
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

describe("the playground page (Chromium)", () => {
  test("with its default settings, spirals reach over 95% training accuracy within 90 s of training in the page; no problems", { timeout: 150_000 }, async () => {
    await withPlayground("", async ({ page }) => {
      const before = await shown(page);
      assert.ok(Number(before.trainAccuracy) < 0.8, `untrained: ${before.trainAccuracy}`);
      await page.click(".playground button.play");
      const started = Date.now();
      await page.waitForFunction('Number(document.querySelector(".playground").dataset.trainAccuracy) > 0.95', { timeout: 90_000, polling: 100 });
      const seconds = (Date.now() - started) / 1000;
      await page.click(".playground button.play");
      await page.waitForSelector(".playground[data-state='paused']");
      const after = await shown(page);
      assert.ok(Number(after.trainAccuracy) > 0.95, after.trainAccuracy);
      assert.match(await page.$eval(".playground .train-accuracy", (e) => e.textContent ?? ""), /^(9[5-9]|100)\.\d%$/);
      // The curves and the regions were drawn: uPlot's canvases, and the regions' canvas holding both classes' tints.
      assert.equal(await page.$$eval(".playground .curves canvas", (c) => c.length), 2);
      const tints = await page.evaluate(`(() => {
        const { data } = document.querySelector("canvas.regions").getContext("2d").getImageData(0, 0, 420, 420);
        let bluish = 0, orangish = 0;
        for (let k = 0; k < data.length; k += 4) { if (data[k + 2] > data[k] + 40) bluish++; if (data[k] > data[k + 2] + 40) orangish++; }
        return { bluish, orangish };
      })()`) as { bluish: number; orangish: number };
      assert.ok(tints.bluish > 20_000 && tints.orangish > 20_000, JSON.stringify(tints));
      console.log(`playground: spirals past 95% training accuracy at epoch ${after.epoch}, ${seconds.toFixed(1)} s after Train`);
    });
  });

  test("three Steps train three epochs on wasm whose losses, accuracies and decision grid equal a plain Adam loop's in Node (wasm backend) bit for bit", { timeout: 90_000 }, async () => {
    await withPlayground("", async ({ page }) => {
      for (let epoch = 1; epoch <= 3; epoch++) {
        await page.click(".playground button.step");
        await page.waitForSelector(`.playground[data-epoch='${epoch}']`);
      }
      const reference = referenceRun(DEFAULT_RUN, 3);
      assert.deepEqual(await shown(page), {
        state: "paused", epoch: "3", steps: String(reference.steps),
        trainLoss: String(reference.train.loss), trainAccuracy: String(reference.train.accuracy),
        testLoss: String(reference.test.loss), testAccuracy: String(reference.test.accuracy), gridClass1: String(reference.class1), backend: "wasm",
      });
      assert.equal(await page.$eval(".playground .backend", (e) => e.textContent), "wasm backend");
      assert.equal(reference.steps, 3 * Math.ceil(300 / 16));
    });
  });

  test("settings come from the URL and go back into it: moons with a 3 × 8 tanh network match Node's run; changing the data set rewrites the URL and starts over", { timeout: 90_000 }, async () => {
    const run: Run = { ...DEFAULT_RUN, data: "moons", noise: 0.1, hidden: [8, 8, 8], activation: "tanh", lr: 0.03, batchSize: 10, seed: 4, samples: 200 };
    await withPlayground("?data=moons&noise=0.1&hidden=8,8,8&activation=tanh&lr=0.03&batchSize=10&seed=4&samples=200", async ({ page }) => {
      assert.equal(await page.evaluate('document.querySelector(".playground select").value'), "moons");
      await page.click(".playground button.step");
      await page.waitForSelector(".playground[data-epoch='1']");
      const reference = referenceRun(run, 1);
      const now = await shown(page);
      assert.equal(now.trainLoss, String(reference.train.loss));
      assert.equal(now.testAccuracy, String(reference.test.accuracy));
      assert.equal(await page.$eval(".playground .panel p.muted", (e) => e.textContent), "MLP 2-8-8-8-2, 186 parameters");
      await page.select(".playground select", "circles");
      await page.waitForFunction('location.hash.includes("data=circles")');
      await page.waitForSelector(".playground[data-epoch='0']");
      assert.equal(new URLSearchParams((await page.evaluate("location.hash") as string).split("?")[1]).get("hidden"), "8,8,8");
    });
  });

  test("SGD with momentum, L2 and dropout: two Steps equal Node's loop (momentum 0.9, (λ/2)·Σw² on the weights, dropout from mn.manualSeed) bit for bit", { timeout: 90_000 }, async () => {
    const run: Run = { ...DEFAULT_RUN, optimizer: (params, lr) => new mn.optim.SGD(params, { lr, momentum: 0.9 }), lr: 0.1, l2: 0.01, dropout: 0.2, data: "xor", seed: 7 };
    await withPlayground("?optimizer=momentum&lr=0.1&l2=0.01&dropout=0.2&data=xor&seed=7", async ({ page }) => {
      for (let epoch = 1; epoch <= 2; epoch++) {
        await page.click(".playground button.step");
        await page.waitForSelector(`.playground[data-epoch='${epoch}']`);
      }
      const reference = referenceRun(run, 2), now = await shown(page);
      assert.deepEqual([now.trainLoss, now.testLoss, now.gridClass1], [String(reference.train.loss), String(reference.test.loss), String(reference.class1)]);
      // Without the penalty or without dropout the run is another: the settings reached the worker.
      const plain = referenceRun({ ...run, l2: 0 }, 2), undropped = referenceRun({ ...run, dropout: 0 }, 2);
      assert.notEqual(now.trainLoss, String(plain.train.loss));
      assert.notEqual(now.trainLoss, String(undropped.train.loss));
    });
  });

  test("a value the URL holds out of range is not used, the page says so and the URL gets the value used; a diverging run stops with a message", { timeout: 90_000 }, async () => {
    await withPlayground("?lr=-1&data=spiral&optimizer=sgd&hidden=&dropout=0.2", async ({ page }) => {
      assert.equal(await page.$eval(".playground p.error", (e) => e.textContent),
        'Not used from the URL, defaults taken instead: data="spiral" (expected one of spirals, moons, circles, xor); lr="-1" (expected a number in (0, 10]); ' +
        'dropout="0.2" (expected 0 without a hidden layer: there are no units to drop).');
      assert.equal(await page.$eval(".playground .panel p.muted", (e) => e.textContent), "MLP 2-2, 6 parameters");
      const query = new URLSearchParams((await page.evaluate("location.hash") as string).split("?")[1]);
      assert.deepEqual([query.get("data"), query.get("lr"), query.get("optimizer"), query.get("dropout")], ["spirals", "0.01", "sgd", "0"]);
    });
    await withPlayground("?optimizer=sgd&lr=10&activation=leaky-relu&l2=1", async ({ page }) => {
      await page.click(".playground button.play");
      await page.waitForSelector(".playground p.note");
      const { epoch, trainLoss, state } = await shown(page);
      assert.equal(state, "paused");
      assert.equal(await page.$eval(".playground p.note", (e) => e.textContent),
        `The training loss became ${trainLoss} at epoch ${epoch}: the steps diverged. Lower the learning rate to start over.`);
      assert.equal(trainLoss, "NaN");
    });
  });
});
