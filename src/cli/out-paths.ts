import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import { path } from "./parse.js";

/**
 * Parsers for the paths a command writes (--out): they refuse up front, before any training, what
 * could only fail at the first write, naming the user's path: a folder where a file goes and back,
 * a parent that is a file, a parent without write permission or on a read-only file system.
 */
export function outFolder(v: string): string {
  path("a run folder")(v);
  const kind = kindOf(v);
  if (kind === "file") throw new InvalidArgumentError(`expected a folder for the run, but ${v} is a file.`);
  if (kind === null) checkCreatable(v);
  return v;
}

/** An output file: not a folder, in a folder that exists or can be made, and writable. */
export function outFile(what: string): (v: string) => string {
  return (v) => {
    path(what)(v);
    if (kindOf(v) === "folder") throw new InvalidArgumentError(`expected ${what}, but ${v} is a folder.`);
    checkCreatable(v);
    return v;
  };
}

function kindOf(p: string): "file" | "folder" | null {
  try {
    return statSync(p).isDirectory() ? "folder" : "file";
  } catch {
    return null;
  }
}

/** The nearest folder above `p` that exists must be a folder we may write in. */
function checkCreatable(p: string): void {
  let parent = dirname(resolve(p));
  while (kindOf(parent) === null && dirname(parent) !== parent) parent = dirname(parent);
  if (kindOf(parent) === "file") throw new InvalidArgumentError(`cannot create ${p}: ${parent} is a file.`);
  try {
    accessSync(parent, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(`cannot create ${p}: ${parent} is ${code === "EROFS" ? "on a read-only file system" : "not writable"} (${code}).`);
  }
}
