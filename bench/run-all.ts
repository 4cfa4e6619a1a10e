/**
 * minima's benchmark suite (issue 4): `npm run bench` builds and runs every comparison in turn
 * and prints Markdown for BENCHMARKS.md; `npm run bench -- --only mlp` (or sgemm, mlp, cnn,
 * adam, bundle, layers, tune, hvp, serve, playground, comma-separated) runs some. Every measurement runs in a fresh process of its own;
 * progress goes to stderr, the tables to stdout.
 */
import { machineHeader, runNotes } from "./common.js";

const BENCHES = ["sgemm", "mlp", "cnn", "adam", "bundle", "layers", "tune", "hvp", "serve", "playground"] as const;

const args = process.argv.slice(2);
const at = args.findIndex((a) => a === "--only" || a.startsWith("--only="));
const only = at < 0 ? [...BENCHES] : (args[at]!.includes("=") ? args[at]!.split("=")[1]! : args[at + 1] ?? "").split(",").filter(Boolean);
const unknown = only.filter((b) => !(BENCHES as readonly string[]).includes(b));
if (unknown.length || only.length === 0) {
  console.error(`--only takes one or more of ${BENCHES.join(", ")} (comma-separated); got "${only.join(",")}"`);
  process.exit(2);
}

process.stderr.write("measuring the FMA peak and versions…\n");
console.log(machineHeader());
for (const name of BENCHES.filter((b) => only.includes(b))) {
  const start = performance.now();
  process.stderr.write(`${name}…\n`);
  const mod = (await import(`./${name}.bench.js`)) as { run(): string };
  console.log(`\n${mod.run()}`);
  process.stderr.write(`${name}: ${((performance.now() - start) / 1000).toFixed(0)} s\n`);
}
console.log(`\n${runNotes()}`);
