// The page script of bench/browser-train.bench.ts (bundled for the browser): the bench's Fashion-MNIST MLP epoch and
// CNN steps with minima (wasm eager, wasm through mn.compile, js) and with TF.js's wasm backend, all in one page's main
// thread. TF.js comes from its own prebuilt scripts (the page loads tf.min.js and tf-backend-wasm.min.js: window.tf).
// Node's test runner never loads this file (it is under bench/); in Node it would do nothing.
import * as mn from "../../src/index.js";
import { adamStep, benchCnn } from "../train-step.js";

type TF = typeof import("@tensorflow/tfjs");
type Variable = ReturnType<TF["variable"]>;
type TfTensor = import("@tensorflow/tfjs").Tensor;
type TfOptimizer = ReturnType<TF["train"]["adam"]>;

export type System = "minima-wasm" | "minima-wasm-compiled" | "minima-js" | "tfjs-wasm";
export interface EpochResult { seconds: number; fraction: number; lastLoss: number; notes: string[] }
export interface StepsResult { msPerStep: number; steps: number; lastLoss: number; notes: string[] }
export type Failed = { failed: string };

const MLP_BATCH = 128, CNN_BATCH = 64;
let data: { x: Float32Array; y: Int32Array; n: number } | null = null;

async function load(): Promise<{ x: Float32Array; y: Int32Array; n: number }> {
  if (data) return data;
  const [x, y] = await Promise.all(["/train-x.bin", "/train-y.bin"].map(async (u) => (await fetch(u)).arrayBuffer()));
  data = { x: new Float32Array(x!), y: new Int32Array(y!), n: new Int32Array(y!).length };
  return data;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function tfjs(): Promise<TF> {
  const tf = (globalThis as unknown as { tf: TF & { wasm: { setWasmPaths(p: string): void } } }).tf;
  tf.wasm.setWasmPaths("/tfjs/");
  if (!(await tf.setBackend("wasm"))) throw new Error("TF.js's wasm backend did not initialize");
  await tf.ready();
  return tf;
}

/** PyTorch's default init, U(−1/√fanIn, 1/√fanIn), as a TF.js variable (the Node bench's torchInit). */
const tfInit = (tf: TF, shape: number[], fanIn: number, seed: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), "float32", seed));

/** One step of TF.js's optimizer on a batch (xs, its labels one-hot in ys) through `forward`: the loss; frees the batch. */
function tfStep<X extends TfTensor>(tf: TF, opt: TfOptimizer, vars: Variable[], forward: (x: X) => TfTensor, xs: X, ys: TfTensor): number {
  const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, forward(xs)), true, vars)!;
  const loss = cost.dataSync()[0]!;
  tf.dispose([xs, ys, cost]);
  return loss;
}

/** The bench's MLP (784-256-256-10, ReLU, Adam 1e-3, batch 128, shuffled): one epoch, or the part of it done in maxSeconds. */
export async function mlpEpoch(system: System, maxSeconds: number, seed: number): Promise<EpochResult | Failed> {
  const { x: X, y: Y, n } = await load();
  const total = Math.ceil(n / MLP_BATCH), notes: string[] = [];
  const order = new mn.Generator(seed).permutation(n);
  const batch = (s: number) => {
    const b = Math.min(MLP_BATCH, n - s), xb = new Float32Array(b * 784), yb = new Int32Array(b);
    for (let i = 0; i < b; i++) { const r = order[s + i]!; xb.set(X.subarray(r * 784, r * 784 + 784), i * 784); yb[i] = Y[r]!; }
    return { b, xb, yb };
  };
  let step: (s: number) => number;
  if (system === "tfjs-wasm") {
    const tf = await tfjs();
    const v = [tfInit(tf, [784, 256], 784, 1), tfInit(tf, [256], 784, 2), tfInit(tf, [256, 256], 256, 3), tfInit(tf, [256], 256, 4), tfInit(tf, [256, 10], 256, 5), tfInit(tf, [10], 256, 6)];
    const [w1, b1, w2, b2, w3, b3] = v as [Variable, Variable, Variable, Variable, Variable, Variable];
    const forward = (x: ReturnType<TF["tensor2d"]>) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)), w3), b3);
    const opt = tf.train.adam(1e-3);
    step = (s) => {
      const { b, xb, yb } = batch(s);
      return tfStep(tf, opt, v, forward, tf.tensor2d(xb, [b, 784]), tf.oneHot(tf.tensor1d(yb, "int32"), 10));
    };
  } else {
    mn.setBackend(system === "minima-js" ? "js" : "wasm");
    mn.manualSeed(seed);
    const model = new mn.nn.Sequential(new mn.nn.Linear(784, 256), new mn.nn.ReLU(), new mn.nn.Linear(256, 256), new mn.nn.ReLU(), new mn.nn.Linear(256, 10));
    const run = adamStep(model, system === "minima-wasm-compiled", { onNote: (n) => notes.push(n) });
    step = (s) => {
      const { b, xb, yb } = batch(s);
      return run(mn.tensor(xb).reshape([b, 784]), mn.tensor(yb, { dtype: "int32" }));
    };
  }
  const start = performance.now();
  let batches = 0, lastLoss = NaN;
  for (let s = 0; s < n; s += MLP_BATCH) {
    lastLoss = step(s);
    if (++batches < total && performance.now() - start > maxSeconds * 1000) break;
  }
  return { seconds: (performance.now() - start) / 1000, fraction: batches / total, lastLoss, notes };
}

/** The bench's CNN (conv3x3 32, pool, conv3x3 64, pool, dense 128, dense 10; Adam 1e-3, batch 64): median ms per step. */
export async function cnnSteps(system: System, warmup: number, steps: number, budgetS: number): Promise<StepsResult | Failed> {
  const { x: X, y: Y, n } = await load();
  const order = new mn.Generator(0).permutation(n), notes: string[] = [];
  let at = 0;
  const batch = () => {
    if (at + CNN_BATCH > n) at = 0;
    const xb = new Float32Array(CNN_BATCH * 784), yb = new Int32Array(CNN_BATCH);
    for (let i = 0; i < CNN_BATCH; i++) { const r = order[at + i]!; xb.set(X.subarray(r * 784, r * 784 + 784), i * 784); yb[i] = Y[r]!; }
    at += CNN_BATCH;
    return { xb, yb };
  };
  let step: () => number;
  if (system === "tfjs-wasm") {
    const tf = await tfjs();
    const v = [tfInit(tf, [3, 3, 1, 32], 9, 1), tfInit(tf, [32], 9, 2), tfInit(tf, [3, 3, 32, 64], 288, 3), tfInit(tf, [64], 288, 4),
      tfInit(tf, [1600, 128], 1600, 5), tfInit(tf, [128], 1600, 6), tfInit(tf, [128, 10], 128, 7), tfInit(tf, [10], 128, 8)];
    const [k1, c1, k2, c2, w3, b3, w4, b4] = v as Variable[] as [Variable, Variable, Variable, Variable, Variable, Variable, Variable, Variable];
    type T4 = ReturnType<TF["tensor4d"]>;
    const block = (x: T4, k: Variable, c: Variable): T4 => tf.maxPool(tf.relu(tf.add(tf.conv2d(x, k as unknown as T4, 1, "valid"), c)) as T4, 2, 2, "valid");
    const forward = (x: T4) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.reshape(block(block(x, k1, c1), k2, c2), [-1, 1600]), w3), b3)), w4), b4);
    const opt = tf.train.adam(1e-3);
    step = () => {
      const { xb, yb } = batch();
      // [B, 1, 28, 28] has the memory layout of TF.js's NHWC [B, 28, 28, 1].
      return tfStep(tf, opt, v, forward, tf.tensor4d(xb, [CNN_BATCH, 28, 28, 1]), tf.oneHot(tf.tensor1d(yb, "int32"), 10));
    };
  } else {
    mn.setBackend(system === "minima-js" ? "js" : "wasm");
    mn.manualSeed(0);
    const run = adamStep(benchCnn(), system === "minima-wasm-compiled", { onNote: (n) => notes.push(n) });
    step = () => {
      const { xb, yb } = batch();
      return run(mn.tensor(xb).reshape([CNN_BATCH, 1, 28, 28]), mn.tensor(yb, { dtype: "int32" }));
    };
  }
  try {
    step();
  } catch (e) {
    return { failed: (e as Error).message.split("\n")[0]! };
  }
  for (let i = 1; i < warmup; i++) step();
  const times: number[] = [], start = performance.now();
  let lastLoss = NaN;
  while (times.length < steps && (times.length === 0 || performance.now() - start < budgetS * 1000)) {
    const t = performance.now();
    lastLoss = step();
    times.push(performance.now() - t);
  }
  return { msPerStep: median(times), steps: times.length, lastLoss, notes };
}

/** Puts minima's wasm backend on `n` threads (the page is cross-origin isolated) and waits for its workers; the threads it got. */
export async function useThreads(n: number): Promise<number> {
  mn.setBackend("wasm");
  mn.setNumThreads(n);
  await mn.ready();
  return mn.getNumThreads();
}

if ((globalThis as { document?: unknown }).document !== undefined) Object.assign(globalThis, { mlpEpoch, cnnSteps, useThreads });
