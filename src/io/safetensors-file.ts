import { readFileSync } from "node:fs";
import { writeFileAtomic } from "./atomic-write.js";
import { decodeSafetensors, encodeSafetensors, type TensorMap } from "./safetensors.js";

/**
 * Writes tensors as a .safetensors file, atomically (a reader sees the old file or the new, never half).
 * @example mn.io.saveSafetensors("model.safetensors", model.stateDict());
 */
export function saveSafetensors(path: string, tensors: TensorMap, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Reads a .safetensors file into tensors by name (F32, F64 and I32 entries), checking it against the spec:
 * a clear error names the file, the entry and what is wrong.
 * @example const weights = mn.io.loadSafetensors("model.safetensors");
 */
export function loadSafetensors(path: string): TensorMap {
  return decodeSafetensors(readFileSync(path), path);
}

