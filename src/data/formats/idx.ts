import { DataFormatError } from "../../errors.js";
import { allocate, type DType } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";

/** IDX element types: code → [bytes per element, tensor dtype, big-endian reader]. */
const TYPES: Record<number, [number, DType, (v: DataView, at: number) => number]> = {
  0x08: [1, "int32", (v, at) => v.getUint8(at)],
  0x09: [1, "int32", (v, at) => v.getInt8(at)],
  0x0b: [2, "int32", (v, at) => v.getInt16(at)],
  0x0c: [4, "int32", (v, at) => v.getInt32(at)],
  0x0d: [4, "float32", (v, at) => v.getFloat32(at)],
  0x0e: [8, "float64", (v, at) => v.getFloat64(at)],
};

/**
 * Parses IDX bytes (LeCun's MNIST format): magic `00 00 <type> <ndim>`, then `ndim` big-endian
 * uint32 dims, then the elements, big-endian. Types 0x08 ubyte, 0x09 sbyte, 0x0B int16 and
 * 0x0C int32 become int32 tensors; 0x0D float32 and 0x0E float64 keep their type. `name`
 * (usually the file path) appears in every error.
 * @example const t = mn.data.parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]), "two bytes"); // int32 [7, 9]
 */
export function parseIdx(bytes: Uint8Array, name: string): Tensor {
  return decodeIdx(bytes, name, "");
}

/** parseIdx, with a note after the byte count found (readIdx's " after gunzip"). */
export function decodeIdx(bytes: Uint8Array, name: string, note: string): Tensor {
  const where = "readIdx";
  if (bytes.length < 4) {
    throw new DataFormatError({ where, what: `${name} is truncated: expected at least 4 bytes (the magic number), found ${bytes.length}${note}` });
  }
  const type = TYPES[bytes[2]!];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new DataFormatError({ where, what: `${name} is not an IDX file: bad magic number ${magic}`, expected: "00 00 <type 08|09|0b|0c|0d|0e> <ndim>" });
  }
  const ndim = bytes[3]!;
  const header = 4 + 4 * ndim;
  if (bytes.length < header) {
    throw new DataFormatError({ where, what: `${name} is truncated: expected a ${header}-byte header for ${ndim} dims, found ${bytes.length} bytes${note}` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const [size, dtype, read] = type;
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = header + count * size;
  if (bytes.length !== expected) {
    const dims = shape.join("×") || "1";
    const data = size === 1 ? `${dims} data` : `${dims} × ${size}-byte data`;
    throw new DataFormatError({
      where,
      what: `${name} is ${bytes.length < expected ? "truncated" : "longer than its header says"}: ` +
        `expected ${expected} bytes (header ${header} + ${data}), found ${bytes.length}${note}`,
    });
  }
  const out = allocate(dtype, count);
  // Single bytes have no byte order: copy them in one call instead of a DataView read each.
  if (bytes[2] === 0x08) out.set(bytes.subarray(header));
  else if (bytes[2] === 0x09) out.set(new Int8Array(bytes.buffer, bytes.byteOffset + header, count));
  else for (let i = 0; i < count; i++) out[i] = read(view, header + i * size);
  return new Tensor(out, shape);
}
