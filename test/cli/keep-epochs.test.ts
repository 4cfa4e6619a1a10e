import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { prepare } from "../../src/cli/commands/train.js";
import { openRun } from "../../src/cli/open-run.js";
import { readTrainConfig } from "../../src/cli/run-config-file.js";
import { loadSafetensors } from "../../src/io/safetensors-file.js";
import { useCli } from "./run-minima.js";

const cli = useCli();

test("minima train --keep-epochs keeps epoch-0000 (the initialization, rebuilt from config.json by prepare) to epoch-0003, the last equal to the last checkpoint's weights; without the flag there is no epochs folder", () => {
  const run = join(cli.tmp(), "run"), plain = join(cli.tmp(), "plain");
  assert.equal(cli.run("train", "--epochs", "3", "--train-size", "200", "--hidden", "8", "--keep-epochs", "--out", run).code, 0);
  const dir = join(run, "checkpoints", "epochs");
  assert.deepEqual(readdirSync(dir).sort(), ["0000", "0001", "0002", "0003"].map((e) => `epoch-${e}.safetensors`));
  const files = readdirSync(dir).sort().map((f) => join(dir, f));
  const initial = prepare(readTrainConfig(run, "test")).model.stateDict(), kept0 = loadSafetensors(files[0]!);
  for (const [k, t] of Object.entries(initial)) assert.deepEqual([...kept0[k]!.data], [...t.data], k);
  const last = openRun(run, { checkpoint: "last", where: "test" }).model.stateDict(), kept3 = loadSafetensors(files[3]!);
  for (const [k, t] of Object.entries(last)) assert.deepEqual([...kept3[k]!.data], [...t.data], k);
  assert.equal(cli.run("train", "--epochs", "1", "--train-size", "200", "--hidden", "8", "--out", plain).code, 0);
  assert.ok(!existsSync(join(plain, "checkpoints", "epochs")));
});
