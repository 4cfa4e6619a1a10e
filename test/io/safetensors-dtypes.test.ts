import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as mn from "../../src/index.node.js";

// The reference is PyTorch: tools/gen_safetensors_fixtures.py wrote F16, BF16, I64 and U8 tensors with
// torch 1.13 (through the spec-written writer of tools/safetensors_check.py) and recorded what torch's
// .float() and .int() make of them. Every 16-bit pattern is also checked against IEEE 754's formula.

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/safetensors/", import.meta.url));
const DTYPES_FILE = join(FIXTURES, "torch-dtypes.safetensors");
interface Expected { dtype: string; shape: number[]; float32_bits?: number[]; int32?: number[] }
const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, "torch-dtypes.json"), "utf8")) as { metadata: Record<string, string>; tensors: Record<string, Expected> };

/** A .safetensors file's bytes from a header object and the data buffer, written by hand per the spec. */
function file(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** All 65,536 16-bit patterns in one tensor of the given dtype, decoded. */
function allPatterns(dtype: "F16" | "BF16"): Float32Array {
  const bits = Uint16Array.from({ length: 65536 }, (_, i) => i);
  const got = mn.io.decodeSafetensors(file({ all: { dtype, shape: [65536], data_offsets: [0, 131072] } }, new Uint8Array(bits.buffer)), "all")["all"]!;
  assert.equal(got.dtype, "float32");
  return got.data as Float32Array;
}

/** IEEE 754 binary16 / bfloat16 value of a bit pattern: (−1)^s · 2^(e−bias) · (1 + m/2^mBits), or subnormal m · 2^(1−bias−mBits). */
function ieee(h: number, mBits: number, bias: number): number {
  const eBits = 15 - mBits, eMax = (1 << eBits) - 1;
  const s = h >> 15 ? -1 : 1, e = (h >> mBits) & eMax, m = h & ((1 << mBits) - 1);
  if (e === eMax) return m === 0 ? s * Infinity : NaN;
  if (e === 0) return s * m * 2 ** (1 - bias - mBits);
  return s * 2 ** (e - bias) * (1 + m / 2 ** mBits);
}

describe("safetensors: F16 and BF16 read as float32, I64 and U8 as int32", () => {
  test("tensors PyTorch wrote load as torch's .float() and .int() of them, bit for bit (NaN payloads, ±0, subnormals, ±Inf)", () => {
    const got = mn.io.loadSafetensors(DTYPES_FILE);
    assert.deepEqual(Object.keys(got).sort(), Object.keys(EXPECTED.tensors).sort());
    for (const [name, want] of Object.entries(EXPECTED.tensors)) {
      const t = got[name]!;
      assert.deepEqual(t.shape, want.shape, name);
      if (want.float32_bits) {
        assert.equal(t.dtype, "float32", name);
        assert.deepEqual(Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length)), want.float32_bits, name);
      } else {
        assert.equal(t.dtype, "int32", name);
        assert.deepEqual(Array.from(t.data), want.int32, name);
      }
    }
  });

  test("every one of the 65,536 F16 patterns is IEEE 754 binary16's value (bias 15, 10 mantissa bits), ±0 and NaN included", () => {
    const got = allPatterns("F16");
    let wrong = 0;
    for (let h = 0; h < 65536; h++) if (!Object.is(got[h], Math.fround(ieee(h, 10, 15)))) wrong++;
    assert.equal(wrong, 0);
    assert.deepEqual([got[0x0001], got[0x03ff], got[0x7bff], got[0xfc00]], [2 ** -24, 1023 * 2 ** -24, 65504, -Infinity]);
  });

  test("every one of the 65,536 BF16 patterns is bfloat16's value (bias 127, 7 mantissa bits), ±0 and NaN included", () => {
    const got = allPatterns("BF16");
    let wrong = 0;
    for (let h = 0; h < 65536; h++) if (!Object.is(got[h], Math.fround(ieee(h, 7, 127)))) wrong++;
    assert.equal(wrong, 0);
    assert.deepEqual([got[0x0001], got[0x3f80], got[0xff80]], [2 ** -133, 1, -Infinity]);
  });

  test("an I64 value outside int32 is refused, naming the file, the tensor, the value and its index", () => {
    const path = join(FIXTURES, "i64-out-of-range.safetensors"); // [0, 2^31 − 1, −2^31, 2^31, −2^31 − 1], by PyTorch
    assert.throws(() => mn.io.loadSafetensors(path), {
      name: "DTypeError",
      message: `${path}: tensor "index" (I64) holds 2147483648 at index 3, outside the int32 range minima stores integers in; expected values in [-2147483648, 2147483647]`,
    });
    const i64 = (values: bigint[]) => file({ big: { dtype: "I64", shape: [values.length], data_offsets: [0, 8 * values.length] } }, new Uint8Array(BigInt64Array.from(values).buffer));
    assert.throws(() => mn.io.decodeSafetensors(i64([5n, -2147483649n]), "m.safetensors"),
      { message: 'm.safetensors: tensor "big" (I64) holds -2147483649 at index 1, outside the int32 range minima stores integers in; expected values in [-2147483648, 2147483647]' });
    assert.throws(() => mn.io.decodeSafetensors(i64([2n ** 63n - 1n])), { message: /^safetensors: tensor "big" \(I64\) holds 9223372036854775807 at index 0,/ });
    assert.deepEqual(Array.from(mn.io.decodeSafetensors(i64([-(2n ** 31n), 2n ** 31n - 1n]))["big"]!.data), [-(2 ** 31), 2 ** 31 - 1]);
  });

  test("other dtypes are refused with the list of those minima reads", () => {
    for (const dtype of ["F8_E4M3", "I16", "BOOL"]) {
      assert.throws(() => mn.io.decodeSafetensors(file({ a: { dtype, shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)), "x.safetensors"), {
        name: "DTypeError",
        message: `x.safetensors: tensor "a" has dtype "${dtype}", which minima does not read; expected F32, F64, F16 or BF16 (read as float32), I32, I64 or U8 (read as int32)`,
      });
    }
  });

  test("sizes are checked in the stored dtype's bytes (F16: 2 per element, I64: 8, U8: 1)", () => {
    assert.throws(() => mn.io.decodeSafetensors(file({ a: { dtype: "F16", shape: [3], data_offsets: [0, 12] } }, new Uint8Array(12))),
      { message: 'safetensors: not a valid safetensors file: tensor "a" of shape [3] and F16 needs 6 bytes, got 12' });
    assert.throws(() => mn.io.decodeSafetensors(file({ a: { dtype: "I64", shape: [2], data_offsets: [0, 8] } }, new Uint8Array(8))), { message: /tensor "a" of shape \[2\] and I64 needs 16 bytes, got 8/ });
    assert.deepEqual(Array.from(mn.io.decodeSafetensors(file({ a: { dtype: "U8", shape: [3], data_offsets: [0, 3] } }, Uint8Array.from([0, 128, 255])))["a"]!.data), [0, 128, 255]);
  });

  test("converted weights load into a float32 model: an F16 state dict from PyTorch-style names", () => {
    const dir = mkdtempSync(join(tmpdir(), "minima-st16-"));
    const weight = Uint16Array.from([0x3c00, 0xc000, 0x3800, 0x0000, 0xbc00, 0x4200]); // 1, −2, 0.5, 0, −1, 3
    const bias = Uint16Array.from([0x3400, 0xb400]); // 0.25, −0.25
    const data = new Uint8Array(16);
    data.set(new Uint8Array(bias.buffer), 0);
    data.set(new Uint8Array(weight.buffer), 4);
    const path = join(dir, "half.safetensors");
    writeFileSync(path, file({ bias: { dtype: "F16", shape: [2], data_offsets: [0, 4] }, weight: { dtype: "F16", shape: [2, 3], data_offsets: [4, 16] } }, data));
    const layer = new mn.nn.Linear(3, 2);
    layer.loadStateDict(mn.io.loadSafetensors(path));
    assert.deepEqual(Array.from(layer.forward(mn.tensor([[1, 1, 1]])).data), [1 - 2 + 0.5 + 0.25, 0 - 1 + 3 - 0.25]);
  });
});
