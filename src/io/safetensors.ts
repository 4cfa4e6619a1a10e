import { DTypeError, MinimaError } from "../errors.js";
import { checkOptions, isBoolean, option, type OptionsOf } from "../options.js";
import type { DType, TypedArray } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

// The safetensors format (huggingface/safetensors, the format PyTorch and Hugging Face users exchange
// weights in): an 8-byte little-endian header length N, N bytes of JSON
//   { "name": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, …, "__metadata__": { … } }
// padded with spaces, then the tensors' bytes, little-endian and row-major, at offsets counted from the
// end of the header, covering the buffer with no holes or overlaps.
// Bytes only (no file IO, no Node globals), so it runs in browsers; safetensors-file.ts reads and writes files.

const CODES: Record<DType, string> = { float32: "F32", float64: "F64", int32: "I32" };
const ITEM: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };
const MAX_HEADER = 100_000_000; // the spec's bound on the header, so a corrupt length cannot ask for gigabytes

/** Tensors by name, as saveSafetensors takes them and loadSafetensors returns them. */
export type TensorMap = Record<string, Tensor>;

/** A file's tensors and its `__metadata__` (string to string; `{}` when the file has none). */
export interface SafetensorsContents {
  tensors: TensorMap;
  metadata: Record<string, string>;
}

/** What to read besides the tensors. */
export const SAFETENSORS_READ_OPTIONS = {
  /** Also return the header's `__metadata__`: the result becomes `{ tensors, metadata }` (default false). */
  metadata: option(false, isBoolean),
};

/** The options of decodeSafetensors and loadSafetensors. */
export interface SafetensorsReadOptions extends OptionsOf<typeof SAFETENSORS_READ_OPTIONS> {}

/**
 * The file's bytes for tensors (sorted by name) and optional string metadata.
 * @example const bytes = mn.io.encodeSafetensors(model.stateDict(), { format: "pt" });
 */
export function encodeSafetensors(tensors: TensorMap, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>; // a tensor may be named "__proto__"
  if (metadata) header["__metadata__"] = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__") throw new MinimaError({ where: "saveSafetensors", what: 'the name "__metadata__" is reserved by the format' });
    const t = tensors[name]!;
    const bytes = t.data.length * ITEM[t.dtype];
    header[name] = { dtype: CODES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(json.length + ((8 - ((8 + json.length) % 8)) % 8)).fill(0x20); // spaces: the data starts 8-byte aligned
  head.set(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const name of names) {
    const data = tensors[name]!.data;
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at); // little-endian hosts: bytes as they are
    at += data.byteLength;
  }
  return out;
}

/** Sets `map[name]` as an own property even when the name is "__proto__", which `=` would take for the prototype. */
function setOwn(map: TensorMap, name: string, value: Tensor): void {
  Object.defineProperty(map, name, { value, enumerable: true, writable: true, configurable: true });
}

/** A stored dtype minima reads: its bytes per element, and the tensor it becomes (from an aligned copy). */
interface Reader { bytes: number; read: (copy: ArrayBuffer, name: string, where: string) => TypedArray }

/**
 * f16 → f32 on the bits, exactly (every half is a float): the exponent re-biased (15 → 127), the
 * mantissa widened, subnormals normalized, ±0 and ±Inf kept, NaN quieted with its payload as PyTorch
 * (F16C's vcvtph2ps) does.
 */
function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (mant << 13) | (mant ? 0x400000 : 0)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (mant << 13)) >>> 0;
  if (mant === 0) return sign >>> 0;
  const shift = Math.clz32(mant) - 21; // moves the leading 1 to bit 10, the implicit bit: mant·2⁻²⁴ = 1.f·2^(−14−shift)
  return (sign | ((113 - shift) << 23) | (((mant << shift) & 0x3ff) << 13)) >>> 0;
}

const READERS = new Map<unknown, Reader>(Object.entries({
  F32: { bytes: 4, read: (b) => new Float32Array(b) },
  F64: { bytes: 8, read: (b) => new Float64Array(b) },
  I32: { bytes: 4, read: (b) => new Int32Array(b) },
  F16: {
    bytes: 2,
    read: (b) => {
      const h = new Uint16Array(b), out = new Float32Array(h.length), bits = new Uint32Array(out.buffer);
      for (let i = 0; i < h.length; i++) bits[i] = halfToFloatBits(h[i]!);
      return out;
    },
  },
  BF16: {
    bytes: 2,
    read: (b) => {
      const h = new Uint16Array(b), out = new Float32Array(h.length), bits = new Uint32Array(out.buffer);
      for (let i = 0; i < h.length; i++) bits[i] = h[i]! << 16; // bfloat16 is the top half of a float32
      return out;
    },
  },
  I64: {
    bytes: 8,
    read: (b, name, where) => {
      const halves = new Int32Array(b), out = new Int32Array(halves.length / 2);
      for (let i = 0; i < out.length; i++) {
        const lo = halves[2 * i]!, hi = halves[2 * i + 1]!;
        if (hi !== lo >> 31) {
          throw new DTypeError({ where, what: `tensor "${name}" (I64) holds ${new BigInt64Array(b)[i]} at index ${i}, outside the int32 range minima stores integers in`, expected: "values in [-2147483648, 2147483647]" });
        }
        out[i] = lo;
      }
      return out;
    },
  },
  U8: { bytes: 1, read: (b) => Int32Array.from(new Uint8Array(b)) },
} satisfies Record<string, Reader>));
const SUPPORTED = "F32, F64, F16 or BF16 (read as float32), I32, I64 or U8 (read as int32)";

/**
 * The tensors in a .safetensors file's bytes; `where` names it in errors. F32, F64 and I32 load as
 * they are; F16 and BF16 become float32 and I64 and U8 int32 (indices, labels), all exactly: an I64
 * value outside int32 is an error naming the tensor and the value. With `{ metadata: true }`, the
 * result is `{ tensors, metadata }`, metadata being the header's `__metadata__`.
 * @example const { tensors, metadata } = mn.io.decodeSafetensors(bytes, "model.safetensors", { metadata: true });
 */
export function decodeSafetensors(bytes: Uint8Array, where?: string, options?: SafetensorsReadOptions & { metadata?: false }): TensorMap;
export function decodeSafetensors(bytes: Uint8Array, where: string | undefined, options: SafetensorsReadOptions & { metadata: true }): SafetensorsContents;
export function decodeSafetensors(bytes: Uint8Array, where?: string, options?: SafetensorsReadOptions): TensorMap | SafetensorsContents;
export function decodeSafetensors(bytes: Uint8Array, where = "safetensors", options: SafetensorsReadOptions = {}): TensorMap | SafetensorsContents {
  const { metadata: withMetadata } = checkOptions("decodeSafetensors", options, SAFETENSORS_READ_OPTIONS);
  const fail = (what: string, got?: string): never => { throw new MinimaError({ where, what: `not a valid safetensors file: ${what}`, ...(got ? { got } : {}) }); };
  if (bytes.length < 8) fail("shorter than its 8-byte header length", `${bytes.length} bytes`);
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > MAX_HEADER || 8 + n > bytes.length) fail(`the header length ${n} does not fit the file`, `${bytes.length} bytes`);
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return fail(`its header is not JSON (${(e as Error).message})`);
  }
  if (!text.startsWith("{") || typeof header !== "object" || header === null || Array.isArray(header)) fail("its header is not a JSON object");
  const metadata = header["__metadata__"] ?? {};
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata) || !Object.values(metadata).every((v) => typeof v === "string")) {
    fail(`its __metadata__ should map names to strings`, JSON.stringify(metadata));
  }
  const data = bytes.subarray(8 + n);
  const spans: [number, number, string][] = [];
  const tensors: TensorMap = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const reader = READERS.get(e.dtype);
    if (!reader) throw new DTypeError({ where, what: `tensor "${name}" has dtype ${JSON.stringify(e.dtype)}, which minima does not read`, expected: SUPPORTED });
    const shape = e.shape, offsets = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor "${name}" has shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      fail(`tensor "${name}" has data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * reader.bytes) fail(`tensor "${name}" of shape [${shape}] and ${e.dtype} needs ${count * reader.bytes} bytes`, `${end - begin}`);
    if (end > data.length) fail(`tensor "${name}" ends at byte ${end} of a ${data.length}-byte buffer (the file is truncated)`);
    spans.push([begin, end, name]);
    const copy = new Uint8Array(end - begin); // aligned for the typed-array views, and not sharing the file's buffer
    copy.set(data.subarray(begin, end));
    setOwn(tensors, name, new Tensor(reader.read(copy.buffer, name, where), shape as number[]));
  }
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== covered) fail(begin < covered ? `tensor "${name}" overlaps the one before it` : `a hole in the data before tensor "${name}"`);
    covered = end;
  }
  if (covered !== data.length) fail(`${data.length - covered} bytes after the last tensor`);
  return withMetadata ? { tensors, metadata: { ...(metadata as Record<string, string>) } } : tensors;
}
