import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from "node:fs";
import { DataFormatError } from "./errors.js";
import { readError } from "./file-error.js";

/**
 * A user-named file's bytes, refusing anything but a regular file with an error naming the path:
 * a missing file, a folder, a named pipe (whose open would wait for a writer forever, hence
 * O_NONBLOCK) or a device such as /dev/zero (which never ends). `where` names the caller in errors.
 * @example const bytes = readRegularFile("model.safetensors", "loadModel");
 */
export function readRegularFile(path: string, where: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw readError(e, path, where);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new DataFormatError({ where, what: `${path} is ${kindOf(stats)}`, expected: "a regular file" });
    return readFileSync(fd);
  } catch (e) {
    throw readError(e, path, where);
  } finally {
    closeSync(fd);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}
