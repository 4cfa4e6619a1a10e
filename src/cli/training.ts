import { DataLoader } from "../data/data-loader.js";
import type { TensorDataset } from "../data/dataset.js";
import type { Module } from "../nn/module.js";
import { crossEntropy } from "../nn/losses.js";
import { clipGradNorm } from "../nn/utils/clip-grad.js";
import type { GroupOptions, Optimizer } from "../optim/optimizer.js";
import { Generator } from "../tensor/random.js";
import { evaluate, trainEpoch, type LossFn } from "../train/epoch.js";
import type { PreparedData } from "./dataset.js";
import { EpochBar } from "./progress.js";
import type { ScheduleDriver } from "./schedules.js";

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  testLoss: number;
  testAccuracy: number;
  lr: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface TrainingRun {
  data: PreparedData;
  model: Module;
  optimizer: Optimizer<GroupOptions>;
  schedule: ScheduleDriver | null;
  epochs: number;
  batchSize: number;
  /** Seeds the order of the batches, so runs that share it see the same batches. */
  seed: number;
  clipNorm: number | null;
  label: string;
  onEpoch: (record: EpochRecord) => void;
  /** Called after every optimizer step with the batch loss. */
  onStep?: (loss: number) => void;
}

const loss: LossFn = (out, y) => crossEntropy(out, y);

/**
 * The CLI's training loop: mini-batch epochs with a progress bar, optional gradient clipping
 * and a learning-rate schedule, and train/validation/test metrics after every epoch.
 */
export function runTraining(run: TrainingRun): EpochRecord[] {
  const { data, model, optimizer, schedule } = run;
  const loader = new DataLoader(data.train, { batchSize: run.batchSize, shuffle: true, generator: new Generator(run.seed + 1) });
  const batches = (d: TensorDataset) => new DataLoader(d, { batchSize: 1000 });
  const bar = new EpochBar();
  const records: EpochRecord[] = [];
  // Clipping sits between backward() and step(), a per-step schedule after step(), as in PyTorch recipes.
  const beforeStep = run.clipNorm === null ? undefined : () => { clipGradNorm(model.parameters(), run.clipNorm!); };
  for (let epoch = 1; epoch <= run.epochs; epoch++) {
    const started = performance.now();
    const lr = optimizer.paramGroups[0]!.lr;
    let seen = 0, lossSum = 0, correct = 0;
    bar.start(`${run.label}epoch ${epoch}/${run.epochs}`, loader.length);
    const train = trainEpoch(model, loader, optimizer, loss, {
      ...(beforeStep ? { beforeStep } : {}),
      onBatchEnd: (b) => {
        schedule?.afterStep();
        seen += b.size; lossSum += b.loss * b.size; correct += b.correct;
        run.onStep?.(b.loss);
        bar.update(b.batch + 1, { loss: lossSum / seen, accuracy: correct / seen, samplesPerSecond: seen / ((performance.now() - started) / 1000) });
      },
    });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    const val = data.val.length > 0 ? evaluate(model, batches(data.val), loss) : null;
    const test = evaluate(model, batches(data.test), loss);
    schedule?.afterEpoch(val?.loss ?? train.loss);
    const record: EpochRecord = {
      epoch, trainLoss: train.loss, trainAccuracy: train.accuracy,
      valLoss: val?.loss ?? null, valAccuracy: val?.accuracy ?? null,
      testLoss: test.loss, testAccuracy: test.accuracy, lr,
      seconds, samplesPerSecond: data.train.length / seconds,
    };
    records.push(record);
    run.onEpoch(record);
  }
  return records;
}

/** One line per epoch for the terminal. */
export function formatEpoch(r: EpochRecord, epochs: number): string {
  const pct = (x: number) => (100 * x).toFixed(2) + "%";
  return `epoch ${String(r.epoch).padStart(String(epochs).length)}/${epochs}  ` +
    `train loss ${r.trainLoss.toFixed(4)} acc ${pct(r.trainAccuracy)}  ` +
    (r.valLoss !== null ? `val loss ${r.valLoss.toFixed(4)} acc ${pct(r.valAccuracy!)}  ` : "") +
    `test loss ${r.testLoss.toFixed(4)} acc ${pct(r.testAccuracy)}  lr ${r.lr.toPrecision(3)}  ${r.seconds.toFixed(1)}s ${Math.round(r.samplesPerSecond)} samples/s`;
}
