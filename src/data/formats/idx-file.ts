import { constants, gunzipSync } from "node:zlib";
import { DataFormatError } from "../../errors.js";
import type { Tensor } from "../../tensor/tensor.js";
import { readRegularFile } from "../../read-file.js";
import { decodeIdx } from "./idx.js";

/**
 * Reads an IDX file, raw or gzip-compressed (told apart by the gzip magic bytes 1f 8b, not by
 * the name). A missing, truncated or corrupt file, or one that is not a regular file (a folder, a
 * named pipe, a device), fails with a DataFormatError naming the file, and for a short file the bytes
 * expected versus found.
 * @example const labels = mn.data.readIdx("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"); // int32 [10000]
 */
export function readIdx(path: string): Tensor {
  return decodeIdxFile(readRegularFile(path, "readIdx"), path);
}

/** readIdx on a file's bytes already read (raw or gzip-compressed); `path` names it in errors. */
export function decodeIdxFile(bytes: Uint8Array, path: string): Tensor {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return decodeIdx(bytes, path, "");
  try {
    return decodeIdx(gunzipSync(bytes), path, " after gunzip");
  } catch (e) {
    if (e instanceof DataFormatError) throw e;
    // A download cut short leaves a gzip stream without its end. Inflating what is there
    // lets the error say how much of the data arrived, as it does for a raw file.
    let partial: Uint8Array | null = null;
    try { partial = gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }); } catch { /* corrupt, not only short */ }
    if (partial) decodeIdx(partial, path, " after gunzip (the gzip stream ends early)");
    throw new DataFormatError({ where: "readIdx", what: `${path} is a corrupt gzip file (${(e as Error).message})` });
  }
}
