#!/usr/bin/env node
// The fault pass of issue 11, rerunnable: every case the issue lists (bad flags, corrupt and hostile
// files, edited checkpoints, full and read-only disks, two processes on one run, divergence, NaN data,
// signals, library misuse) runs the built CLI or library on fixtures made from the embedded digits in
// a temporary folder, and is classified by what a user would see:
//   refused  exit ≠ 0 with a one-line `minima: …` (or a MinimaError), no stack trace
//   works    exit 0
//   STACK    a stack trace reached the user      SILENT  a wrong result with exit 0
//   HANG     no answer within the time limit     WRONG   refused where it should work, or the reverse
// Usage (after `npm run build`): node tools/fault-pass.mjs [--only <substring>]
// Full-disk and read-only cases mount a small tmpfs and need root; elsewhere they are reported as skipped.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";

const ROOT = resolve(new URL("..", import.meta.url).pathname);
const MAIN = join(ROOT, "dist/src/cli/main.js");
const ENTRY = join(ROOT, "dist/src/index.node.js");
if (!existsSync(MAIN)) { console.error("fault-pass: build first (npm run build)"); process.exit(2); }
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
const work = mkdtempSync(join(tmpdir(), "minima-fault-pass-"));
const isRoot = process.getuid?.() === 0;
const mounts = [];

// ---- fixtures: IDX folders cut from the embedded digits --------------------------------------------
const idx = (name) => gunzipSync(readFileSync(join(ROOT, "data/mnist", `${name}.gz`)));
const [trainImages, trainLabels, testImages, testLabels] =
  ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"].map(idx);

function header(type, shape) {
  const b = Buffer.alloc(4 + 4 * shape.length);
  b[2] = type; b[3] = shape.length;
  shape.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  return b;
}
// The embedded digits are sorted by class: every (N/n)-th one gives n digits of every class.
const pick = (src, offset, size, n) => {
  const total = (src.length - offset) / size, at = (i) => offset + Math.floor((i * total) / n) * size;
  return Buffer.concat(Array.from({ length: n }, (_, i) => src.subarray(at(i), at(i) + size)));
};
const images = (src, n) => Buffer.concat([header(0x08, [n, 28, 28]), pick(src, 16, 784, n)]);
const labels = (src, n) => Buffer.concat([header(0x08, [n]), pick(src, 8, 1, n)]);

/** An IDX folder of n train and m test digits, after `edit` changes its four buffers. */
function folder(name, n = 1000, m = 300, edit = () => {}) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const files = { trainImages: images(trainImages, n), trainLabels: labels(trainLabels, n), testImages: images(testImages, m), testLabels: labels(testLabels, m) };
  edit(files);
  writeFileSync(join(dir, "train-images-idx3-ubyte"), files.trainImages);
  writeFileSync(join(dir, "train-labels-idx1-ubyte"), files.trainLabels);
  writeFileSync(join(dir, "t10k-images-idx3-ubyte"), files.testImages);
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), files.testLabels);
  return dir;
}

/** Float pixels (IDX type 0x0d, big-endian float32), one of them NaN. */
function floatFolderWithNaN() {
  return folder("nan-pixel", 1000, 300, (f) => {
    const n = 1000, body = Buffer.alloc(n * 784 * 4);
    for (let i = 0; i < n * 784; i++) body.writeFloatBE(f.trainImages[16 + i] / 255, 4 * i);
    body.writeFloatBE(NaN, 4 * 4321);
    f.trainImages = Buffer.concat([header(0x0d, [n, 28, 28]), body]);
  });
}

/** 150,000 tiny 2×2 images: past the ~120k labels where a spread over the data overflowed the stack. */
function bigFolder() {
  const n = 150_000, m = 1000;
  return folder("big", 1, 1, (f) => {
    const px = (k) => Buffer.concat([header(0x08, [k, 2, 2]), Buffer.from(Array.from({ length: k * 4 }, (_, i) => (i * 37) % 256))]);
    const lb = (k) => Buffer.concat([header(0x08, [k]), Buffer.from(Array.from({ length: k }, (_, i) => i % 10))]);
    f.trainImages = px(n); f.trainLabels = lb(n); f.testImages = px(m); f.testLabels = lb(m);
  });
}

function tmpfs(name, size, options = "") {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}${options ? "," + options : ""}`, "tmpfs", dir]);
  if (r.status !== 0) return null;
  mounts.push(dir);
  return dir;
}

// ---- running and classifying ------------------------------------------------------------------------
const SMALL = ["--train-size", "500", "--epochs", "1", "--hidden", "32"];

function minima(args, { cwd = work, timeout = 120_000, input } = {}) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, timeout, encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, signal: r.signal, out: r.stdout ?? "", err: r.stderr ?? "", timedOut: r.error?.code === "ETIMEDOUT" || (r.signal === "SIGTERM" && r.status === null) };
}

function library(code, timeout = 60_000) {
  const script = `import * as mn from ${JSON.stringify(ENTRY)};\ntry {\n${code}\nconsole.log("RESULT", "returned");\n} catch (e) {\nconsole.log("RESULT", e?.name ?? typeof e, "|", String(e?.message ?? e).split("\\n")[0]);\n}`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: work, timeout, encoding: "utf8" });
  return { code: r.status, out: r.stdout ?? "", err: r.stderr ?? "", timedOut: r.error?.code === "ETIMEDOUT" };
}

/** The child's exit code (128 + n for a signal), promised as soon as it is spawned so that no exit is missed. */
const exited = (child) => new Promise((res) => child.on("exit", (code, signal) => res(code ?? 128 + ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 0))));

const STACK = /\n\s+at .+[(:]\d+/;
function verdict(r, expect, silentCheck) {
  if (r.timedOut) return "HANG";
  if (STACK.test(r.err) || STACK.test(r.out)) return "STACK";
  if (expect === "refuse") {
    // Refusing is not enough when a broken result was written first (NaN weights as the model).
    if (silentCheck?.()) return "SILENT";
    if (r.code === 0) return "WRONG";
    // minima's own messages, and commander's for a flag it rejects ("error: option … is invalid").
    return /(^|\n)(minima|error): /.test(r.err.trim()) ? "refused" : "UNCLEAR";
  }
  if (r.code !== 0) return "WRONG";
  return silentCheck?.() ? "SILENT" : "works";
}

const results = [];
/**
 * One case: `expect` is "refuse" or "works"; `match`, for a refusal, is what its message must say
 * (the bad value or the user's file), so that a refusal for another reason does not pass.
 */
async function check(name, expect, run, { silent: silentCheck, match } = {}) {
  if (only && !name.includes(only)) return;
  let r;
  try { r = await run(); } catch (e) { r = { code: 1, out: "", err: `fault-pass itself failed: ${e.stack}` }; }
  if (r === "skip") { results.push({ name, expect, verdict: "skipped", line: isRoot ? "could not mount a tmpfs" : "needs root (tmpfs)" }); return; }
  let v = r.library ? libraryVerdict(r, expect) : verdict(r, expect, silentCheck ? () => silentCheck(r) : undefined);
  const line = r.library ? r.out.split("\n").find((l) => l.startsWith("RESULT"))?.slice(7) ?? r.err.trim().split("\n")[0]
    : (r.err.trim().split("\n").find((l) => /^(minima|error): /.test(l)) ?? r.err.trim().split("\n")[0] ?? "") || r.out.trim().split("\n").at(-1);
  // A raw OS error code ("ENOSPC: …, write") names neither the user's file nor what to do.
  if (v === "refused" && (/\bE[A-Z]{3,}: /.test(line ?? "") || (match && !match.test(line ?? "")))) v = "UNCLEAR";
  results.push({ name, expect, verdict: v, code: r.code, line: (line ?? "").slice(0, 200) });
  process.stdout.write(`${v.padEnd(8)} ${name}\n`);
}
function libraryVerdict(r, expect) {
  if (r.timedOut) return "HANG";
  const line = r.out.split("\n").find((l) => l.startsWith("RESULT")) ?? "";
  // A bare TypeError or RangeError from deep inside ("params is not iterable") is not a clear refusal.
  if (expect === "refuse") return /RESULT \w*Error \|/.test(line) && !/RESULT (TypeError|RangeError|Error) \|/.test(line) ? "refused" : line.includes("returned") ? "SILENT" : "UNCLEAR";
  return line.includes("returned") ? "works" : "WRONG";
}
const lib = (code) => () => ({ ...library(code), library: true });

/** The float32 tensors of a safetensors file hold a non-finite value. */
function hasNonFinite(path) {
  if (!existsSync(path)) return false;
  const bytes = readFileSync(path), n = Number(bytes.readBigUInt64LE(0));
  const head = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
  for (const [k, t] of Object.entries(head)) {
    if (k === "__metadata__" || t.dtype !== "F32") continue;
    const [a, b] = t.data_offsets;
    for (let i = 8 + n + a; i < 8 + n + b; i += 4) {
      const v = bytes.readFloatLE(i);
      if (!Number.isFinite(v) || Math.abs(v) > 1e6) return true;
    }
  }
  return false;
}

// ---- the cases -------------------------------------------------------------------------------------
const good = folder("good");
const run = (name, extra = []) => { const out = join(work, name); const r = minima(["train", "--dataset", good, ...SMALL, "--out", out, ...extra]); return { out, r }; };

// Data loss
await check("1 full disk: train --checkpoint-every 2 with 200 KB free", "refuse", () => {
  const disk = tmpfs("full", "2m");
  if (!disk) return "skip";
  writeFileSync(join(disk, "filler"), Buffer.alloc(2 * 1024 * 1024 - 200 * 1024));
  return minima(["train", "--dataset", good, ...SMALL, "--checkpoint-every", "2", "--out", join(disk, "run")]);
}, { match: /no space left on device writing/ });
await check("1 full disk: saveSafetensors over a good file keeps it", "refuse", () => {
  const disk = tmpfs("full2", "1m");
  if (!disk) return "skip";
  const r = library(`const big = { w: mn.randn([100000]) }; mn.io.saveSafetensors(${JSON.stringify(join(disk, "w.safetensors"))}, { w: mn.randn([10]) });
    const before = (await import("node:fs")).readFileSync(${JSON.stringify(join(disk, "w.safetensors"))});
    (await import("node:fs")).writeFileSync(${JSON.stringify(join(disk, "filler"))}, Buffer.alloc(1024 * 1024 - 64 * 1024));
    try { mn.io.saveSafetensors(${JSON.stringify(join(disk, "w.safetensors"))}, big); } finally {
      const after = (await import("node:fs")).readFileSync(${JSON.stringify(join(disk, "w.safetensors"))});
      if (!before.equals(after)) console.log("RESULT LOST the good file was replaced"); }`);
  return { ...r, library: true, out: r.out.includes("LOST") ? "RESULT returned" : r.out };
});
await check("2 --out an existing run", "refuse", () => { run("existing"); return run("existing").r; }, { match: /--resume|--overwrite/ });
await check("2 --out an existing run --overwrite", "works", () => { run("overwritten"); return run("overwritten", ["--overwrite"]).r; });
await check("3 two fresh runs with one --out", "refuse", async () => {
  const out = join(work, "twice");
  const args = [MAIN, "train", "--dataset", good, "--train-size", "900", "--epochs", "3", "--hidden", "32", "--out", out];
  const a = spawn(process.execPath, args, { cwd: work, stdio: "ignore" });
  const exitA = exited(a);
  await new Promise((res) => setTimeout(res, 1500));
  const r = minima(args.slice(1));
  const codeA = await exitA;
  const records = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").filter((l) => l.includes('"end"')).length;
  return codeA === 0 && records === 1 ? r : { ...r, code: 0 };
});
for (const [lr, extra] of [["1e30", []], ["1e6", []], ["1e6", ["--on-divergence", "continue"]]]) {
  await check(`4 diverged run: sgd --lr ${lr} ${extra.join(" ")}`, "refuse", () => run(`div-${lr}-${extra.length}`, ["--optimizer", "sgd", "--lr", lr, ...extra]).r,
    { silent: () => hasNonFinite(join(work, `div-${lr}-${extra.length}`, "model.safetensors")) });
}
await check("5 --resume with last.json deleted, weights still there", "refuse", () => {
  const { out } = run("no-last", ["--epochs", "2"]);
  rmSync(join(out, "checkpoints", "last.json"));
  return minima(["train", "--resume", out]);
}, { match: /last\.json/ });
for (const [field, value] of [["step", '"abc"'], ["epochsDone", "99"], ["batchesDone", "1e6"]]) {
  await check(`5 --resume of a last.json edited: ${field} = ${value}`, "refuse", () => {
    const { out } = run(`edit-${field}`, ["--epochs", "2"]);
    const path = join(out, "checkpoints", "last.json");
    writeFileSync(path, readFileSync(path, "utf8").replace(new RegExp(`"${field}":[^,}]+`), `"${field}":${value}`));
    return minima(["train", "--resume", out]);
  });
}

// Silent wrong results
await check("6 a float IDX folder with one NaN pixel", "refuse", () => minima(["train", "--dataset", floatFolderWithNaN(), ...SMALL, "--out", join(work, "nan-run")]),
  { silent: () => hasNonFinite(join(work, "nan-run", "model.safetensors")), match: /train-images-idx3-ubyte.*(NaN|non-finite)|(NaN|non-finite).*train-images-idx3-ubyte/ });
await check("6 --init-from a file holding NaN", "refuse", () => {
  const { out } = run("init-src");
  const path = join(work, "nan.safetensors");
  library(`const w = mn.io.loadSafetensors(${JSON.stringify(join(out, "model.safetensors"))}); const k = Object.keys(w)[0]; w[k].data[3] = NaN; mn.io.saveSafetensors(${JSON.stringify(path)}, w);`);
  return run("init-nan", ["--init-from", path]).r;
}, { match: /nan\.safetensors|non-finite|NaN/ });
await check("7 label 12 in a 10-class set", "refuse", () => minima(["train", "--dataset", folder("label12", 1000, 300, (f) => { f.trainLabels[8 + 5] = 12; }), ...SMALL, "--out", join(work, "l12")], ), { match: /train-labels-idx1-ubyte/ });
await check("7 label 255", "refuse", () => minima(["train", "--dataset", folder("label255", 1000, 300, (f) => { f.trainLabels[8 + 5] = 255; }), ...SMALL, "--out", join(work, "l255")]), { match: /train-labels-idx1-ubyte/ });
await check("7 a label out of range only in the test file", "refuse", () => minima(["train", "--dataset", folder("testlabel", 1000, 300, (f) => { f.testLabels[8 + 3] = 10; }), ...SMALL, "--out", join(work, "lt")]), { match: /t10k-labels-idx1-ubyte/ });
/** A run killed (SIGKILL) once its first in-epoch checkpoint exists: `--resume` has work left. */
async function killedRun(cwd, args) {
  const child = spawn(process.execPath, [MAIN, "train", ...args, "--checkpoint-every", "3"], { cwd, stdio: "ignore" });
  const exit = exited(child);
  const out = resolve(cwd, args[args.indexOf("--out") + 1]);
  for (let i = 0; i < 600 && !existsSync(join(out, "checkpoints", "last.json")); i++) await new Promise((res) => setTimeout(res, 50));
  child.kill("SIGKILL");
  await exit;
  return out;
}
await check("8 --resume from another folder (relative --dataset)", "works", async () => {
  const a = join(work, "cwd8"); mkdirSync(a, { recursive: true });
  folder("cwd8/good");
  const out = await killedRun(a, ["--dataset", "good", "--train-size", "900", "--epochs", "3", "--hidden", "32", "--out", "r8"]);
  return minima(["train", "--resume", out], { cwd: work });
});
await check("8 --resume after the data folder changed (other labels)", "refuse", async () => {
  const a = join(work, "cwd8a"); mkdirSync(a, { recursive: true });
  folder("cwd8a/good");
  const out = await killedRun(a, ["--dataset", "good", "--train-size", "900", "--epochs", "3", "--hidden", "32", "--out", "run"]);
  folder("cwd8a/good", 1000, 300, (f) => { for (let i = 0; i < 1000; i++) f.trainLabels[8 + i] = (f.trainLabels[8 + i] + 1) % 10; });
  return minima(["train", "--resume", out], { cwd: work });
});
await check("9 --resume \"\"", "refuse", () => minima(["train", "--resume", ""]));
await check("9 --warmup 1000000 on a short run", "refuse", () => minima(["train", ...SMALL, "--warmup", "1000000", "--out", join(work, "w9")]), { match: /1000000/ });
await check("9 --hidden none on resmlp", "refuse", () => minima(["train", "--model", "resmlp", "--hidden", "none", "--train-size", "500", "--epochs", "1", "--out", join(work, "h9")]));
await check("9 --lr 0x10", "refuse", () => minima(["train", ...SMALL, "--lr", "0x10", "--out", join(work, "x9")]), { match: /0x10/ });
await check("9 --epochs 99999999999999999999", "refuse", () => minima(["train", "--epochs", "99999999999999999999", "--out", join(work, "e9")]), { match: /99999999999999999999/ });

// Crashes and unclear errors
const aFile = join(work, "a-file"); writeFileSync(aFile, "x");
await check("11 --out a file", "refuse", () => minima(["train", ...SMALL, "--out", aFile]), { match: /a-file/ });
await check("11 --out a read-only folder", "refuse", () => {
  const ro = tmpfs("ro", "1m", "ro");
  return ro ? minima(["train", ...SMALL, "--out", join(ro, "run")]) : "skip";
});
await check("11 --init-from a missing file", "refuse", () => minima(["train", ...SMALL, "--init-from", join(work, "missing.safetensors"), "--out", join(work, "i1")]));
await check("11 --init-from a folder", "refuse", () => minima(["train", ...SMALL, "--init-from", work, "--out", join(work, "i2")]));
for (const body of ["{bad", "null"]) {
  await check(`11 --resume with config.json ${body}`, "refuse", () => {
    const { out } = run(`cfg-${body === "null" ? "null" : "bad"}`);
    writeFileSync(join(out, "config.json"), body);
    return minima(["train", "--resume", out]);
  });
}
await check("11 --seed 1e23", "refuse", () => minima(["train", ...SMALL, "--seed", "1e23", "--out", join(work, "s11")]), { match: /1e23/ });
await check("11 --hidden 99999999", "refuse", () => minima(["train", "--hidden", "99999999", "--out", join(work, "m11")]), { match: /memory|GiB|GB/ });
await check("11 --model cnn --channels 100000", "refuse", () => minima(["train", "--model", "cnn", "--channels", "100000", "--out", join(work, "c11")]), { match: /memory|GiB|GB/ });
await check("11 schedule --steps 1e8", "refuse", () => minima(["schedule", "cosine", "--steps", "100000000"]));
await check("11 schedule --out .", "refuse", () => minima(["schedule", "cosine", "--out", "."]));
await check("12 a data folder of 150,000 training samples", "works", () => minima(["train", "--dataset", bigFolder(), "--train-size", "200", "--epochs", "1", "--hidden", "8", "--out", join(work, "big-run")]));
await check("13 --init-from a FIFO", "refuse", () => {
  const fifo = join(work, "fifo");
  spawnSync("mkfifo", [fifo]);
  return minima(["train", ...SMALL, "--init-from", fifo, "--out", join(work, "f13")], { timeout: 30_000 });
}, { match: /fifo/ });
await check("13 --init-from /dev/zero", "refuse", () => minima(["train", ...SMALL, "--init-from", "/dev/zero", "--out", join(work, "z13")], { timeout: 30_000 }), { match: /\/dev\/zero/ });
await check("14 mn.add(t, \"abc\")", "refuse", lib(`mn.add(mn.ones([2]), "abc");`));
await check("14 mn.add(t, null)", "refuse", lib(`mn.add(mn.ones([2]), null);`));
await check("14 fit on an empty data set", "refuse", lib(`const m = new mn.nn.Linear(2, 2); const empty = new mn.data.TensorDataset(mn.zeros([0, 2]), mn.zeros([0], { dtype: "int32" }));
  mn.train.fit(m, { train: empty, optimizer: new mn.optim.SGD(m.parameters(), { lr: 0.1 }), loss: mn.nn.crossEntropy, epochs: 1, batchSize: 4 });`));
await check("14 loadStateDict(null)", "refuse", lib(`new mn.nn.Linear(2, 2).loadStateDict(null);`));
await check("14 new SGD(tensor)", "refuse", lib(`new mn.optim.SGD(mn.ones([2]), { lr: 0.1 });`));
await check("14 a tensor named __proto__ survives save and load", "works", lib(`const p = ${JSON.stringify(join(work, "proto.safetensors"))};
  mn.io.saveSafetensors(p, JSON.parse('{"__proto__": 0}') && Object.fromEntries([["__proto__", mn.ones([3])]]));
  const back = mn.io.loadSafetensors(p); if (!Object.keys(back).includes("__proto__")) throw new Error("dropped");`));
await check("15 Ctrl-C (SIGINT) mid-run: exit 130, says how to resume", "refuse", async () => {
  const out = join(work, "int15");
  const child = spawn(process.execPath, [MAIN, "train", "--dataset", good, "--epochs", "500", "--batch-size", "8", "--hidden", "64", "--out", out], { cwd: work });
  let stdout = "", stderr = "";
  const exit = exited(child);
  child.stdout.on("data", (d) => { stdout += d; }); child.stderr.on("data", (d) => { stderr += d; });
  // Mid-epoch, once training is under way (the second epoch's line is out).
  for (let i = 0; i < 600 && !/epoch\s+2\//.test(stdout); i++) await new Promise((res) => setTimeout(res, 50));
  await new Promise((res) => setTimeout(res, 150));
  child.kill("SIGINT");
  const code = await exit;
  const ok = code === 130 && /--resume/.test(stdout + stderr);
  return { code: ok ? 130 : code ?? 0, out: stdout, err: ok ? `minima: ${(stdout + stderr).split("\n").find((l) => l.includes("--resume"))}` : stderr };
});

// ---- summary --------------------------------------------------------------------------------------
for (const dir of mounts.reverse()) spawnSync("umount", [dir]);
rmSync(work, { recursive: true, force: true });
const bad = results.filter((r) => /^[A-Z]+$/.test(r.verdict));
console.log(`\n${results.length} cases: ${results.filter((r) => r.verdict === "refused").length} refused clearly, ${results.filter((r) => r.verdict === "works").length} work, ` +
  `${results.filter((r) => r.verdict === "skipped").length} skipped, ${bad.length} bad`);
for (const r of results) console.log(`${r.verdict.padEnd(8)} ${r.name}\n         ${r.line ?? ""}`);
process.exit(bad.length ? 1 : 0);
