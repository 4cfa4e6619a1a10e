import { checkOptions } from "../options.js";
import { writeFileAtomic } from "./atomic-write.js";
import { readRegularFile } from "../read-file.js";
import { decodeSafetensors, encodeSafetensors, SAFETENSORS_READ_OPTIONS, type SafetensorsContents, type SafetensorsReadOptions, type TensorMap } from "./safetensors.js";

/**
 * Writes tensors as a .safetensors file, atomically (a reader sees the old file or the new, never half):
 * on a failure (a full disk) the old file stays as it was and the FileError names `path`.
 * @example mn.io.saveSafetensors("model.safetensors", model.stateDict());
 */
export function saveSafetensors(path: string, tensors: TensorMap, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads a .safetensors file into tensors by name, checking it against the spec: a clear error names
 * the file, the entry and what is wrong. F32, F64 and I32 load as they are; F16 and BF16 become
 * float32 and I64 and U8 int32, exactly. With `{ metadata: true }` the result is `{ tensors, metadata }`.
 * Only a regular file is read: a missing path, a folder, a named pipe or a device fails naming it.
 * @example const weights = mn.io.loadSafetensors("model.safetensors");
 * @example const { tensors, metadata } = mn.io.loadSafetensors("model.safetensors", { metadata: true });
 */
export function loadSafetensors(path: string, options?: SafetensorsReadOptions & { metadata?: false }): TensorMap;
export function loadSafetensors(path: string, options: SafetensorsReadOptions & { metadata: true }): SafetensorsContents;
export function loadSafetensors(path: string, options?: SafetensorsReadOptions): TensorMap | SafetensorsContents;
export function loadSafetensors(path: string, options: SafetensorsReadOptions = {}): TensorMap | SafetensorsContents {
  const checked = checkOptions("loadSafetensors", options, SAFETENSORS_READ_OPTIONS);
  return decodeSafetensors(readRegularFile(path, "loadSafetensors"), path, checked);
}
