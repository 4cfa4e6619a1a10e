import { Generator, data, matmul, nn, optim, tensor } from "../../../src/index.js";
import { START, fullLoss, type Problem } from "./problem.js";

/** One batch size's run: the weights after every step (from the start), the loss of each batch, the full loss along the path. */
export interface Path {
  batchSize: number;
  w1: number[];
  w2: number[];
  /** The loss of the batch each step was taken on (before the step). */
  batchLoss: number[];
  /** The full loss at each point of the path (w1[i], w2[i]). */
  fullLoss: number[];
  stepsPerEpoch: number;
}

/**
 * Mini-batch gradient descent as a training script writes it with minima: the weights a float64 tensor, a shuffling
 * DataLoader (seeded), mn.nn.functional.mseLoss, backward, mn.optim.SGD. Same lr and epochs for every batch size,
 * so a smaller batch takes more, noisier steps per epoch.
 */
export function trainPath(p: Problem, batchSize: number, lr: number, epochs: number, seed: number): Path {
  const x = tensor(p.x, { dtype: "float64" }).reshape([p.n, 2]), y = tensor(p.y, { dtype: "float64" }).reshape([p.n, 1]);
  const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize, shuffle: true, generator: new Generator(seed) });
  const w = tensor([[START[0]], [START[1]]], { dtype: "float64", requiresGrad: true });
  const opt = new optim.SGD([w], { lr });
  const path: Path = { batchSize, w1: [START[0]], w2: [START[1]], batchLoss: [], fullLoss: [fullLoss(p, ...START)], stepsPerEpoch: loader.length };
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [xb, yb] of loader) {
      opt.zeroGrad();
      const loss = nn.functional.mseLoss(matmul(xb!, w), yb!);
      loss.backward();
      opt.step();
      const [w1, w2] = w.data as Float64Array;
      path.w1.push(w1!); path.w2.push(w2!);
      path.batchLoss.push(loss.item());
      path.fullLoss.push(fullLoss(p, w1!, w2!));
    }
  }
  return path;
}
