import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as mn from "../../src/index.node.js";

// What the evaluate and predict tests share: running minima, a scratch folder, IDX files written by hand.

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

export function minima(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", env: { ...process.env, MINIMA_BACKEND: "" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export const tmp = () => mkdtempSync(join(tmpdir(), "minima-cli-model-"));

/** An IDX file (the format's spec: 0, 0, type 0x08 for unsigned bytes, ndim, big-endian dims, the bytes). */
export function writeIdx(path: string, shape: number[], bytes: ArrayLike<number>): void {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(shape.length, 3);
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  writeFileSync(path, Buffer.concat([header, Buffer.from(Uint8Array.from(bytes))]));
}

/** The embedded digits' bytes: mnist() holds k/255 rounded to 3 decimals, which k·255 rounds back to k. */
export function digitBytes(images: mn.Tensor): Uint8Array {
  return Uint8Array.from(images.data, (v) => Math.round(v * 255));
}
