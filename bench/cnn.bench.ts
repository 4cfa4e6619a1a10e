/**
 * 3. Training throughput of the small CNN (conv3x3 32 → ReLU → maxpool 2 → conv3x3 64 → ReLU →
 * maxpool 2 → dense 128 → ReLU → dense 10), Adam lr 1e-3, batch 64, on shuffled Fashion-MNIST
 * batches: samples/s from the median time of a training step over up to 50 steps after warm-up.
 */
import * as mn from "../src/index.node.js";
import { DATE, bestOf, fmt, inNode, inTorch, median, rate as perSecond, table, times, type Best, type Tried } from "./common.js";
import { loadTf, torchInit } from "./tfjs.js";
import { adamStep, benchCnn } from "./train-step.js";

const BATCH = 64;
interface Spec { system: "minima" | "minima-compile" | "tfjs-wasm" | "tfjs-cpu"; warmup: number; batches: number; budgetS: number }
type Result = { secondsPerBatch: number; batches: number } | { unavailable: string };

/** Median seconds of `step` after up to `warmup` calls (fewer once one takes over a second), over up to `batches` calls within `budgetS`. */
function timeSteps(step: () => void, spec: Spec): { secondsPerBatch: number; batches: number } {
  for (let i = 0; i < spec.warmup; i++) {
    const s = performance.now();
    step();
    if (performance.now() - s > 1000) break;
  }
  const times: number[] = [];
  const start = performance.now();
  while (times.length < spec.batches && (times.length === 0 || performance.now() - start < spec.budgetS * 1000)) {
    const s = performance.now();
    step();
    times.push((performance.now() - s) / 1000);
  }
  return { secondsPerBatch: median(times), batches: times.length };
}

/** Endless shuffled [x, y] batches of the training set. */
function* batches(train: mn.data.TensorDataset): Generator<mn.Tensor[]> {
  const loader = new mn.data.DataLoader(train, { batchSize: BATCH, shuffle: true, dropLast: true });
  for (;;) yield* loader;
}

export async function measure(spec: Spec): Promise<Result> {
  mn.manualSeed(0);
  const { train } = mn.data.fashionMnist();
  const data = batches(train);
  if (spec.system === "minima" || spec.system === "minima-compile") {
    // Captured in the first warm-up step, replayed in the timed ones; both read the loss each step.
    const step = adamStep(benchCnn(), spec.system === "minima-compile");
    return timeSteps(() => {
      const [x, y] = data.next().value as mn.Tensor[];
      step(x!, y!);
    }, spec);
  }
  const tf = await loadTf(spec.system === "tfjs-wasm" ? "wasm" : "cpu");
  const vars = [torchInit(tf, [3, 3, 1, 32], 9), torchInit(tf, [32], 9), torchInit(tf, [3, 3, 32, 64], 288), torchInit(tf, [64], 288),
    torchInit(tf, [1600, 128], 1600), torchInit(tf, [128], 1600), torchInit(tf, [128, 10], 128), torchInit(tf, [10], 128)];
  const [k1, c1, k2, c2, w3, b3, w4, b4] = vars as [ReturnType<typeof torchInit>, ...ReturnType<typeof torchInit>[]];
  type T4 = ReturnType<typeof tf.tensor4d>;
  const block = (x: T4, k: unknown, c: unknown): T4 => tf.maxPool(tf.relu(tf.add(tf.conv2d(x, k as T4, 1, "valid"), c as T4)) as T4, 2, 2, "valid");
  const forward = (x: T4) =>
    tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.reshape(block(block(x, k1, c1), k2, c2), [-1, 1600]), w3!), b3!)), w4!), b4!);
  const opt = tf.train.adam(1e-3);
  const step = (): void => {
    const [x, y] = data.next().value as mn.Tensor[];
    // [B, 1, 28, 28] has the memory layout of TF.js's NHWC [B, 28, 28, 1].
    const xs = tf.tensor4d(x!.data as Float32Array, [BATCH, 28, 28, 1]), ys = tf.oneHot(tf.tensor1d(y!.data as Int32Array, "int32"), 10);
    const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, forward(xs)), true, vars)!;
    cost.dataSync();
    tf.dispose([xs, ys, cost]);
  };
  try {
    step();
  } catch (e) {
    return { unavailable: `cannot train it: ${(e as Error).message.split("\n")[0]}` };
  }
  return timeSteps(step, spec);
}

export function run(): string {
  let dir: string;
  try {
    dir = mn.data.findFashionMnist();
  } catch (e) {
    return `## CNN training throughput, Fashion-MNIST — ${DATE}\n\nNot measured: ${(e as Error).message}`;
  }
  const fast = { warmup: 5, batches: 50, budgetS: 30 };
  const sys = (system: Spec["system"]) => ({ system, ...fast });
  const rows: [string, Tried<Result>[]][] = [
    ["minima native", [1, 2].map((t) => ({ threads: t, r: inNode<Result>("cnn", sys("minima"), t, "native") }))],
    ["minima native, mn.compile", [1, 2].map((t) => ({ threads: t, r: inNode<Result>("cnn", sys("minima-compile"), t, "native") }))],
    ["minima js", [{ threads: 1, r: inNode<Result>("cnn", sys("minima"), 1, "js") }]],
    ["PyTorch", [1, 2].map((t) => ({ threads: t, r: inTorch<Result>("cnn", { dir, batch: BATCH, ...fast }, t) }))],
    ["TF.js wasm", [{ threads: 1, r: inNode<Result>("cnn", sys("tfjs-wasm"), 1) }]],
    ["TF.js cpu", [{ threads: 1, r: inNode<Result>("cnn", { ...sys("tfjs-cpu"), budgetS: 30 }, 1) }]],
  ];
  const rate = (r: Result): number => ("unavailable" in r ? 0 : BATCH / r.secondsPerBatch);
  const picked = rows.map(([name, tried]) => [name, bestOf(tried, rate)] as [string, Best<Result>]);
  const torch = picked.find(([name]) => name === "PyTorch")![1];
  const torchRate = "missing" in torch ? 0 : rate(torch.value);
  const body = picked.map(([name, b]) => {
    if ("missing" in b) return [name, "—", "—", "—", "—", b.missing];
    const r = b.value;
    if ("unavailable" in r) return [name, "—", "—", "—", "—", r.unavailable];
    return [name, b.threads, perSecond(rate(r)), fmt(1000 * r.secondsPerBatch, 1), torchRate ? times(rate(r) / torchRate) : "—",
      `median of ${r.batches} step${r.batches > 1 ? "s" : ""}`];
  });
  const tried = rows.filter(([, t]) => t.length > 1).map(([name, t]) =>
    `${name} ${t.map(({ threads, r }) => `${threads} thread${threads > 1 ? "s" : ""} ${r?.ok && !("unavailable" in r.value) ? perSecond(rate(r.value)) : "—"}`).join(", ")}`);
  return [
    `## CNN training throughput, Fashion-MNIST — ${DATE}`,
    "",
    "`npm run bench -- --only cnn`: conv3x3 32 → ReLU → maxpool 2 → conv3x3 64 → ReLU → maxpool 2 → dense 128 → ReLU → dense 10 " +
      "(no padding; 1600 features into the dense layer), cross-entropy, Adam lr 1e-3, shuffled batches of 64 training images. " +
      "A step is batching, forward, backward, the Adam update and reading the loss; samples/s = 64 / the median step time " +
      "over up to 50 steps (30 s) after 5 warm-up steps (one, when a step takes over a second). The mn.compile row captures the step " +
      "in its first warm-up step and replays its kernel calls after (the same weights bit for bit).",
    "",
    table(["system", "threads", "samples/s", "ms/step", "speed vs PyTorch", "note"], body),
    "",
    `Both thread settings, samples/s: ${tried.join("; ")}.`,
  ].join("\n");
}
