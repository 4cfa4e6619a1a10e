import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import * as mn from "../../src/index.node.js";
import * as core from "../../src/index.js";
import { digits, model } from "./fit-helpers.js";

const NODE_ENTRY = new URL("../../src/index.node.js", import.meta.url).href;

/** Runs fit on 60 digits for `epochs` epochs in a fresh Node with stdout and stderr redirected to files, as `node x.js > out 2> err` does. */
function fitInChild(verbose: string, epochs: number): { out: string; err: string } {
  const dir = mkdtempSync(join(tmpdir(), "minima-verbose-"));
  const script = `import * as mn from ${JSON.stringify(NODE_ENTRY)};
    mn.manualSeed(0);
    const x = mn.randn([60, 4]), y = mn.randint(0, 3, [60]);
    const model = mn.nn.mlp({ inputs: 4, hidden: [8], outputs: 3 });
    mn.train.fit(model, { train: new mn.data.TensorDataset(x, y), val: new mn.data.TensorDataset(x, y), optimizer: new mn.optim.SGD(model.parameters(), { lr: 0.1 }),
      epochs: ${epochs}, batchSize: 20${verbose === "default" ? "" : `, verbose: ${verbose}`} });`;
  const out = openSync(join(dir, "out.txt"), "w"), err = openSync(join(dir, "err.txt"), "w");
  try {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", out, err], env: { ...process.env, MINIMA_BACKEND: "js" } });
    assert.equal(r.status, 0, readFileSync(join(dir, "err.txt"), "utf8"));
  } finally {
    closeSync(out);
    closeSync(err);
  }
  return { out: readFileSync(join(dir, "out.txt"), "utf8"), err: readFileSync(join(dir, "err.txt"), "utf8") };
}

// The epoch line as the issue asks for it: epoch, losses, accuracy, lr, time.
const LINE = /^epoch ([1-9])\/3 {2}train loss \d\.\d{4} acc \d+\.\d{2}% {2}val loss \d\.\d{4} acc \d+\.\d{2}% {2}lr 0\.100 {2}\d+\.\ds$/;

describe("fit's verbose (Keras's)", () => {
  test("by default, piped to files, fit leaves one line per epoch on stdout and draws no bar", () => {
    const { out, err } = fitInChild("default", 3);
    const lines = out.trimEnd().split("\n");
    assert.equal(lines.length, 3, out);
    lines.forEach((line, i) => assert.equal(LINE.exec(line)?.[1], String(i + 1), line));
    assert.equal(err, "");
  });

  test("2 prints the lines only; 0 nothing; 1 the lines and a bar on stderr, even off a terminal", () => {
    const two = fitInChild("2", 3);
    assert.equal(two.out.trimEnd().split("\n").filter((l) => LINE.test(l)).length, 3);
    assert.equal(two.err, "");
    const zero = fitInChild("0", 3);
    assert.deepEqual(zero, { out: "", err: "" });
    const one = fitInChild("1", 3);
    assert.equal(one.out.trimEnd().split("\n").filter((l) => LINE.test(l)).length, 3);
    for (const e of [1, 2, 3]) assert.match(one.err, new RegExp(`epoch ${e}/3 .* 3/3 \\| loss \\d\\.\\d{4}`));
  });

  test("each line holds the epoch's own numbers (History's), on the write function EpochLine is given", () => {
    const { train, val } = digits(100);
    const m = model(0);
    const lines: string[] = [];
    const h = mn.train.fit(m, { train, val, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 25, verbose: 0,
      callbacks: [new mn.train.callbacks.EpochLine({ write: (l) => lines.push(l) })] });
    assert.deepEqual(lines, h.epochs.map((e) => `epoch ${e.epoch}/2  train loss ${e.loss.toFixed(4)} acc ${(100 * e.accuracy!).toFixed(2)}%  ` +
      `val loss ${e.valLoss!.toFixed(4)} acc ${(100 * e.valAccuracy!).toFixed(2)}%  lr 0.100  ${e.seconds.toFixed(1)}s`));
  });

  test("the core's fit (a browser's) refuses verbose 1, which needs the Node entry's bar; a bad verbose is refused naming the choices", () => {
    const { train } = digits(20);
    const m = model(0);
    const optimizer = new mn.optim.SGD(m.parameters(), { lr: 0.1 });
    assert.throws(() => core.train.fit(m, { train, optimizer, epochs: 1, verbose: 1 }),
      { name: "OptionError", message: 'fit: verbose 1 draws a progress bar, which this entry has none of (the browser\'s core); expected 2 (a line per epoch), "auto" or 0, got 1' });
    assert.throws(() => mn.train.fit(m, { train, optimizer, epochs: 1, verbose: 3 as 2 }),
      { name: "OptionError", message: 'fit: invalid verbose; expected 0, 1, 2 or "auto", got 3' });
    assert.throws(() => new mn.train.callbacks.EpochLine({ write: "stdout" as never }),
      { name: "OptionError", message: 'EpochLine: invalid write; expected a function, got "stdout"' });
  });

  test("under \"auto\" the Node entry's bar draws on a terminal and clears before the epoch's line", () => {
    let text = "";
    const stream = Object.assign(new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), { isTTY: true, columns: 200 }) as unknown as NodeJS.WriteStream;
    const original = Object.getOwnPropertyDescriptor(process, "stderr")!;
    const lines: string[] = [];
    const log = console.log;
    Object.defineProperty(process, "stderr", { value: stream, configurable: true });
    console.log = (line: string) => { lines.push(line); text += `[line ${line.slice(0, 9)}]`; };
    try {
      const { train } = digits(60);
      const m = model(0);
      mn.train.fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 2, batchSize: 20 });
    } finally {
      Object.defineProperty(process, "stderr", original);
      console.log = log;
    }
    assert.equal(lines.length, 2);
    assert.match(text, /epoch 1\/2 [█ ]+ 3\/3 \| loss .*\[line epoch 1\/2\].*epoch 2\/2 [░ ]+ 0\/3.*\[line epoch 2\/2\]/s);
  });

  test("a ProgressBar among the callbacks is the only bar (fit adds none of its own)", () => {
    let text = "";
    const stream = Object.assign(new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), { isTTY: true, columns: 200 }) as unknown as NodeJS.WriteStream;
    // Where fit's own bar would go under verbose 1 (drawn even off a terminal).
    let stderr = "";
    const original = Object.getOwnPropertyDescriptor(process, "stderr")!;
    Object.defineProperty(process, "stderr", { value: new Writable({ write(chunk, _enc, done) { stderr += String(chunk); done(); } }), configurable: true });
    try {
      const { train } = digits(60);
      const m = model(0);
      mn.train.fit(m, { train, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), epochs: 1, batchSize: 20, verbose: 1,
        callbacks: [new mn.train.callbacks.ProgressBar({ stream, label: "mine " }), new mn.train.callbacks.LambdaCallback({ onEpochEnd: () => { text += "[end]"; } })] });
    } finally {
      Object.defineProperty(process, "stderr", original);
    }
    assert.match(text, /mine epoch 1\/1 .* 3\/3 .*\[end\]/s);
    assert.equal(stderr, "");
  });
});
