import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { trainCommand, type TrainFlags } from "../../src/cli/commands/train.js";
import { settingsAttrs } from "../../src/cli/tune-trial.js";
import { forwardLines } from "../../src/tune/node/forward-lines.js";
import { useCli } from "../cli/run-minima.js";
import { WORKER_CLI } from "./worker-helpers.js";

/** Workers running minima's own trial runner (`minima tune run-trial`, each trial a minima train run). */
const cli = useCli();
const small = ["--train-size", "300", "--hidden", "16"];

const epochRecords = (run: string) => readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r["kind"] === "epoch");

function trainFlags(...argv: string[]): TrainFlags {
  const cmd = trainCommand().action(() => {});
  cmd.parse(argv, { from: "user" });
  return cmd.opts<TrainFlags>();
}

describe("workers running minima tune's trials", () => {
  test("minima tune --workers 2: two worker processes run the trials, each the minima train run of its lr (a minima train run is the reference)", () => {
    const out = join(cli.tmp(), "study");
    const r = cli.run("tune", "--space", "lr=float(0.01, 0.3, log)", "--sampler", "random", "--trials", "2", "--workers", "2", "--epochs", "2", ...small, "--out", out);
    assert.equal(r.code, 0, r.err + r.out);
    for (const i of [0, 1]) assert.match(r.out, new RegExp(`^\\[worker ${i}\\] worker done: 1 trial \\(--trials reached\\)$`, "m"));
    const study = mn.tune.loadStudy({ storage: join(out, "journal.log"), studyName: "study" });
    assert.deepEqual(study.trials.map((t) => [t.number, t.state]), [[0, "COMPLETE"], [1, "COMPLETE"]]);
    for (const t of study.trials) {
      const reference = join(cli.tmp(), "reference");
      const ref = cli.run("train", "--lr", String(t.params["lr"]), "--epochs", "2", ...small, "--out", reference);
      assert.equal(ref.code, 0, ref.err);
      assert.deepEqual(epochRecords(join(out, "trials", String(t.number))).map((e) => e["valLoss"]), epochRecords(reference).map((e) => e["valLoss"]));
      assert.equal(t.value, epochRecords(reference).at(-1)!["valLoss"]);
    }
  });

  test("kill -9 of a worker mid-trial: the next worker reaps the trial and its retry resumes the run to minima train's uninterrupted weights (model.safetensors bytes)", async () => {
    const out = join(cli.tmp(), "study");
    mkdirSync(out);
    const journal = join(out, "journal.log");
    const flags = ["--epochs", "6", "--train-size", "3000", "--hidden", "64", "--batch-size", "16"];
    const study = mn.tune.createStudy({ storage: journal, studyName: "s", sampler: new mn.tune.RandomSampler({ seed: 0 }) });
    for (const [k, v] of Object.entries(settingsAttrs({ space: { lr: mn.tune.float(0.01, 0.1, { log: true }) }, fixed: trainFlags(...flags), metric: "valLoss", studyDir: out }))) study.setSystemAttr(k, v);
    study.enqueueTrial({ lr: 0.05 });
    study.storage.close();
    const worker = (...args: string[]) => {
      const proc = spawn(WORKER_CLI[0]!, [...WORKER_CLI.slice(1), "--storage", journal, "--study", "s", "--trials", "1", "--heartbeat-interval", "0.25", "--grace", "1", ...args], { ...cli.spawnOptions, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      const lines: string[] = [];
      forwardLines(proc.stdout!, (l) => lines.push(l));
      forwardLines(proc.stderr!, (l) => lines.push(l));
      return { proc, lines, exit: new Promise<number | null>((resolve) => proc.on("close", (code) => resolve(code))) };
    };
    const a = worker();
    const read = () => mn.tune.loadStudy({ storage: journal, studyName: "s" }).trials;
    for (const until = Date.now() + 120_000; (read()[0]?.intermediateValues.size ?? 0) < 1; await new Promise((r) => setTimeout(r, 40))) {
      if (Date.now() > until) throw new Error(`trial 0 reported no epoch:\n${a.lines.join("\n")}`);
    }
    process.kill(-a.proc.pid!, "SIGKILL");
    assert.notEqual(read()[0]!.intermediateValues.size, 6, "killed mid-trial");
    // Past the grace period the next worker's first ask reaps trial 0 and claims its retry.
    await new Promise((r) => setTimeout(r, 1500));
    const b = worker();
    assert.equal(await b.exit, 0, b.lines.join("\n"));
    const [dead, retry] = read();
    assert.equal(dead!.state, "FAIL");
    assert.equal(retry!.state, "COMPLETE");
    assert.equal(retry!.systemAttrs["failed_trial"], 0);
    assert.equal(retry!.systemAttrs[mn.tune.ATTR.resumeFrom], join(out, "trials", "0", "checkpoints", "last"));
    const reference = join(cli.tmp(), "reference");
    const r = cli.run("train", "--lr", "0.05", ...flags, "--out", reference);
    assert.equal(r.code, 0, r.err);
    assert.ok(existsSync(join(out, "trials", "1", "model.safetensors")));
    assert.ok(readFileSync(join(out, "trials", "1", "model.safetensors")).equals(readFileSync(join(reference, "model.safetensors"))), "the retry's weights differ from minima train's uninterrupted run");
    assert.equal(retry!.value, epochRecords(reference).at(-1)!["valLoss"]);
  });
});

