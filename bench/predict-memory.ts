/**
 * Peak memory of inference on the 10,000 Fashion-MNIST test images with the benchmark CNN (conv3x3 32 → ReLU →
 * maxpool 2 → conv3x3 64 → ReLU → maxpool 2 → dense 128 → ReLU → dense 10): one forward of the whole set (eval mode,
 * noGrad) against mn.train.predict in batches. Each way runs in a fresh process, whose peak resident set size
 * (getrusage's ru_maxrss) is the number; the baseline is a process that loads the data and builds the model only.
 * `npm run build && node dist/bench/predict-memory.js` (needs dataset-fashion-mnist).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as mn from "../src/index.node.js";

type Mode = "baseline" | "whole" | `predict-${number}`;

function measure(mode: Mode): { mb: number; seconds: number; checksum: number } {
  const { test } = mn.data.fashionMnist();
  const x = test.tensors[0]!;
  mn.manualSeed(0);
  const model = mn.nn.cnn({ inputShape: [1, 28, 28], outputs: 10 });
  const started = performance.now();
  let out: mn.Tensor | null = null;
  if (mode === "whole") {
    model.eval();
    out = mn.noGrad(() => model.forward(x));
  } else if (mode.startsWith("predict-")) {
    out = mn.train.predict(model, x, { batchSize: Number(mode.slice("predict-".length)) });
  }
  const seconds = (performance.now() - started) / 1000;
  return { mb: process.resourceUsage().maxRSS / 1024, seconds, checksum: out ? out.sum().item() : 0 };
}

const mode = process.argv[2] as Mode | undefined;
if (mode !== undefined) {
  console.log(JSON.stringify(measure(mode)));
} else {
  const rows = (["baseline", "whole", "predict-1000", "predict-256", "predict-32"] as const).map((m) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), m], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${m}: ${r.stderr}`);
    const { mb, seconds, checksum } = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { mb: number; seconds: number; checksum: number };
    return `| ${m} | ${mb.toFixed(0)} MB | ${seconds.toFixed(2)} s | ${checksum.toFixed(3)} |`;
  });
  console.log(`backend ${mn.getBackend()}, ${mn.getNumThreads()} threads\n| inference | peak RSS | time | sum of outputs |\n| --- | --- | --- | --- |\n${rows.join("\n")}`);
}
