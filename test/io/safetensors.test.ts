import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";

// The independent side is tools/safetensors_check.py, a reader and writer written from the format's spec
// with NumPy: it wrote test/fixtures/safetensors/python-written.safetensors from formulas recomputed here.

const FIXTURE = new URL("../../../test/fixtures/safetensors/python-written.safetensors", import.meta.url);
const METADATA = { format: "pt", writer: "tools/safetensors_check.py" };

/** The Python tool's values(): x[i] = (i·0.37 mod 1) − 0.5 + i/1000, i < 30; labels i·7 − 20. */
function values(): Record<string, mn.Tensor> {
  const x = Array.from({ length: 30 }, (_, i) => ((i * 0.37) % 1) - 0.5 + i / 1000);
  return {
    weight64: mn.tensor(x, { dtype: "float64" }).reshape([2, 3, 5]),
    weight32: mn.tensor(x.map(Math.fround), { dtype: "float32" }).reshape([6, 5]),
    labels: mn.tensor(Array.from({ length: 7 }, (_, i) => i * 7 - 20), { dtype: "int32" }),
    empty: mn.zeros([0, 3]),
  };
}

function corrupt(bytes: Uint8Array, header: object): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes, 8 + json.length);
  return out;
}

describe("safetensors", () => {
  test("a file the independent Python writer made loads with exact values, float32, float64 and int32", () => {
    const got = mn.io.loadSafetensors(FIXTURE.pathname);
    const want = values();
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    for (const [name, t] of Object.entries(want)) {
      assert.equal(got[name]!.dtype, t.dtype, name);
      assert.deepEqual(got[name]!.shape, t.shape, name);
      assert.ok(got[name]!.data.every((v, i) => Object.is(v, t.data[i])), `${name}: values differ`);
    }
  });

  test("minima writes those tensors byte for byte as the independent writer did", () => {
    const ours = mn.io.encodeSafetensors(values(), METADATA);
    const theirs = readFileSync(FIXTURE);
    assert.equal(ours.length, theirs.length);
    assert.ok(ours.every((b, i) => b === theirs[i]), "bytes differ");
  });

  test("save then load round-trips a model's state dict exactly, written atomically", () => {
    const dir = mkdtempSync(join(tmpdir(), "minima-st-"));
    const model = new mn.nn.Sequential(new mn.nn.Linear(5, 4, { dtype: "float64" }), new mn.nn.ReLU(), new mn.nn.Linear(4, 3));
    const state = model.stateDict();
    const path = join(dir, "model.safetensors");
    mn.io.saveSafetensors(path, state);
    const back = mn.io.loadSafetensors(path);
    for (const [name, t] of Object.entries(state)) {
      assert.equal(back[name]!.dtype, t.dtype);
      assert.ok(back[name]!.data.every((v, i) => Object.is(v, t.data[i])), name);
    }
    const bytes = readFileSync(path);
    assert.equal((8 + Number(bytes.readBigUInt64LE(0))) % 8, 0, "the data starts 8-byte aligned");
  });

  test("weights saved from one model load by name into a fresh one (same outputs); a different model is refused clearly", () => {
    const dir = mkdtempSync(join(tmpdir(), "minima-st-"));
    const path = join(dir, "cnn.safetensors");
    mn.manualSeed(3);
    const trained = mn.nn.cnn({ inputShape: [1, 12, 12], channels: [4], hidden: [8], outputs: 3 });
    mn.io.saveSafetensors(path, trained.stateDict());
    mn.manualSeed(4);
    const fresh = mn.nn.cnn({ inputShape: [1, 12, 12], channels: [4], hidden: [8], outputs: 3 });
    const x = mn.randn([2, 1, 12, 12]);
    assert.notDeepEqual(Array.from(fresh.forward(x).data), Array.from(trained.forward(x).data));
    fresh.loadStateDict(mn.io.loadSafetensors(path));
    assert.deepEqual(Array.from(fresh.forward(x).data), Array.from(trained.forward(x).data));
    const wider = mn.nn.cnn({ inputShape: [1, 12, 12], channels: [4], hidden: [9], outputs: 3 });
    assert.throws(() => wider.loadStateDict(mn.io.loadSafetensors(path)), /size mismatch for \S+weight: the checkpoint has \[8,\d+\], the model has \[9,\d+\]/);
    const deeper = mn.nn.cnn({ inputShape: [1, 12, 12], channels: [4, 4], hidden: [8], outputs: 3 });
    assert.throws(() => deeper.loadStateDict(mn.io.loadSafetensors(path)), /missing|unexpected/i);
  });

  test("corrupt and unsupported files fail with errors that say what is wrong", () => {
    const dir = mkdtempSync(join(tmpdir(), "minima-st-"));
    const load = (bytes: Uint8Array) => { const p = join(dir, "bad.safetensors"); writeFileSync(p, bytes); return () => mn.io.loadSafetensors(p); };
    const good = readFileSync(FIXTURE);
    const f4 = new Uint8Array(8);
    assert.throws(load(good.subarray(0, 5)), /bad\.safetensors: not a valid safetensors file: shorter than its 8-byte header length, got 5 bytes/);
    const dataBytes = good.length - 8 - Number(good.readBigUInt64LE(0)); // weight64, sorted last, ends the buffer
    assert.throws(load(good.subarray(0, good.length - 4)), new RegExp(`tensor "weight64" ends at byte ${dataBytes} of a ${dataBytes - 4}-byte buffer \\(the file is truncated\\)`));
    const huge = new Uint8Array(good); huge[6] = 1;
    assert.throws(load(huge), /the header length \d+ does not fit the file/);
    assert.throws(load(corrupt(f4, [1, 2] as never)), /its header is not a JSON object/);
    assert.throws(load(corrupt(f4, { a: { dtype: "I16", shape: [4], data_offsets: [0, 8] } })), /tensor "a" has dtype "I16", which minima does not read; expected F32, F64, F16 or BF16 \(read as float32\), I32, I64 or U8 \(read as int32\)/);
    assert.throws(load(corrupt(f4, { a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } })), /tensor "a" of shape \[3\] and F32 needs 12 bytes, got 8/);
    assert.throws(load(corrupt(f4, { a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } })), /a hole in the data before tensor "a"/);
    assert.throws(load(corrupt(f4, { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [1], data_offsets: [4, 8] } })), /tensor "b" overlaps the one before it/);
    assert.throws(load(corrupt(new Uint8Array(12), { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } })), /4 bytes after the last tensor/);
    const text = Buffer.from("not json");
    const raw = new Uint8Array(8 + text.length); new DataView(raw.buffer).setBigUint64(0, BigInt(text.length), true); raw.set(text, 8);
    assert.throws(load(raw), /its header is not JSON/);
  });

  test("{ metadata: true } also returns the header's __metadata__ as written (the Python writer's, PyTorch's non-ASCII text, minima's own); {} when absent", () => {
    assert.deepEqual(mn.io.loadSafetensors(FIXTURE.pathname, { metadata: true }).metadata, METADATA);
    const torchFile = new URL("../../../test/fixtures/safetensors/torch-dtypes.safetensors", import.meta.url).pathname;
    const torchMetadata = { format: "pt", writer: "tools/gen_safetensors_fixtures.py", note: "naïve café — ü ✓" };
    assert.deepEqual(mn.io.decodeSafetensors(readFileSync(torchFile), "t", { metadata: true }).metadata, torchMetadata);
    const { tensors, metadata } = mn.io.decodeSafetensors(mn.io.encodeSafetensors(values(), { spec: '{"builder":"mlp"}', "ünï": "ß" }), "x", { metadata: true });
    assert.deepEqual(metadata, { spec: '{"builder":"mlp"}', "ünï": "ß" });
    assert.deepEqual(Object.keys(tensors).sort(), ["empty", "labels", "weight32", "weight64"]);
    assert.deepEqual(mn.io.decodeSafetensors(mn.io.encodeSafetensors(values()), "x", { metadata: true }).metadata, {});
    // Without the option (or with false), the tensors by name, as before.
    assert.deepEqual(Object.keys(mn.io.loadSafetensors(FIXTURE.pathname)).sort(), ["empty", "labels", "weight32", "weight64"]);
    assert.deepEqual(Object.keys(mn.io.loadSafetensors(FIXTURE.pathname, { metadata: false })).sort(), ["empty", "labels", "weight32", "weight64"]);
  });

  test("__metadata__ must map names to strings, as the spec says; bad options are refused with the option's name", () => {
    const bytes = corrupt(new Uint8Array(0), { __metadata__: { epochs: 3 } });
    assert.throws(() => mn.io.decodeSafetensors(bytes, "m.safetensors"),
      { message: 'm.safetensors: not a valid safetensors file: its __metadata__ should map names to strings, got {"epochs":3}' });
    assert.throws(() => mn.io.loadSafetensors(FIXTURE.pathname, { metdata: true } as never),
      { name: "OptionError", message: 'loadSafetensors: unknown option "metdata" — did you mean "metadata"?; expected one of metadata' });
    assert.throws(() => mn.io.decodeSafetensors(new Uint8Array(0), "x", { metadata: "yes" } as never),
      { name: "OptionError", message: 'decodeSafetensors: invalid metadata; expected true or false, got "yes"' });
  });

  test("the bytes part imports no Node built-in and no Buffer (it runs in browsers); files are safetensors-file.ts's", () => {
    const source = readFileSync(new URL("../../src/io/safetensors.js", import.meta.url), "utf8");
    assert.deepEqual(source.match(/from "node:[^"]*"|\bBuffer\b/g), null);
    const files = readFileSync(new URL("../../src/io/safetensors-file.js", import.meta.url), "utf8");
    assert.match(files, /from "\.\/atomic-write\.js"/); // writes through writeFileAtomic (node:fs)
    assert.match(files, /from "\.\.\/read-file\.js"/); // reads through readRegularFile (node:fs)
  });
});

describe("safetensors: tensor names", () => {
  const NAMES = new URL("../../../test/fixtures/safetensors/python-names.safetensors", import.meta.url);
  /** The Python tool's names(): "__proto__", "poids_é", "名前", each i/4 − 1 for its 3 values of i. */
  const named = (): mn.io.TensorMap => Object.fromEntries(["__proto__", "poids_é", "名前"]
    .map((name, k) => [name, mn.tensor([0, 1, 2].map((j) => (k * 3 + j) / 4 - 1))]));

  test("non-ASCII names: minima writes the independent Python writer's file byte for byte (the header padded by its UTF-8 length, data 8-byte aligned)", () => {
    const want = readFileSync(NAMES);
    const got = mn.io.encodeSafetensors(named(), { format: "pt" });
    assert.ok(Buffer.from(got).equals(want), `${got.length} bytes against the Python writer's ${want.length}`);
    const n = Number(new DataView(got.buffer).getBigUint64(0, true));
    assert.equal((8 + n) % 8, 0, "the data starts 8-byte aligned (the spec)");
    const header = new TextDecoder().decode(got.subarray(8, 8 + n)).trimEnd();
    assert.equal(Buffer.byteLength(header) - header.length, 5, "the names make the UTF-8 and string lengths differ by 5, not a multiple of 8");
  });

  test('a tensor named "__proto__" round-trips (in the Python writer\'s file and minima\'s own), an own property, the prototype untouched', () => {
    for (const bytes of [readFileSync(NAMES), mn.io.encodeSafetensors(named())]) {
      const got = mn.io.decodeSafetensors(bytes);
      assert.deepEqual(Object.keys(got), ["__proto__", "poids_é", "名前"]);
      assert.ok(Object.hasOwn(got, "__proto__"));
      assert.equal(Object.getPrototypeOf(got), Object.prototype);
      assert.deepEqual([...got["__proto__"]!.data], [-1, -0.75, -0.5]);
      assert.deepEqual([...got["名前"]!.data], [0.5, 0.75, 1]);
    }
  });
});
