/**
 * A fixed float32 training job that the wasm tests run in Chromium (a page or a Web Worker, on the core bundle) and
 * in Node on the wasm backend: the two must agree bit for bit (one module, so the same arithmetic). It takes the
 * paths a browser user trains through: an Adam MLP (matmul, bias, ReLU, cross-entropy) and a small CNN (conv, pool).
 */
import type * as Core from "../../../src/index.js";

export interface TrainResult {
  /** The MLP's loss before each of 8 Adam steps, then every final parameter. */
  mlp: number[];
  /** The CNN's loss before each of 4 Adam steps, then every final parameter. */
  cnn: number[];
}

/** Runs the job on whichever backend is active (the caller picks it). */
export function trainJob(mn: typeof Core): TrainResult {
  const g = new mn.Generator(5);
  const run = (model: Core.nn.Module, x: Core.Tensor, y: Core.Tensor, steps: number): number[] => {
    const adam = new mn.optim.Adam(model.parameters(), { lr: 0.01 });
    const out: number[] = [];
    for (let i = 0; i < steps; i++) {
      adam.zeroGrad();
      const loss = mn.nn.functional.crossEntropy(model.forward(x), y);
      out.push(loss.item());
      loss.backward();
      adam.step();
    }
    for (const p of model.parameters()) out.push(...Array.from(p.data));
    return out;
  };
  mn.manualSeed(3);
  // Odd sizes, so no kernel runs only on whole SIMD lanes.
  const mlp = mn.nn.mlp({ inputs: 13, hidden: [37, 19], outputs: 5, activation: "relu" });
  const mlpLosses = run(mlp, mn.randn([29, 13], { generator: g }), mn.randint(0, 5, [29], { generator: g }), 8);
  const nn = mn.nn;
  const cnn = new nn.Sequential(new nn.Conv2d(2, 5, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(5 * 4 * 4, 3));
  const cnnLosses = run(cnn, mn.randn([7, 2, 10, 10], { generator: g }), mn.randint(0, 3, [7], { generator: g }), 4);
  return { mlp: mlpLosses, cnn: cnnLosses };
}
