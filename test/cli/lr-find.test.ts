import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { DataLoader } from "../../src/data/data-loader.js";
import { prepare } from "../../src/cli/commands/train.js";
import { repoRoot } from "../helpers/repo-root.js";
import { useCli } from "./run-minima.js";

const cli = useCli();
const SPIRALS = join(repoRoot(), "test", "fixtures", "data", "spirals.csv");
const FLAGS = ["--dataset", SPIRALS, "--hidden", "16", "--batch-size", "32", "--num-it", "30"];

interface Header {
  kind: string; numIt: number; stop: string; batches: number; oneCycleMaxLr: number | null;
  suggestions: mn.train.LrSuggestions; curvature: { lambdaMax: number; batches: number; lrLimit: number } | null;
}
interface Batch { kind: string; step: number; lr: number; loss: number; smoothed: number }

function readResult(dir: string): { header: Header; batches: Batch[] } {
  const [header, ...batches] = readFileSync(join(dir, "lr_find.jsonl"), "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as unknown);
  return { header: header as Header, batches: batches as Batch[] };
}

describe("minima lr-find", () => {
  test("writes lr_find.jsonl (lr = 1e-7·10^(8i/numIt) per batch, the suggestions of lrSuggestions on its smoothed curve), the SVG and PNG, and prints them", () => {
    const out = join(cli.tmp(), "lr");
    const r = cli.run("lr-find", ...FLAGS, "--out", out);
    assert.equal(r.code, 0, r.err);
    const { header, batches } = readResult(out);
    assert.equal(header.kind, "lr-find");
    assert.equal(batches.length, header.batches);
    assert.equal(header.stop === "numIt", batches.length === 30);
    batches.forEach((b, i) => assert.ok(Math.abs(b.lr - 1e-7 * 10 ** (8 * i / 30)) <= 1e-12 * b.lr, `lr of batch ${i}: ${b.lr}`));
    const expected = mn.train.lrSuggestions({ lrs: batches.map((b) => b.lr), losses: batches.map((b) => b.smoothed), numIt: 30 });
    assert.deepEqual(header.suggestions, JSON.parse(JSON.stringify(expected)));
    assert.equal(header.oneCycleMaxLr, expected.valley?.lr ?? null);
    const valley = expected.valley!.lr;
    assert.match(r.out, new RegExp(`\\n  valley   ${String(Number(valley.toPrecision(3))).replace(".", "\\.")} `));
    assert.ok(r.out.includes(`minima train --schedule one-cycle --max-lr ${Number(valley.toPrecision(3))} `), r.out);
    assert.ok(readFileSync(join(out, "lr_find.svg"), "utf8").startsWith("<svg"));
    assert.deepEqual([...readFileSync(join(out, "lr_find.png")).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });

  test("--curvature: λmax equals the library's Lanczos on the model train builds from the same flags, over its first 4 batches; 2/λmax is printed", () => {
    const out = join(cli.tmp(), "lr");
    const r = cli.run("lr-find", ...FLAGS, "--curvature", "--out", out);
    assert.equal(r.code, 0, r.err);
    const { curvature } = readResult(out).header;
    const setup = prepare({ dataset: SPIRALS, hidden: [16], batchSize: 32, epochs: 1, lr: 1e-7, model: "mlp", channels: [32, 64], activation: "relu", init: "default",
      valFraction: 0.1, standardize: "global", seed: 0, blocks: 2, optimizer: "momentum" });
    const batches = [...new DataLoader(setup.data.train, { batchSize: 32 })].slice(0, 4);
    const H = mn.landscape.hessian(setup.model, mn.nn.functional.crossEntropy, batches);
    const [lambda] = H.topEigen({ k: 1, generator: new mn.Generator(0) }).values;
    assert.ok(curvature !== null && Math.abs(curvature.lambdaMax - lambda!) <= 1e-9 * Math.abs(lambda!), `${curvature?.lambdaMax} vs ${lambda}`);
    assert.equal(curvature.batches, 4);
    assert.equal(curvature.lrLimit, 2 / curvature.lambdaMax);
    assert.ok(r.out.includes(`2/λmax = ${Number((2 / lambda!).toPrecision(3))}`), r.out);
  });

  test("--no-stop-div runs every batch", () => {
    const out = join(cli.tmp(), "lr");
    const r = cli.run("lr-find", ...FLAGS, "--no-stop-div", "--end-lr", "1000", "--out", out);
    assert.equal(r.code, 0, r.err);
    const { header, batches } = readResult(out);
    assert.equal(header.stop, "numIt");
    assert.equal(batches.length, 30);
  });

  test("flags that would do nothing, and a sweep downwards, are refused (exact messages)", () => {
    const cases: [string[], string][] = [
      [["--end-lr", "1e-8"], "minima: --end-lr: 1e-8 is not above --start-lr 1e-7; expected a sweep towards larger learning rates"],
      [["--smoothing", "1"], "minima: --smoothing: 1 leaves no weight on the losses; expected a β in [0, 1)"],
      [["--curvature-batches", "2"], "minima: --curvature-batches: does nothing without --curvature; add --curvature or drop --curvature-batches"],
      [["--epochs", "2"], "error: unknown option '--epochs'"],
      [["--lr", "0.1"], "error: unknown option '--lr'"],
    ];
    for (const [flags, message] of cases) {
      const r = cli.run("lr-find", "--dataset", SPIRALS, ...flags);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.split("\n")[0], message);
    }
  });
});
