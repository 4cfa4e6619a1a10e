import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { constants } from "node:os";
import { nativeStatus } from "../../src/backend/native/index.js";
import { loadCheckpoint } from "../../src/train/checkpoint-files.js";
import { MAIN, useCli } from "./run-minima.js";

const cli = useCli();
const options = cli.spawnOptions;
// 1000 steps an epoch (batches of 4 of 4000 samples), so a signal sent while epoch 2 is drawn lands inside an epoch.
const FLAGS = ["train", "--epochs", "3", "--hidden", "16", "--train-size", "4000", "--batch-size", "4", "--optimizer", "adam", "--seed", "3"];
const HIDE = "\x1b[?25l", SHOW = "\x1b[?25h";

/** Collects a child's output; `when(text)` sends once the output contains it. */
function watch(child: ChildProcess, trigger: string, act: () => void): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    let out = "", done = false;
    const onData = (d: Buffer) => {
      out += d.toString("utf8");
      if (!done && out.includes(trigger)) { done = true; act(); }
    };
    child.stdout!.on("data", onData);
    child.stderr?.on("data", onData);
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code, signal) => { clearTimeout(timer); resolve({ code, signal, out }); });
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe("the native signal flag (native/src/stop-signal.cc)", () => {
  test("installed, a SIGTERM sent to this process sets the flag instead of ending the process; reinstalling clears it", (t) => {
    if (!nativeStatus.loaded) return t.skip(`the native addon did not load: ${nativeStatus.reason}`);
    const addon = nativeStatus.addon;
    assert.equal(addon.installStopSignals(), true);
    try {
      assert.equal(addon.pendingStopSignal(), 0);
      process.kill(process.pid, "SIGTERM");
      const until = Date.now() + 2000;
      while (addon.pendingStopSignal() === 0 && Date.now() < until) { /* delivered to any thread, at once */ }
      assert.equal(addon.pendingStopSignal(), constants.signals.SIGTERM);
    } finally {
      addon.removeStopSignals();
    }
    // Reinstalling clears the flag.
    assert.equal(addon.installStopSignals(), true);
    assert.equal(addon.pendingStopSignal(), 0);
    addon.removeStopSignals();
  });
});

describe("Ctrl-C and SIGTERM during minima train", () => {
  test("Ctrl-C in a pseudo-terminal (script -qfc, the ^C byte): the cursor is shown again, exit 130, how to resume; --resume ends bit-identical to an uninterrupted run", async (t) => {
    if (spawnSync("script", ["--version"]).status !== 0) return t.skip("script (util-linux) is not installed: no pseudo-terminal to test in");
    const root = cli.tmp(), whole = join(root, "whole"), cut = join(root, "cut");
    const w = spawnSync(process.execPath, [MAIN, ...FLAGS, "--out", whole], { ...options, encoding: "utf8" });
    assert.equal(w.status, 0, w.stderr);

    const command = [process.execPath, MAIN, ...FLAGS, "--out", cut].map(quote).join(" ");
    const child = spawn("script", ["-qfec", command, "/dev/null"], { ...options, stdio: ["pipe", "pipe", "pipe"] });
    // The progress bar of epoch 2 is drawn: the terminal driver turns the ^C byte into SIGINT for the foreground group.
    const end = await watch(child, "epoch 2/3 ", () => child.stdin!.write("\x03"));
    assert.equal(end.code, 130, end.out);
    const hidden = end.out.lastIndexOf(HIDE), shown = end.out.lastIndexOf(SHOW);
    assert.ok(hidden >= 0, "the progress bar hid the cursor");
    assert.ok(shown > hidden, "the cursor is shown again after the last hide");
    assert.ok(end.out.lastIndexOf("\x1b[?7h") > end.out.lastIndexOf("\x1b[?7l"), "line wrapping is back on");
    const m = /minima: train: interrupted by SIGINT after (step (\d+) \(epoch 2, batch (\d+) of 1000\)|epoch 2 \(step 2000\)); the checkpoint in (.+) holds every step so far: continue with\r?\n {2}minima train --resume (.+?)\r?\n/.exec(end.out);
    assert.ok(m, end.out.slice(-600));
    assert.equal(m[4], join(cut, "checkpoints"));
    assert.equal(m[5], cut);
    const saved = loadCheckpoint(join(cut, "checkpoints"), "last");
    if (m[2]) assert.deepEqual([saved.state.step, saved.state.epochsDone, saved.state.batchesDone], [Number(m[2]), 1, Number(m[3])], "the checkpoint is the interruption point");
    t.diagnostic(`interrupted ${m[1]}`);

    const resumed = spawnSync(process.execPath, [MAIN, "train", "--resume", cut], { ...options, encoding: "utf8" });
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`^resuming .* after step ${saved.state.step} `));
    assert.ok(readFileSync(join(cut, "model.safetensors")).equals(readFileSync(join(whole, "model.safetensors"))), "model.safetensors differs from the uninterrupted run's");
  });

  test("SIGTERM: exit 143 with the same message, and a checkpoint at the step it stopped after", async () => {
    const run = join(cli.tmp(), "term");
    const child = spawn(process.execPath, [MAIN, ...FLAGS, "--out", run], options);
    const end = await watch(child, "epoch 1/3 ", () => child.kill("SIGTERM"));
    assert.equal(end.code, 143, end.out);
    const m = /minima: train: interrupted by SIGTERM after (step (\d+) \(epoch 2, batch \d+ of 1000\)|epoch 1 \(step 1000\)); the checkpoint in (.+) holds every step so far: continue with\n {2}minima train --resume (.+)\n$/.exec(end.out);
    assert.ok(m, end.out);
    assert.equal(m[4], run);
    assert.equal(loadCheckpoint(join(run, "checkpoints"), "last").state.step, m[2] ? Number(m[2]) : 1000);
  });

  test("minima compare: SIGTERM ends the comparison after a whole step, exit 143, saying which optimizer it stopped in (no checkpoint to resume)", async () => {
    const child = spawn(process.execPath, [MAIN, "compare", "--optimizers", "sgd,adam", "--epochs", "2", "--hidden", "16", "--train-size", "4000", "--batch-size", "4", "--out", join(cli.tmp(), "cmp")], options);
    const end = await watch(child, "epoch 1/2", () => child.kill("SIGTERM"));
    assert.equal(end.code, 143, end.out);
    assert.match(end.out, /\nminima: compare \(sgd\): interrupted by SIGTERM after (step \d+ \(epoch 2, batch \d+ of 1000\)|epoch 1 \(step 1000\))\n$/);
  });
});
