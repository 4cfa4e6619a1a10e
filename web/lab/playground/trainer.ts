import * as mn from "../../../src/index.js";
import type { PlaygroundOptimizer, PlaygroundSettings } from "./settings.js";

/** Where the model stands: the data loss (cross-entropy, without the L2 term) and accuracy on each set, in eval mode. */
export interface PlaygroundScores {
  epoch: number;
  /** Optimizer steps so far (one per mini-batch). */
  steps: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
}

/** A set of 2-D points: coordinates interleaved (x0, y0, x1, y1, …) and their classes. */
export interface Points {
  xy: Float32Array;
  label: Int32Array;
}

function makeOptimizer(name: PlaygroundOptimizer, params: mn.Tensor[], lr: number): mn.optim.Optimizer<mn.optim.GroupOptions> {
  switch (name) {
    case "sgd": return new mn.optim.SGD(params, { lr });
    case "momentum": return new mn.optim.SGD(params, { lr, momentum: 0.9 });
    case "rmsprop": return new mn.optim.RMSprop(params, { lr });
    case "adagrad": return new mn.optim.Adagrad(params, { lr });
    case "adam": return new mn.optim.Adam(params, { lr });
  }
}

/** The test set's size for a training set of n samples. */
export const testSize = (n: number) => Math.max(1, Math.floor(n / 2));

/**
 * A 2-D classifier trained with minima's own code (mn.data.toy2d, mn.nn.mlp, mn.optim, a DataLoader): the same
 * settings give the same numbers bit for bit, in the page's worker or in Node on the same backend (wasm, the core's choice in a browser).
 */
export class PlaygroundTrainer {
  readonly train: { x: mn.Tensor; y: mn.Tensor };
  readonly test: { x: mn.Tensor; y: mn.Tensor };
  readonly model: mn.nn.Sequential;
  epoch = 0;
  steps = 0;
  private readonly optimizer: mn.optim.Optimizer<mn.optim.GroupOptions>;
  private readonly loader: mn.data.DataLoader<[mn.Tensor, mn.Tensor]>;
  private readonly decayed: mn.Tensor[];
  /** Both sets' coordinates, which fix the decision grid's extent. */
  private readonly extent: { x: number[]; y: number[] };

  constructor(readonly settings: PlaygroundSettings) {
    const { data, noise, samples, seed } = settings;
    // The data has its own stream, so a change of network or optimizer keeps the same points.
    const dataStream = new mn.Generator(seed);
    this.train = mn.data.toy2d(data, samples, { noise, generator: dataStream });
    this.test = mn.data.toy2d(data, testSize(samples), { noise, generator: dataStream });
    mn.manualSeed(seed);
    this.model = mn.nn.mlp({ inputs: 2, hidden: settings.hidden, outputs: 2, activation: settings.activation, dropout: settings.dropout });
    this.optimizer = makeOptimizer(settings.optimizer, this.model.parameters(), settings.lr);
    this.loader = new mn.data.DataLoader(new mn.data.TensorDataset(this.train.x, this.train.y), {
      batchSize: settings.batchSize, shuffle: true, generator: new mn.Generator(seed + 1),
    });
    this.decayed = mn.nn.decayedParameters(this.model);
    const xy = [...this.train.x.data, ...this.test.x.data];
    this.extent = { x: xy.filter((_, i) => i % 2 === 0), y: xy.filter((_, i) => i % 2 === 1) };
  }

  /** One pass over the training set in shuffled mini-batches: one optimizer step per batch. */
  runEpoch(): void {
    const { l2 } = this.settings;
    for (const [x, y] of this.loader) {
      this.optimizer.zeroGrad();
      let loss = mn.nn.functional.crossEntropy(this.model.forward(x), y);
      if (l2 > 0) loss = loss.add(mn.nn.l2Penalty(this.decayed, l2));
      loss.backward();
      this.optimizer.step();
      this.steps++;
    }
    this.epoch++;
  }

  scores(): PlaygroundScores {
    const on = ({ x, y }: { x: mn.Tensor; y: mn.Tensor }) => mn.train.evaluate(this.model, [[x, y]], mn.nn.functional.crossEntropy);
    const train = on(this.train), test = on(this.test);
    return { epoch: this.epoch, steps: this.steps, trainLoss: train.loss, trainAccuracy: train.accuracy!, testLoss: test.loss, testAccuracy: test.accuracy! };
  }

  /** p(class 1) at each node of a size × size grid over both sets (row-major by y, ascending), and the grid's axes. */
  grid(size: number): { x: readonly number[]; y: readonly number[]; p1: Float32Array } {
    const { x, y, probabilities } = mn.report.probabilityGrid(this.model, { inputShape: [2], standardize: null }, this.extent, size);
    const p1 = new Float32Array(size * size);
    for (let k = 0; k < p1.length; k++) p1[k] = probabilities[2 * k + 1]!;
    return { x, y, p1 };
  }

  points(set: "train" | "test"): Points {
    const { x, y } = this[set];
    return { xy: Float32Array.from(x.data), label: Int32Array.from(y.data) };
  }
}
