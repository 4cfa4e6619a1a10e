import { MinimaError } from "../errors.js";
import type { DType, TypedArray } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

// The safetensors format (huggingface/safetensors, the format PyTorch and Hugging Face users exchange
// weights in): an 8-byte little-endian header length N, N bytes of JSON
//   { "name": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, …, "__metadata__": { … } }
// padded with spaces, then the tensors' bytes, little-endian and row-major, at offsets counted from the
// end of the header, covering the buffer with no holes or overlaps.

const CODES: Record<DType, string> = { float32: "F32", float64: "F64", int32: "I32" };
const DTYPES: Record<string, DType> = { F32: "float32", F64: "float64", I32: "int32" };
const ITEM: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };
const MAX_HEADER = 100_000_000; // the spec's bound on the header, so a corrupt length cannot ask for gigabytes

/** Tensors by name, as saveSafetensors takes them and loadSafetensors returns them. */
export type TensorMap = Record<string, Tensor>;

/** The file's bytes for tensors (sorted by name) and optional string metadata. */
export function encodeSafetensors(tensors: TensorMap, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
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

/** The tensors in a .safetensors file's bytes; `where` names it in errors. */
export function decodeSafetensors(bytes: Uint8Array, where = "safetensors"): TensorMap {
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
  const data = bytes.subarray(8 + n);
  const spans: [number, number, string][] = [];
  const out: TensorMap = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = DTYPES[String(e.dtype)];
    if (!dtype) fail(`tensor "${name}" has dtype ${JSON.stringify(e.dtype)}; minima reads F32, F64 and I32`);
    const shape = e.shape, offsets = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`tensor "${name}" has shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      fail(`tensor "${name}" has data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * ITEM[dtype!]) fail(`tensor "${name}" of shape [${shape}] and ${e.dtype} needs ${count * ITEM[dtype!]} bytes`, `${end - begin}`);
    if (end > data.length) fail(`tensor "${name}" ends at byte ${end} of a ${data.length}-byte buffer (the file is truncated)`);
    spans.push([begin, end, name]);
    const copy = new Uint8Array(end - begin);
    copy.set(data.subarray(begin, end));
    const array: TypedArray = dtype === "float32" ? new Float32Array(copy.buffer) : dtype === "float64" ? new Float64Array(copy.buffer) : new Int32Array(copy.buffer);
    out[name] = new Tensor(array, shape as number[]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== covered) fail(begin < covered ? `tensor "${name}" overlaps the one before it` : `a hole in the data before tensor "${name}"`);
    covered = end;
  }
  if (covered !== data.length) fail(`${data.length - covered} bytes after the last tensor`);
  return out;
}
