import { existsSync, readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { DataFormatError } from "../../errors.js";
import type { DType } from "../../tensor/dtype.js";
import { allocate } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";

/** IDX element types: code → [bytes per element, tensor dtype, reader]. */
const TYPES: Record<number, [number, DType, (v: DataView, at: number) => number]> = {
  0x08: [1, "int32", (v, at) => v.getUint8(at)],
  0x09: [1, "int32", (v, at) => v.getInt8(at)],
  0x0b: [2, "int32", (v, at) => v.getInt16(at)],
  0x0c: [4, "int32", (v, at) => v.getInt32(at)],
  0x0d: [4, "float32", (v, at) => v.getFloat32(at)],
  0x0e: [8, "float64", (v, at) => v.getFloat64(at)],
};

/**
 * Parses IDX bytes (LeCun's MNIST format: two zero bytes, a type code, the number of dims,
 * the dims as big-endian uint32, then big-endian data). Integer types become int32
 * tensors; `name` appears in every error.
 */
export function parseIdx(bytes: Uint8Array, name: string): Tensor {
  const where = "readIdx";
  if (bytes.length < 4) {
    throw new DataFormatError({ where, what: `${name} is truncated: expected at least 4 bytes of header`, got: `${bytes.length} bytes` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = TYPES[bytes[2]!];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new DataFormatError({ where, what: `${name} is not an IDX file: bad magic number ${magic}`, expected: "00 00 <type 08|09|0b|0c|0d|0e> <ndim>" });
  }
  const ndim = bytes[3]!;
  const header = 4 + 4 * ndim;
  if (bytes.length < header) {
    throw new DataFormatError({ where, what: `${name} is truncated: expected a ${header}-byte header for ${ndim} dims, found ${bytes.length} bytes` });
  }
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const [size, dtype, read] = type;
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = header + count * size;
  if (bytes.length !== expected) {
    throw new DataFormatError({
      where,
      what: `${name} is ${bytes.length < expected ? "truncated" : "longer than its header says"}: expected ${expected} bytes (header ${header} + ${shape.join("×")}×${size} data), found ${bytes.length}`,
    });
  }
  const data = allocate(dtype, count);
  if (size === 1 && bytes[2] === 0x08) data.set(bytes.subarray(header));
  else for (let i = 0; i < count; i++) data[i] = read(view, header + i * size);
  return new Tensor(data, shape);
}

/**
 * Reads an IDX file, raw or gzip-compressed (detected by its magic bytes, not its name).
 * A missing, truncated or corrupt file fails naming the file and the bytes expected versus found.
 * @example const labels = mn.data.readIdx("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 */
export function readIdx(path: string): Tensor {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new DataFormatError({ where: "readIdx", what: `no such file: ${path}` });
  }
  let bytes: Uint8Array = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new DataFormatError({ where: "readIdx", what: `${path} is a corrupt gzip file (${(e as Error).message})` });
    }
  }
  return parseIdx(bytes, path);
}
