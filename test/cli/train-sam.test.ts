import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { prepare, trainCommand } from "../../src/cli/commands/train.js";
import { readTrainConfig } from "../../src/cli/run-config-file.js";
import { SAM } from "../../src/optim/sam.js";
import { SGD } from "../../src/optim/sgd.js";
import { parseCli, useCli, type Verdict } from "./run-minima.js";

const cli = useCli();
const train = (...argv: string[]) => parseCli(trainCommand, ...argv);
const refused = (error: string): Verdict => ({ error, warnings: [] });

describe("minima train --sam", () => {
  test("trains a batch-norm MLP with SAM (m 2), says so, records the flags, and the report shows ρ, and the run rebuilds as SAM around SGD (what --resume and openRun use)", () => {
    const out = join(cli.tmp(), "sam");
    const r = cli.run("train", "--sam", "0.05", "--sam-m", "2", "--batch-norm", "--hidden", "32", "--train-size", "2000", "--epochs", "1", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /momentum lr 0\.05, SAM ρ 0\.05, m 2;/);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8"));
    assert.deepEqual([config.sam, config.samAdaptive, config.samM], [0.05, undefined, 2]);
    const epoch = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l)).find((l) => l.kind === "epoch");
    assert.ok(epoch.testAccuracy > 0.75, `test accuracy ${epoch.testAccuracy}`);
    assert.match(readFileSync(join(out, "report.html"), "utf8"), /<dt>SAM ρ<\/dt><dd>0\.05<\/dd>/);
    const { optimizer } = prepare(readTrainConfig(out, "--resume"));
    assert.ok(optimizer instanceof SAM && optimizer.base instanceof SGD, optimizer.constructor.name);
    assert.deepEqual([optimizer.rho, optimizer.adaptive, optimizer.m, optimizer.paramGroups[0]!.lr], [0.05, false, 2, 0.05]);
  });

  test("--sam-adaptive and --sam-m without --sam are refused; --sam takes a number > 0 (exact messages)", () => {
    assert.deepEqual(train("--sam-adaptive"), refused("minima: --sam-adaptive: does nothing without --sam <rho>: it makes SAM adaptive (ASAM)"));
    assert.deepEqual(train("--sam-m", "4"), refused("minima: --sam-m: does nothing without --sam <rho>: it splits SAM's batches into m chunks"));
    assert.deepEqual(train("--sam", "0"), refused("error: option '--sam <rho>' argument '0' is invalid. expected a number > 0."));
    assert.deepEqual(train("--sam", "0.05", "--sam-m", "0"), refused("error: option '--sam-m <m>' argument '0' is invalid. expected an integer ≥ 1."));
    assert.deepEqual(train("--sam", "1", "--sam-adaptive", "--sam-m", "4"), { error: null, warnings: [] });
  });
});
