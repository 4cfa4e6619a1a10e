import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../../src/index.node.js";
import { digits, model, tmp } from "../fit-helpers.js";

const { fit, callbacks: cb } = mn.train;

describe("ProgressBar", () => {
  test("draws one bar per epoch on the given stream, and a bar for the rest of an epoch a resumed run continues", async () => {
    const { Writable } = await import("node:stream");
    let text = "";
    const stream = Object.assign(new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), { isTTY: true, columns: 200 }) as unknown as NodeJS.WriteStream;
    const { train } = digits(100);
    const m = model(10);
    const opt = new mn.optim.SGD(m.parameters(), { lr: 0.1 });
    const dir = tmp();
    const ckpt = new cb.ModelCheckpoint({ dir, everySteps: 2, saveBest: false });
    const stop = new cb.LambdaCallback({ onBatchEnd: (ctx) => { if (ctx.step === 7) throw new Error("killed"); } });
    assert.throws(() => fit(m, { train, optimizer: opt, epochs: 2, batchSize: 20, callbacks: [new cb.ProgressBar({ stream, force: true }), ckpt, stop] }), /killed/);
    assert.match(text, /epoch 1\/2 [░ ]+ 0\/5 .*epoch 1\/2 [█ ]+ 5\/5 \| loss \d\.\d{4}/);
    assert.match(text, /epoch 2\/2 [░ ]+ 0\/5/);
    text = "";
    fit(m, { train, optimizer: opt, epochs: 2, batchSize: 20, resume: mn.train.loadCheckpoint(dir, "last"),
      callbacks: [new cb.ProgressBar({ stream, force: true }), new cb.ModelCheckpoint({ dir, everySteps: 2, saveBest: false })] });
    // Saved after step 6 (epoch 2's first batch): the resumed bar starts at 1/5 and reaches 5/5.
    assert.match(text, /epoch 2\/2 [█░ ]+ 1\/5 .*epoch 2\/2 [█ ]+ 5\/5/);
    assert.doesNotMatch(text, /epoch 1\/2/);
  });
});
