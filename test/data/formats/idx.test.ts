import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import * as mn from "../../../src/index.node.js";
import { parseIdx, readIdx } from "../../../src/data/index.node.js";

const dir = mkdtempSync(join(tmpdir(), "minima-idx-"));
const write = (name: string, bytes: Uint8Array): string => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
/** An IDX header per the format spec: 00 00 <type> <ndim>, then each dim as big-endian uint32. */
const header = (type: number, dims: number[]): number[] => [0, 0, type, dims.length, ...dims.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];

describe("readIdx / parseIdx (bytes built by hand from the IDX spec)", () => {
  test("ubyte 0x08, 2×3: big-endian dims, values 0..255 as int32", () => {
    const t = readIdx(write("u8", Uint8Array.from([...header(0x08, [2, 3]), 1, 2, 3, 250, 255, 0])));
    assert.equal(t.dtype, "int32");
    assert.deepEqual(t.shape, [2, 3]);
    assert.deepEqual(t.toArray(), [[1, 2, 3], [250, 255, 0]]);
  });

  test("sbyte 0x09 and int16 0x0B are signed, two's complement", () => {
    assert.deepEqual(parseIdx(Uint8Array.from([...header(0x09, [3]), 0x80, 0x7f, 0xff]), "s8").toArray(), [-128, 127, -1]);
    assert.deepEqual(parseIdx(Uint8Array.from([...header(0x0b, [2]), 0xff, 0xfe, 0x01, 0x00]), "i16").toArray(), [-2, 256]);
  });

  test("int32 0x0C, big-endian: ff ff ff ff = −1, 01 02 03 04 = 0x01020304", () => {
    const t = readIdx(write("i32", Uint8Array.from([...header(0x0c, [3]), 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 0, 0, 0, 7])));
    assert.equal(t.dtype, "int32");
    assert.deepEqual(t.toArray(), [-1, 0x01020304, 7]);
  });

  test("float32 0x0D and float64 0x0E keep their type (IEEE 754 big-endian bytes)", () => {
    const f32 = parseIdx(Uint8Array.from([...header(0x0d, [1]), 0x3f, 0x80, 0, 0]), "f32");
    assert.equal(f32.dtype, "float32");
    assert.deepEqual(f32.toArray(), [1]);
    // 1.5 = 3f f8 00…, −2.25 = c0 02 00…
    const f64 = readIdx(write("f64", Uint8Array.from([...header(0x0e, [2, 1]), 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc0, 0x02, 0, 0, 0, 0, 0, 0])));
    assert.equal(f64.dtype, "float64");
    assert.deepEqual(f64.toArray(), [[1.5], [-2.25]]);
  });

  test("gzip is detected by its magic bytes 1f 8b, whatever the file name", () => {
    const raw = Uint8Array.from([...header(0x08, [4]), 9, 8, 7, 6]);
    assert.deepEqual(readIdx(write("labels.gz", gzipSync(raw))).toArray(), [9, 8, 7, 6]);
    assert.deepEqual(readIdx(write("labels-no-extension", gzipSync(raw))).toArray(), [9, 8, 7, 6]);
  });

  test("a truncated file names the file and the bytes expected versus found", () => {
    const bytes = new Uint8Array(1000);
    bytes.set(header(0x08, [60000, 28, 28]));
    const p = write("train-images-idx3-ubyte", bytes);
    assert.throws(() => readIdx(p), (e: Error) => {
      assert.ok(e instanceof mn.DataFormatError);
      assert.equal(e.message, `readIdx: ${p} is truncated: expected 47040016 bytes (header 16 + 60000×28×28 data), found 1000`);
      return true;
    });
  });

  test("a gzip file whose content is short, or whose stream is cut off, says so with byte counts", () => {
    const full = new Uint8Array(16 + 600 * 784);
    full.set(header(0x08, [600, 28, 28]));
    for (let i = 16; i < full.length; i++) full[i] = (i * 7919) % 251; // not all zeros, so the gzip stream is long
    const short = write("short-content.gz", gzipSync(full.subarray(0, 1000)));
    assert.throws(() => readIdx(short), { message: `readIdx: ${short} is truncated: expected 470416 bytes (header 16 + 600×28×28 data), found 1000 after gunzip` });
    const gz = gzipSync(full);
    const cut = write("cut-stream.gz", gz.subarray(0, gz.length >> 1));
    assert.throws(() => readIdx(cut), (e: Error) => {
      assert.ok(e instanceof mn.DataFormatError);
      assert.match(e.message, new RegExp(`${cut} is truncated: expected 470416 bytes .*found \\d+ after gunzip \\(the gzip stream ends early\\)`));
      return true;
    });
    const corrupt = write("corrupt.gz", Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    assert.throws(() => readIdx(corrupt), { name: "DataFormatError", message: new RegExp(`${corrupt} is a corrupt gzip file`) });
  });

  test("extra bytes after the data are refused too", () => {
    assert.throws(() => parseIdx(Uint8Array.from([...header(0x0c, [1]), 0, 0, 0, 1, 0]), "long.idx"),
      { message: "readIdx: long.idx is longer than its header says: expected 12 bytes (header 8 + 1 × 4-byte data), found 13" });
  });

  test("a short header names the header size expected", () => {
    assert.throws(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]), "x"),
      { message: "readIdx: x is truncated: expected a 16-byte header for 3 dims, found 8 bytes" });
    assert.throws(() => parseIdx(Uint8Array.from([0, 0]), "y"), { message: /y is truncated: expected at least 4 bytes .*found 2/ });
  });

  test("bad magic and unknown type codes are refused, showing the bytes found", () => {
    assert.throws(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 5]), "a.idx"),
      { name: "DataFormatError", message: /a\.idx is not an IDX file: bad magic number 01 00 08 01; expected 00 00 <type/ });
    assert.throws(() => parseIdx(Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 1, 5]), "b.idx"), { message: /b\.idx is not an IDX file: bad magic number 00 00 0a 01/ });
    const png = write("picture.png", Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]));
    assert.throws(() => readIdx(png), { message: new RegExp(`${png} is not an IDX file: bad magic number 89 50 4e 47`) });
  });

  test("a missing file is a DataFormatError naming the path", () => {
    const p = join(dir, "nope", "t10k-labels-idx1-ubyte.gz");
    assert.throws(() => readIdx(p), (e: Error) => e instanceof mn.DataFormatError && e.message === `readIdx: no such file: ${p}`);
    assert.throws(() => readIdx(dir), { message: `readIdx: ${dir} is a folder; expected a regular file` });
  });

  test("parseIdx's module imports no Node built-in (file reading and gunzip live in idx-file.ts)", () => {
    const source = readFileSync(new URL("../../../src/data/formats/idx.js", import.meta.url), "utf8");
    assert.deepEqual(source.match(/from "node:[^"]*"/g), null);
    assert.match(readFileSync(new URL("../../../src/data/formats/idx-file.js", import.meta.url), "utf8"), /from "node:zlib"/);
  });
});
