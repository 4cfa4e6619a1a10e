/**
 * 6. What issue 12's layers cost in a training step, native and js side by side: the step (forward,
 * backward, Adam) of models that differ only in one layer, against the same model with the layer it
 * replaces or without it. A layer whose share of the step is small needs no native kernel; one whose share
 * is large is a candidate. The model and its baseline run in one process, their steps interleaved, and
 * each step is measured in CPU time (process.cpuUsage, one thread), which other processes on a shared
 * machine disturb far less than wall-clock time. Random inputs (a step's time does not depend on the
 * values), batch 128, float32.
 */
import * as mn from "../src/index.node.js";
import { DATE, fmt, inNode, median, table } from "./common.js";

const BATCH = 128;
const F = mn.nn.functional;
const nn = mn.nn;

/** Each model by name, and the model its row compares with (null: itself the baseline). */
const MODELS: Record<string, { build: () => mn.nn.Module; input: () => mn.Tensor; baseline: string | null }> = {
  "MLP 784-256-256-10, ReLU": { build: () => mlp(() => new nn.ReLU()), input: images, baseline: null },
  "MLP, SiLU": { build: () => mlp(() => new nn.SiLU()), input: images, baseline: "MLP 784-256-256-10, ReLU" },
  "MLP, Mish": { build: () => mlp(() => new nn.Mish()), input: images, baseline: "MLP 784-256-256-10, ReLU" },
  "MLP, ELU": { build: () => mlp(() => new nn.ELU()), input: images, baseline: "MLP 784-256-256-10, ReLU" },
  "MLP, Softplus": { build: () => mlp(() => new nn.Softplus()), input: images, baseline: "MLP 784-256-256-10, ReLU" },
  "MLP, GELU (for scale)": { build: () => mlp(() => new nn.GELU()), input: images, baseline: "MLP 784-256-256-10, ReLU" },
  "MLP, LayerNorm(256) before each ReLU": { build: () => mlp(() => new nn.ReLU(), (w) => new nn.LayerNorm(w)), input: images, baseline: "MLP 784-256-256-10, ReLU" },
  "MLP, BatchNorm1d(256) before each ReLU (for scale)": { build: () => mlp(() => new nn.ReLU(), (w) => new nn.BatchNorm1d(w)), input: images, baseline: "MLP 784-256-256-10, ReLU" },
  "CNN conv32-conv64, no norm": { build: () => cnn(null), input: images4d, baseline: null },
  "CNN, SiLU for ReLU": { build: () => cnn(null, () => new nn.SiLU()), input: images4d, baseline: "CNN conv32-conv64, no norm" },
  "CNN, Mish for ReLU": { build: () => cnn(null, () => new nn.Mish()), input: images4d, baseline: "CNN conv32-conv64, no norm" },
  "CNN, GroupNorm(8) after each conv": { build: () => cnn((c) => new nn.GroupNorm(8, c)), input: images4d, baseline: "CNN conv32-conv64, no norm" },
  "CNN, BatchNorm2d after each conv (for scale)": { build: () => cnn((c) => new nn.BatchNorm2d(c)), input: images4d, baseline: "CNN conv32-conv64, no norm" },
  "CNN, Dropout2d(0.1) after each conv": { build: () => cnn(() => new nn.Dropout2d(0.1)), input: images4d, baseline: "CNN conv32-conv64, no norm" },
  "Bag of embeddings: Embedding(10000, 64) on [128, 32] ids, mean, Linear(64, 10)": { build: bagOfEmbeddings, input: tokens, baseline: null },
};

function mlp(act: () => mn.nn.Module, norm?: (w: number) => mn.nn.Module): mn.nn.Module {
  const hidden = (i: number, o: number) => [new nn.Linear(i, o), ...(norm ? [norm(o)] : []), act()];
  return new nn.Sequential(new nn.Flatten(), ...hidden(784, 256), ...hidden(256, 256), new nn.Linear(256, 10));
}

function cnn(norm: ((c: number) => mn.nn.Module) | null, act: () => mn.nn.Module = () => new nn.ReLU()): mn.nn.Module {
  const block = (i: number, o: number) => [new nn.Conv2d(i, o, 3), ...(norm ? [norm(o)] : []), act(), new nn.MaxPool2d(2)];
  return new nn.Sequential(...block(1, 32), ...block(32, 64), new nn.Flatten(), new nn.Linear(1600, 10));
}

class BagOfEmbeddings extends nn.Module {
  embed = new nn.Embedding(10000, 64, { paddingIdx: 0 });
  head = new nn.Linear(64, 10);
  forward(ids: mn.Tensor): mn.Tensor { return this.head.forward(this.embed.forward(ids).mean(1)); }
}
function bagOfEmbeddings(): mn.nn.Module { return new BagOfEmbeddings(); }

function images(): mn.Tensor { return mn.randn([BATCH, 784]); }
function images4d(): mn.Tensor { return mn.randn([BATCH, 1, 28, 28]); }
function tokens(): mn.Tensor { return mn.randint(0, 10000, [BATCH, 32]); }

interface Result { ms: number; baselineMs: number | null }

/** A training step of one model, and a function that runs it and returns its CPU milliseconds. */
function stepper(name: string): () => number {
  const m = MODELS[name]!;
  const model = m.build();
  const opt = new mn.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = m.input(), y = mn.randint(0, 10, [BATCH]);
  return () => {
    const start = process.cpuUsage();
    opt.zeroGrad();
    const loss = F.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    loss.item();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
}

/** In a child process: the median CPU ms of a model's step and of its baseline's, interleaved, after 3 warm-up steps each. */
export function measure(spec: { model: string }): Result {
  mn.manualSeed(0);
  const base = MODELS[spec.model]!.baseline;
  const runs = [stepper(spec.model), ...(base ? [stepper(base)] : [])];
  const times = runs.map(() => [] as number[]);
  const start = performance.now();
  for (let i = 0; i < 43 && (i < 8 || performance.now() - start < 8000); i++) runs.forEach((run, k) => { const ms = run(); if (i >= 3) times[k]!.push(ms); });
  return { ms: median(times[0]!), baselineMs: base ? median(times[1]!) : null };
}

export function run(): string {
  const backends = ["native", "js"] as const;
  const rows = Object.keys(MODELS).map((name) => [name, ...backends.flatMap((b) => {
    const r = inNode<Result>("layers", { model: name }, 1, b);
    if (!r.ok) return ["—", "—"];
    const { ms, baselineMs } = r.value;
    return [fmt(ms, 1), baselineMs === null ? "—" : `${fmt(ms - baselineMs, 1)} (${fmt((100 * (ms - baselineMs)) / ms, 0)}%)`];
  })]);
  return [
    `## Issue 12's layers in a training step — ${DATE}`,
    "",
    "`npm run bench -- --only layers`: the CPU time of a step (forward, backward, Adam lr 1e-3, reading the loss), the median of up to " +
      "40 steps after 3 warm-up steps, batch 128, float32, one thread on each backend. \"added\" is the row's step less its baseline's, " +
      "measured in the same process with the steps interleaved, and its share of the row's step; the baseline is the model without the " +
      "row's layer (with ReLU for the activations).",
    "",
    table(["model", "native ms", "native added", "js ms", "js added"], rows),
  ].join("\n");
}
