/**
 * Issue 11's OneCycle run: a small CNN on Fashion-MNIST with AdamW and OneCycleLR built from epochs and
 * stepsPerEpoch, trained by mn.train.fit three ways from the same seed:
 * - "bare": the scheduler passed to fit as it is (it declares interval "step", so fit steps it after every batch);
 * - "step": passed as { scheduler, interval: "step" };
 * - "hidden": wrapped so that it declares nothing, which is what a bare scheduler meant before issue 11 (stepped
 *   once per epoch: the lr never leaves the warmup) — the trap, for comparison.
 * Prints each run's test accuracy, its lr range, and the diagnosis summary.
 *
 * Not part of `npm test` (minutes of training): `npm run build && node dist/bench/one-cycle-interval.js`
 * [--epochs 3] [--train 60000] [--runs bare,step,hidden].
 */
import * as mn from "../src/index.node.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1] ?? fallback;
};
const EPOCHS = Number(flag("epochs", "3")), TRAIN = Number(flag("train", "60000")), BATCH = 64, MAX_LR = 3e-3;
const RUNS = flag("runs", "bare,step,hidden").split(",");

const { train: full, test } = mn.data.fashionMnist();
const train = TRAIN < full.length ? new mn.data.Subset(full, Array.from({ length: TRAIN }, (_, i) => i)) : full;
const stepsPerEpoch = Math.ceil(train.length / BATCH);

function cnn(): mn.nn.Module {
  mn.manualSeed(0);
  const nn = mn.nn;
  return new nn.Sequential(new nn.Conv2d(1, 16, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(16, 32, 3), new nn.ReLU(),
    new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(800, 128), new nn.ReLU(), new nn.Linear(128, 10));
}

/** A SchedulerLike that hides the scheduler's interval (its class is Object), as every scheduler was before issue 11. */
function hidden(s: mn.optim.lrScheduler.LRScheduler) {
  return { step: (m?: number) => s.step(m), stateDict: () => s.stateDict(), loadStateDict: (sd: never) => s.loadStateDict(sd) };
}

console.log(`CNN on Fashion-MNIST: ${train.length} training images, ${EPOCHS} epochs of ${stepsPerEpoch} batches of ${BATCH}; `
  + `AdamW, OneCycleLR maxLr ${MAX_LR} built with epochs ${EPOCHS} and stepsPerEpoch ${stepsPerEpoch}; backend ${mn.getBackend()}`);
for (const run of RUNS) {
  const model = cnn();
  const optimizer = new mn.optim.AdamW(model.parameters(), { lr: MAX_LR, weightDecay: 1e-2 });
  const sched = new mn.optim.lrScheduler.OneCycleLR(optimizer, { maxLr: MAX_LR, epochs: EPOCHS, stepsPerEpoch });
  const scheduler = run === "bare" ? sched : run === "step" ? { scheduler: sched, interval: "step" as const } : hidden(sched);
  const started = performance.now();
  const history = mn.train.fit(model, { train, test, optimizer, scheduler, epochs: EPOCHS, batchSize: BATCH, evalBatchSize: 1000 });
  const lrs = history.steps.map((s) => s.lr);
  const last = history.epochs.at(-1)!;
  console.log(`${run.padEnd(6)} test accuracy ${(100 * last.testAccuracy!).toFixed(2)}%  test loss ${last.testLoss!.toFixed(4)}  `
    + `lr ${Math.min(...lrs).toExponential(2)}..${Math.max(...lrs).toExponential(2)}  ${((performance.now() - started) / 1000).toFixed(0)} s  `
    + `diagnosis: ${mn.train.diagnose(history).summary}`);
}
