/**
 * Training in headless Chromium (issue 16): the bench's Fashion-MNIST MLP epoch and CNN steps in one page's main
 * thread, on minima's wasm backend (eager, and through mn.compile), TF.js's wasm backend (its .wasm files served by
 * the page's server) and minima's js backend. The page is cross-origin isolated (COOP/COEP, as `minima serve` sends):
 * minima's wasm rows run on one thread and again on two (its Web Workers); TF.js picks its own binary and threads
 * (the table says which). Debian's Chromium through the tests' harness. Standalone:
 * `node dist/bench/browser-train.bench.js` prints the Markdown for BENCHMARKS.md (MINIMA_BENCH_QUICK=1: shorter runs).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as mn from "../src/index.node.js";
import { openPage } from "../test/web/harness.js";
import { bundle, dist, serveFiles } from "../test/web/wasm/bundle-server.js";
import type { EpochResult, Failed, StepsResult, System } from "./browser/train-page.js";
import { DATE, fmt, median, rate, table, times } from "./common.js";

const QUICK = process.env["MINIMA_BENCH_QUICK"] === "1";
// [system, row name, minima's wasm threads]
const SYSTEMS: [System, string, number][] = [
  ["minima-wasm", "minima wasm", 1], ["minima-wasm-compiled", "minima wasm, mn.compile", 1],
  ["minima-wasm", "minima wasm, 2 threads", 2], ["minima-wasm-compiled", "minima wasm, mn.compile, 2 threads", 2],
  ["tfjs-wasm", "TF.js wasm", 1], ["minima-js", "minima js", 1],
];
const ISOLATED = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

const bytes = (a: Float32Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The page's files: its script, TF.js's prebuilt scripts and .wasm binaries, and the training set as raw arrays. */
async function pageFiles(): Promise<Record<string, string | Uint8Array>> {
  const require = createRequire(import.meta.url);
  const tfDist = dirname(require.resolve("@tensorflow/tfjs/dist/tf.min.js"));
  const wasmDist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  const { train } = mn.data.fashionMnist();
  const [x, y] = train.tensors as [mn.Tensor, mn.Tensor];
  const files: Record<string, string | Uint8Array> = {
    "/": '<!doctype html><link rel="icon" href="data:,"><script src="/tf.min.js"></script><script src="/tf-backend-wasm.min.js"></script><script src="/page.js"></script>',
    "/page.js": await bundle(dist("bench/browser/train-page.js")),
    "/tf.min.js": readFileSync(join(tfDist, "tf.min.js"), "utf8"),
    "/tf-backend-wasm.min.js": readFileSync(join(wasmDist, "tf-backend-wasm.min.js"), "utf8"),
    "/train-x.bin": bytes(x.data as Float32Array),
    "/train-y.bin": bytes(y.data as Int32Array),
  };
  for (const f of ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"]) files[`/tfjs/${f}`] = readFileSync(join(wasmDist, f));
  return files;
}

export async function run(): Promise<string> {
  try {
    mn.data.findFashionMnist();
  } catch (e) {
    return `## Training in the browser (headless Chromium) — ${DATE}\n\nNot measured: ${(e as Error).message}`;
  }
  const served = await serveFiles(await pageFiles(), ISOLATED);
  const opened = await openPage(served.url);
  const mlp = new Map<string, EpochResult[] | Failed>(), cnn = new Map<string, StepsResult | Failed>();
  let tfThreads: unknown = null;
  let browser = "";
  try {
    const { page } = opened;
    browser = await opened.browser.version();
    const reps = QUICK ? 1 : 3;
    for (const [system, name, threads] of SYSTEMS) {
      process.stderr.write(`browser-train: MLP epoch, ${name}…\n`);
      const got = await page.evaluate(`useThreads(${threads})`);
      if (system.startsWith("minima-wasm") && got !== threads) throw new Error(`${name}: minima's wasm backend runs on ${String(got)} threads`);
      const maxSeconds = system === "minima-js" ? (QUICK ? 10 : 40) : QUICK ? 10 : 600;
      const runs: EpochResult[] = [];
      // One run of the slow systems (as the Node MLP bench runs TF.js once): minima js, TF.js wasm.
      for (let r = 0; r < (system === "minima-js" || system === "tfjs-wasm" ? 1 : reps); r++) {
        const out = await page.evaluate(`mlpEpoch(${JSON.stringify(system)}, ${maxSeconds}, ${r})`) as EpochResult | Failed;
        if ("failed" in out) { mlp.set(name, out); break; }
        runs.push(out);
        mlp.set(name, runs);
      }
    }
    tfThreads = await page.evaluate("globalThis.tf?.wasm?.getThreadsCount?.() ?? null");
    for (const [system, name, threads] of SYSTEMS) {
      process.stderr.write(`browser-train: CNN steps, ${name}…\n`);
      await page.evaluate(`useThreads(${threads})`);
      const js = system === "minima-js";
      cnn.set(name, await page.evaluate(`cnnSteps(${JSON.stringify(system)}, ${js ? 1 : 3}, ${QUICK || js ? 5 : 30}, ${QUICK ? 10 : 30})`) as StepsResult | Failed);
    }
    if (opened.problems.length) process.stderr.write(`browser-train: the page reported: ${opened.problems.join("; ")}\n`);
  } finally {
    await opened.close();
    await served.close();
  }

  const epoch = (rs: EpochResult[]) => median(rs.map((r) => r.seconds / r.fraction));
  const tfMlp = mlp.get("TF.js wasm");
  const mlpRows = SYSTEMS.map(([, name]) => {
    const rs = mlp.get(name);
    if (!rs) return [name, "—", "—", "—", "not run"];
    if ("failed" in rs) return [name, "—", "—", "—", `failed: ${rs.failed}`];
    const s = epoch(rs), partial = Math.min(...rs.map((r) => r.fraction));
    const note = [partial < 1 ? `${Math.round(partial * 100)}% of an epoch timed, extrapolated` : `median of ${rs.length} epoch${rs.length > 1 ? "s" : ""}`,
      `last loss ${fmt(rs.at(-1)!.lastLoss, 3)}`, ...new Set(rs.flatMap((r) => r.notes))].join("; ");
    return [name, fmt(s, 2), rate(60000 / s), tfMlp && !("failed" in tfMlp) ? times(epoch(tfMlp) / s) : "—", note];
  });
  const tfCnn = cnn.get("TF.js wasm");
  const cnnRows = SYSTEMS.map(([, name]) => {
    const r = cnn.get(name);
    if (!r) return [name, "—", "—", "—", "not run"];
    if ("failed" in r) return [name, "—", "—", "—", `cannot train it: ${r.failed}`];
    return [name, fmt(r.msPerStep, 1), rate(64000 / r.msPerStep), tfCnn && !("failed" in tfCnn) ? times(tfCnn.msPerStep / r.msPerStep) : "—",
      [`median of ${r.steps} steps`, `last loss ${fmt(r.lastLoss, 3)}`, ...new Set(r.notes)].join("; ")];
  });
  return [
    `## Training in the browser (headless Chromium) — ${DATE}`,
    "",
    "`node dist/bench/browser-train.bench.js`: the MLP epoch and the CNN steps of the sections above, in one page's main thread of " +
      `headless Chromium (${browser}) served from 127.0.0.1 by the bench. The page is cross-origin isolated (COOP/COEP): minima's wasm ` +
      `backend runs one thread, then two (rows "2 threads"); TF.js ${"4.22.0"} ran ${tfThreads === null ? "its wasm backend" : `its wasm backend on ${String(tfThreads)} thread(s)`}. ` +
      "Every system gets the same shuffled batches; the time covers " +
      "batching, forward, backward and the Adam step, reading the loss each batch. mn.compile captures the step once per batch shape " +
      "and replays it after (its notes, if any, in the last column).",
    "",
    "MLP epoch (784-256-256-10, Adam lr 1e-3, batch 128, 60,000 images):",
    "",
    table(["system", "epoch s", "samples/s", "speed vs TF.js wasm", "note"], mlpRows),
    "",
    "CNN (conv3x3 32 → pool → conv3x3 64 → pool → dense 128 → dense 10, Adam lr 1e-3, batch 64), after warm-up:",
    "",
    table(["system", "ms/step", "samples/s", "speed vs TF.js wasm", "note"], cnnRows),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) console.log(await run());
