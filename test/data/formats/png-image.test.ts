import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { decode, encode } from "fast-png";
import { imageFromPng } from "../../../src/data/formats/png-image.js";
import { decodePng } from "../../helpers/decode-png.js";
import { testErrorCases } from "../../helpers/error-cases.js";

// PNGs written by fast-png's encoder from known bytes; the test's own PNG decoder (written from the PNG
// spec) confirms the 8-bit files hold those bytes, and the expected tensors are computed from the bytes.

const W = 5, H = 3, N = W * H;
const byte = (i: number, k: number) => (i * 37 + k * 91 + 11) % 256;

describe("imageFromPng", () => {
  test("8-bit grey: k/255 in [1, H, W]; the spec-written test decoder reads the same bytes", () => {
    const data = Uint8Array.from({ length: N }, (_, i) => byte(i, 0));
    const png = encode({ width: W, height: H, data, channels: 1, depth: 8 });
    assert.deepEqual(Array.from(decodePng(png).rgba.filter((_, j) => j % 4 === 0)), Array.from(data));
    const x = imageFromPng(png, { channels: 1 });
    assert.deepEqual(x.shape, [1, H, W]);
    assert.deepEqual(Array.from(x.data), Array.from(data, (k) => Math.fround(k / 255)));
    assert.deepEqual(Array.from(imageFromPng(png, { channels: 3 }).data), [0, 1, 2].flatMap(() => Array.from(data, (k) => Math.fround(k / 255))));
  });

  test("RGB to grey is the BT.601 luma 0.299 R + 0.587 G + 0.114 B; to 3 channels, planes R, G, B", () => {
    const data = Uint8Array.from({ length: 3 * N }, (_, j) => byte(Math.floor(j / 3), j % 3));
    const png = encode({ width: W, height: H, data, channels: 3, depth: 8 });
    assert.deepEqual(decodePng(png).rgba.filter((_, j) => j % 4 !== 3), data);
    const grey = imageFromPng(png, { channels: 1 }).data;
    for (let i = 0; i < N; i++) {
      assert.equal(grey[i], Math.fround(0.299 * (data[3 * i]! / 255) + 0.587 * (data[3 * i + 1]! / 255) + 0.114 * (data[3 * i + 2]! / 255)), `pixel ${i}`);
    }
    const rgb = imageFromPng(png, { channels: 3 });
    assert.deepEqual(rgb.shape, [3, H, W]);
    for (let c = 0; c < 3; c++) for (let i = 0; i < N; i++) assert.equal(rgb.data[c * N + i], Math.fround(data[3 * i + c]! / 255));
  });

  test("alpha is composited over black (grey + alpha and RGBA)", () => {
    const ga = Uint8Array.from({ length: 2 * N }, (_, j) => byte(Math.floor(j / 2), j % 2));
    const x = imageFromPng(encode({ width: W, height: H, data: ga, channels: 2, depth: 8 }), { channels: 1 }).data;
    for (let i = 0; i < N; i++) assert.equal(x[i], Math.fround((ga[2 * i]! / 255) * (ga[2 * i + 1]! / 255)));
    const rgba = Uint8Array.from({ length: 4 * N }, (_, j) => byte(Math.floor(j / 4), j % 4));
    const png = encode({ width: W, height: H, data: rgba, channels: 4, depth: 8 });
    assert.deepEqual(decodePng(png).rgba, rgba);
    const y = imageFromPng(png, { channels: 3 }).data;
    for (let i = 0; i < N; i++) assert.equal(y[N + i], Math.fround((rgba[4 * i + 1]! / 255) * (rgba[4 * i + 3]! / 255)));
  });

  test("16-bit grey is k/65535; 1-bit grey is 0 or 1; a palette image takes its colours", () => {
    const wide = Uint16Array.from({ length: N }, (_, i) => i * 4099);
    const x = imageFromPng(encode({ width: W, height: H, data: wide, channels: 1, depth: 16 }), { channels: 1 }).data;
    assert.deepEqual(Array.from(x), Array.from(wide, (k) => Math.fround(k / 65535)));
    // 1 bit: rows of 5 pixels padded to a byte, the first pixel in the high bit.
    const bits = [1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 0];
    const packed = Uint8Array.from({ length: H }, (_, r) => bits.slice(r * W, r * W + W).reduce((b, v, c) => b | (v << (7 - c)), 0));
    assert.deepEqual(Array.from(imageFromPng(encode({ width: W, height: H, data: packed, channels: 1, depth: 1 }), { channels: 1 }).data), bits);
    const palette = [[255, 0, 0], [0, 0, 255], [10, 20, 30]];
    const indices = Uint8Array.from({ length: N }, (_, i) => i % 3);
    const p = imageFromPng(encode({ width: W, height: H, data: indices, channels: 1, depth: 8, palette }), { channels: 3 }).data;
    for (let i = 0; i < N; i++) assert.equal(p[2 * N + i], Math.fround(palette[i % 3]![2]! / 255));
  });
});

describe("imageFromPng: refusals", () => {
  testErrorCases([
    ["bytes that are not a PNG", () => imageFromPng(new Uint8Array([1, 2, 3]), { channels: 1, where: "x.png" }), "x.png: not a PNG image (no PNG signature)"],
    ["a truncated PNG", () => imageFromPng(encode({ width: W, height: H, data: new Uint8Array(N), channels: 1, depth: 8 }).subarray(0, 40), { channels: 1, where: "cut.png" }),
      `cut.png: not a valid PNG image (${truncatedMessage()})`],
    ["two channels", () => imageFromPng(new Uint8Array(0), { channels: 2 as 1 }), "imageFromPng: invalid channels; expected 1 (grey) or 3 (RGB), got 2"],
  ]);
});

/** fast-png's own complaint about the same bytes, which the error passes on. */
function truncatedMessage(): string {
  try {
    decode(encode({ width: W, height: H, data: new Uint8Array(N), channels: 1, depth: 8 }).subarray(0, 40));
  } catch (e) {
    return (e as Error).message;
  }
  return "fast-png accepted it";
}
