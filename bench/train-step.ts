/**
 * The training step the benches time (bench/mlp.bench.ts, plan.bench.ts, cnn.bench.ts, browser/train-page.ts): Adam,
 * lr 1e-3, zeroGrad, forward, cross-entropy, backward, step; and the benches' MLP and CNN. No Node built-ins:
 * train-page.ts, which uses it, is bundled for Chromium.
 */
import * as mn from "../src/index.js";

/**
 * `model`'s step under a fresh Adam (lr 1e-3), returning the loss as a number: eager (the loss read each call), or
 * through mn.compile with `options` (captured on the first call per batch shape, replayed after).
 */
export function adamStep(model: mn.nn.Module, compiled: boolean, options: mn.CompileOptions = {}): (x: mn.Tensor, y: mn.Tensor) => number {
  const opt = new mn.optim.Adam(model.parameters(), { lr: 1e-3 });
  const body = (x: mn.Tensor, y: mn.Tensor) => {
    opt.zeroGrad();
    const loss = mn.nn.functional.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss;
  };
  return compiled ? mn.compile(body, options) : (x, y) => body(x, y).item();
}

/** The benches' MLP, 784-256-256-10 with ReLU, behind a Flatten (for [n, 1, 28, 28] images), initialized from `seed`. */
export function benchMlp(seed: number): mn.nn.Module {
  mn.manualSeed(seed);
  return new mn.nn.Sequential(new mn.nn.Flatten(), new mn.nn.Linear(784, 256), new mn.nn.ReLU(),
    new mn.nn.Linear(256, 256), new mn.nn.ReLU(), new mn.nn.Linear(256, 10));
}

/** The benches' CNN (conv3x3 32, ReLU, maxpool 2, conv3x3 64, ReLU, maxpool 2, dense 128, ReLU, dense 10), from the global seed. */
export function benchCnn(): mn.nn.Module {
  const nn = mn.nn;
  return new nn.Sequential(new nn.Conv2d(1, 32, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(32, 64, 3), new nn.ReLU(),
    new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(1600, 128), new nn.ReLU(), new nn.Linear(128, 10));
}
