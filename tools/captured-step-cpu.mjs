// CPU milliseconds per captured training step (mn.compile on the native backend, 1 thread) of a small CNN with batch
// norm and clipping by norm, for two built checkouts side by side: each round runs one child process per checkout,
// the order alternating, and the medians over the rounds are printed with their ratio. The step: zeroGrad, forward of
// Conv(1→16, 3, pad 1)-BatchNorm-ReLU-MaxPool(2)-Conv(16→32, 3, pad 1)-BatchNorm-ReLU-MaxPool(2)-Linear(1568→10) on
// one fixed batch of 32 [1, 28, 28] normal draws, cross-entropy, backward, clipGradNorm(1), Adam; or, with model "mlp",
// Linear(784→128)-BatchNorm-ReLU-Linear(128→10) in its place.
// Run: node tools/captured-step-cpu.mjs <checkout A> <checkout B> [rounds] [steps] [cnn|mlp]   (each built: dist/ and the addon)
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

async function child(root, steps, kind) {
  const mn = await import(pathToFileURL(resolve(root, "dist/src/index.node.js")).href);
  mn.setBackend("native");
  mn.setNumThreads(1);
  mn.manualSeed(0);
  const model = kind === "mlp"
    ? new mn.nn.Sequential(new mn.nn.Flatten(), new mn.nn.Linear(784, 128), new mn.nn.BatchNorm1d(128), new mn.nn.ReLU(), new mn.nn.Linear(128, 10))
    : new mn.nn.Sequential(
    new mn.nn.Conv2d(1, 16, 3, { padding: 1 }), new mn.nn.BatchNorm2d(16), new mn.nn.ReLU(), new mn.nn.MaxPool2d(2),
    new mn.nn.Conv2d(16, 32, 3, { padding: 1 }), new mn.nn.BatchNorm2d(32), new mn.nn.ReLU(), new mn.nn.MaxPool2d(2),
    new mn.nn.Flatten(), new mn.nn.Linear(32 * 7 * 7, 10));
  const opt = new mn.optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = mn.randn([32, 1, 28, 28]), y = mn.randint(0, 10, [32]);
  const step = mn.compile((xb, yb) => {
    opt.zeroGrad();
    const loss = mn.nn.functional.crossEntropy(model.forward(xb), yb);
    loss.backward();
    mn.nn.utils.clipGradNorm(model.parameters(), 1);
    opt.step();
    return loss;
  }, { onNote: (n) => { throw new Error(n); } });
  for (let i = 0; i < 20; i++) step(x, y); // capture, verification, warm-up
  const cpu = process.cpuUsage(), start = performance.now();
  for (let i = 0; i < steps; i++) step(x, y);
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / steps, wallMs: (performance.now() - start) / steps };
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

if (process.argv[2] === "--child") {
  console.log(JSON.stringify(await child(process.argv[3], Number(process.argv[4]), process.argv[5])));
} else {
  const [a, b] = [process.argv[2], process.argv[3]];
  if (!a || !b) throw new Error("usage: node tools/captured-step-cpu.mjs <checkout A> <checkout B> [rounds] [steps]");
  const rounds = Number(process.argv[4] ?? 7), steps = Number(process.argv[5] ?? 200), kind = process.argv[6] ?? "cnn";
  const results = { [a]: [], [b]: [] };
  for (let r = 0; r < rounds; r++) {
    for (const root of r % 2 ? [b, a] : [a, b]) {
      const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", root, String(steps), kind], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`${root}: ${run.stderr}`);
      results[root].push(JSON.parse(run.stdout.trim().split("\n").pop()));
    }
  }
  const cpu = (root) => median(results[root].map((m) => m.cpuMs)), wall = (root) => median(results[root].map((m) => m.wallMs));
  for (const root of [a, b]) console.log(`${root}: ${cpu(root).toFixed(3)} CPU ms/step, ${wall(root).toFixed(3)} wall ms/step (medians of ${rounds}, ${kind})`);
  const paired = median(results[a].map((m, r) => results[b][r].cpuMs / m.cpuMs));
  console.log(`B/A CPU: ${(cpu(b) / cpu(a)).toFixed(3)} (ratio of medians), ${paired.toFixed(3)} (median of the rounds' ratios)`);
}
