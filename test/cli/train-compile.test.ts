import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { useCli } from "./run-minima.js";

const cli = useCli();

/** metrics.jsonl's records without the wall-clock fields (seconds, samples/s), the only ones two identical runs differ in. */
function records(dir: string): Record<string, unknown>[] {
  return readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => {
    const { seconds: _s, samplesPerSecond: _r, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return rest;
  });
}

const FLAGS = ["train", "--hidden", "16", "--train-size", "600", "--batch-size", "64", "--optimizer", "adam", "--lr", "0.003", "--seed", "2"];

describe("minima train --compile", () => {
  test("the same run as without it (model.safetensors byte for byte, metrics.jsonl record for record); config.json and the header say so; --resume continues compiled", () => {
    const eager = join(cli.tmp(), "eager"), compiled = join(cli.tmp(), "compiled");
    const a = cli.run(...FLAGS, "--epochs", "2", "--out", eager);
    assert.equal(a.code, 0, a.err);
    // A compiled run of one epoch, then continued to two as a run killed after its first epoch is.
    const b = cli.run(...FLAGS, "--epochs", "1", "--compile", "--out", compiled);
    assert.equal(b.code, 0, b.err);
    assert.match(b.out, /; (native|js|wasm) backend, \d+ threads?, compiled step\n/);
    assert.doesNotMatch(a.out, /compiled step/);
    assert.equal(b.err, "", "no note: every step was captured");
    const configPath = join(compiled, "config.json");
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    assert.equal(config.compile, true);
    writeFileSync(configPath, JSON.stringify({ ...config, epochs: 2 }, null, 2));
    const c = cli.run("train", "--resume", compiled);
    assert.equal(c.code, 0, c.err);
    assert.match(c.out, /resuming .* after step 10 \(epoch 1\)/);
    assert.match(c.out, /compiled step/);
    assert.deepEqual(readFileSync(join(compiled, "model.safetensors")), readFileSync(join(eager, "model.safetensors")));
    assert.deepEqual(records(compiled), records(eager));
  });

  test("with --sam every step runs eagerly: the note on stderr and in metrics.jsonl's events (exact text); --resume with --compile is refused", () => {
    const out = join(cli.tmp(), "sam");
    const r = cli.run("train", "--hidden", "8", "--train-size", "128", "--batch-size", "64", "--epochs", "1", "--sam", "0.05", "--compile", "--out", out);
    assert.equal(r.code, 0, r.err);
    const note = "fit: compile is on, but every step runs eagerly: SAM's closure runs forward and backward twice per step, which fit does not capture";
    assert.equal(r.err, `${note}\n`);
    assert.deepEqual(records(out).filter((l) => l["kind"] === "event"), [{ kind: "event", step: 1, epoch: 1, message: note }]);
    const again = cli.run("train", "--resume", out, "--compile");
    assert.equal(again.code, 2);
    assert.match(again.err, /--resume: continues a run with the flags it was started with \(its config\.json\); drop --compile/);
  });
});
