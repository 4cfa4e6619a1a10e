/**
 * 2. One Fashion-MNIST epoch (60,000 images) of the MLP 784-256-256-10, ReLU, Adam lr 1e-3,
 * batch 128, shuffled: seconds, samples/s and test accuracy after the epoch, for minima native
 * (eager, and the step captured by mn.compile) and js, TF.js wasm and cpu, and PyTorch. Each run is a fresh model; the median of the runs.
 */
import * as mn from "../src/index.node.js";
import { DATE, bestOf, fmt, inNode, inTorch, median, rate, table, times, type Best, type Tried } from "./common.js";
import { loadTf, torchInit } from "./tfjs.js";
import { adamStep, benchMlp } from "./train-step.js";

const BATCH = 128;

interface Epoch { seconds: number; accuracy: number | null; reps: number; fraction: number }
interface Spec { system: "minima" | "minima-compile" | "minima-fit" | "minima-fit-compile" | "tfjs-wasm" | "tfjs-cpu"; reps: number; budgetS: number; maxSeconds: number }

/**
 * Up to `reps` fresh runs (fewer once `budgetS` seconds are spent) of `epoch`, which trains one
 * epoch but stops after `maxSeconds`; a partial epoch is extrapolated and has no accuracy.
 */
async function repeat(spec: Spec, epoch: (seed: number) => Promise<{ seconds: number; fraction: number; accuracy: () => number }>): Promise<Epoch> {
  const runs: { seconds: number; accuracy: number | null; fraction: number }[] = [];
  while (runs.length < spec.reps && (runs.length === 0 || runs.reduce((s, r) => s + r.seconds, 0) < spec.budgetS)) {
    const e = await epoch(runs.length);
    runs.push({ seconds: e.seconds / e.fraction, fraction: e.fraction, accuracy: e.fraction === 1 ? e.accuracy() : null });
  }
  const acc = runs.map((r) => r.accuracy).filter((a): a is number => a !== null);
  return { seconds: median(runs.map((r) => r.seconds)), accuracy: acc.length ? median(acc) : null, reps: runs.length, fraction: Math.min(...runs.map((r) => r.fraction)) };
}

export async function measure(spec: Spec): Promise<Epoch> {
  const { train, test } = mn.data.fashionMnist();
  const [xt, yt] = test.tensors as [mn.Tensor, mn.Tensor];
  const testAccuracy = (model: mn.nn.Module) => { model.eval(); return mn.metrics.accuracy(mn.noGrad(() => model.forward(xt)), yt); };
  if (spec.system === "minima" || spec.system === "minima-compile") {
    return repeat(spec, async (seed) => {
      const model = benchMlp(seed);
      // The captured step copies each batch in, so its batches are drawn into reused arrays, as fit({ compile }) does.
      const loader = new mn.data.DataLoader(train, { batchSize: BATCH, shuffle: true, reuseBuffers: spec.system === "minima-compile" });
      // Captured on the first batch (and the last, smaller one), replayed on the others; both read the loss each batch.
      const step = adamStep(model, spec.system === "minima-compile");
      const start = performance.now();
      let batches = 0;
      for (const [x, y] of loader) {
        step(x!, y!);
        if (++batches < loader.length && performance.now() - start > spec.maxSeconds * 1000) break;
      }
      const seconds = (performance.now() - start) / 1000;
      return { seconds, fraction: batches / loader.length, accuracy: () => testAccuracy(model) };
    });
  }
  if (spec.system === "minima-fit" || spec.system === "minima-fit-compile") {
    // The same epoch through mn.train.fit, which also logs every step's loss, lr and gradient norm and
    // samples per-layer norms ten times an epoch: what its bookkeeping costs over the bare loop above.
    return repeat(spec, async (seed) => {
      const model = benchMlp(seed);
      const optimizer = new mn.optim.Adam(model.parameters(), { lr: 1e-3 });
      const start = performance.now();
      mn.train.fit(model, { train, optimizer, epochs: 1, batchSize: BATCH, seed, compile: spec.system === "minima-fit-compile" });
      const seconds = (performance.now() - start) / 1000;
      return { seconds, fraction: 1, accuracy: () => testAccuracy(model) };
    });
  }
  const tf = await loadTf(spec.system === "tfjs-wasm" ? "wasm" : "cpu");
  const [X, Y] = [train.tensors[0]!.data as Float32Array, train.tensors[1]!.data as Int32Array];
  const n = Y.length, total = Math.ceil(n / BATCH);
  return repeat(spec, async (seed) => {
    const vars = [torchInit(tf, [784, 256], 784), torchInit(tf, [256], 784), torchInit(tf, [256, 256], 256), torchInit(tf, [256], 256),
      torchInit(tf, [256, 10], 256), torchInit(tf, [10], 256)];
    const [w1, b1, w2, b2, w3, b3] = vars as [ReturnType<typeof torchInit>, ...ReturnType<typeof torchInit>[]];
    const forward = (x: ReturnType<typeof tf.tensor2d>) =>
      tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1!)), w2!), b2!)), w3!), b3!);
    const opt = tf.train.adam(1e-3);
    const order = new mn.Generator(seed).permutation(n);
    const start = performance.now();
    let batches = 0;
    for (let s = 0; s < n; s += BATCH) {
      const b = Math.min(BATCH, n - s), xb = new Float32Array(b * 784), yb = new Int32Array(b);
      for (let i = 0; i < b; i++) { const r = order[s + i]!; xb.set(X.subarray(r * 784, r * 784 + 784), i * 784); yb[i] = Y[r]!; }
      const xs = tf.tensor2d(xb, [b, 784]), ys = tf.oneHot(tf.tensor1d(yb, "int32"), 10);
      const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, forward(xs)), true, vars)!;
      cost.dataSync();
      tf.dispose([xs, ys, cost]);
      if (++batches < total && performance.now() - start > spec.maxSeconds * 1000) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const accuracy = (): number => tf.tidy(() => {
      const pred = tf.argMax(forward(tf.tensor2d(xt.data as Float32Array, [xt.shape[0]!, 784])), 1);
      return tf.mean(tf.cast(tf.equal(pred, tf.tensor1d(yt.data as Int32Array, "int32")), "float32")).dataSync()[0]!;
    });
    return { seconds, fraction: batches / total, accuracy };
  });
}

export function run(): string {
  let dir: string;
  try {
    dir = mn.data.findFashionMnist();
  } catch (e) {
    return `## MLP epoch, Fashion-MNIST — ${DATE}\n\nNot measured: ${(e as Error).message}`;
  }
  const fast = { reps: 3, budgetS: 30, maxSeconds: 600 };
  const sys = (system: Spec["system"], o: Omit<Spec, "system">) => ({ system, ...o });
  const rows: [string, Tried<Epoch>[]][] = [
    ["minima native", [1, 2].map((t) => ({ threads: t, r: inNode<Epoch>("mlp", sys("minima", fast), t, "native") }))],
    ["minima native, mn.compile", [1, 2].map((t) => ({ threads: t, r: inNode<Epoch>("mlp", sys("minima-compile", fast), t, "native") }))],
    ["minima native, mn.train.fit", [1, 2].map((t) => ({ threads: t, r: inNode<Epoch>("mlp", sys("minima-fit", fast), t, "native") }))],
    ["minima native, mn.train.fit compile", [1, 2].map((t) => ({ threads: t, r: inNode<Epoch>("mlp", sys("minima-fit-compile", fast), t, "native") }))],
    ["minima js", [{ threads: 1, r: inNode<Epoch>("mlp", sys("minima", { reps: 3, budgetS: 40, maxSeconds: 600 }), 1, "js") }]],
    ["PyTorch", [1, 2].map((t) => ({ threads: t, r: inTorch<Epoch>("mlp", { dir, batch: BATCH, ...fast }, t) }))],
    ["TF.js wasm", [{ threads: 1, r: inNode<Epoch>("mlp", sys("tfjs-wasm", { reps: 1, budgetS: 0, maxSeconds: 300 }), 1) }]],
    ["TF.js cpu", [{ threads: 1, r: inNode<Epoch>("mlp", sys("tfjs-cpu", { reps: 1, budgetS: 0, maxSeconds: 60 }), 1) }]],
  ];
  const picked = rows.map(([name, tried]) => [name, bestOf(tried, (e) => -e.seconds)] as [string, Best<Epoch>]);
  const torch = picked.find(([name]) => name === "PyTorch")![1];
  const body = picked.map(([name, b]) => {
    if ("missing" in b) return [name, "—", "—", "—", "—", "—", b.missing];
    const e = b.value;
    const note = e.fraction < 1 ? `${Math.round(e.fraction * 100)}% of an epoch timed, extrapolated` : `median of ${e.reps} run${e.reps > 1 ? "s" : ""}`;
    return [name, b.threads, fmt(e.seconds, 2), rate(60000 / e.seconds), e.accuracy === null ? "—" : `${fmt(100 * e.accuracy, 1)}%`,
      "missing" in torch ? "—" : times(torch.value.seconds / e.seconds), note];
  });
  const tried = rows.filter(([, t]) => t.length > 1).map(([name, t]) =>
    `${name} ${t.map(({ threads, r }) => `${threads} thread${threads > 1 ? "s" : ""} ${r?.ok ? `${fmt(r.value.seconds, 2)} s` : "—"}`).join(", ")}`);
  return [
    `## MLP epoch, Fashion-MNIST — ${DATE}`,
    "",
    "`npm run bench -- --only mlp`: one epoch of 60,000 shuffled training images (469 batches of 128) through the MLP " +
      "784-256-256-10 with ReLU, cross-entropy, Adam lr 1e-3, from a fresh model (PyTorch's default init everywhere); the time covers " +
      "batching, forward, backward and the optimizer step (reading the loss each batch), not loading the data set. " +
      "Test accuracy on the 10,000 test images after that one epoch. Speed vs PyTorch: PyTorch's epoch time / this one's. " +
      "The mn.train.fit row runs the same epoch through fit(), which also records every step's loss, lr and gradient norm and " +
      "samples each layer's norms and update/weight ratio ten times an epoch. The mn.compile rows capture the step (zeroGrad, forward, " +
      "loss, backward, Adam) on the first batch and replay its kernel calls on the others (the same weights bit for bit; " +
      "`fit({ compile: true })` for the fit row), and draw their batches into reused arrays (DataLoader's `reuseBuffers`, which " +
      "fit turns on with compile: the captured step copies each batch in).",
    "",
    table(["system", "threads", "epoch s", "samples/s", "test accuracy", "speed vs PyTorch", "note"], body),
    "",
    `Both thread settings, epoch seconds: ${tried.join("; ")}.`,
  ].join("\n");
}
