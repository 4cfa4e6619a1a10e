import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** IDX element types by name: the type byte and the big-endian writer (LeCun's format). */
const TYPES = {
  ubyte: [0x08, 1, (v: DataView, at: number, x: number) => v.setUint8(at, x)],
  sbyte: [0x09, 1, (v: DataView, at: number, x: number) => v.setInt8(at, x)],
  int32: [0x0c, 4, (v: DataView, at: number, x: number) => v.setInt32(at, x)],
  float32: [0x0d, 4, (v: DataView, at: number, x: number) => v.setFloat32(at, x)],
} as const;
export type IdxType = keyof typeof TYPES;

/** The bytes of an IDX file of the given type and shape, written from the format's description. */
export function idxBytes(type: IdxType, shape: number[], values: ArrayLike<number>): Uint8Array {
  const [code, size, write] = TYPES[type];
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + size * values.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = code;
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < values.length; i++) write(view, header + i * size, values[i]!);
  return bytes;
}

export interface IdxPart {
  images: ArrayLike<number>;
  labels: ArrayLike<number>;
  imageType?: IdxType;
  labelType?: IdxType;
  /** Each image's [height, width]; [2, 2] unless given. */
  size?: [number, number];
}

/** An MNIST-style folder (train-* and t10k-* IDX files) in dir; returns dir. */
export function writeIdxFolder(dir: string, train: IdxPart, test: IdxPart): string {
  mkdirSync(dir, { recursive: true });
  for (const [prefix, part] of [["train", train], ["t10k", test]] as const) {
    const [h, w] = part.size ?? [2, 2];
    const n = part.labels.length;
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), idxBytes(part.imageType ?? "ubyte", [n, h, w], part.images));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), idxBytes(part.labelType ?? "ubyte", [n], part.labels));
  }
  return dir;
}
