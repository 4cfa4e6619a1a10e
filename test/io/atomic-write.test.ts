import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { removeStaleTempFiles, writeAll } from "../../src/io/atomic-write.js";
import { mountSmallDisk } from "../helpers/small-disk.js";

const scratch = () => mkdtempSync(join(tmpdir(), "minima-atomic-"));
/** Bytes no two positions of which are alike over 251 bytes, so a shifted or repeated chunk shows. */
const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) % 251);

/** Asserts `fn` throws a FileError with exactly this message and OS code. */
function throwsFileError(fn: () => unknown, message: string, code: string): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof mn.FileError, `${e.name}: ${e.message}`);
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    return true;
  });
}

describe("writeAll: every byte goes out, whatever writeSync returns", () => {
  test("a writer that takes at most 1000 bytes a call still gets all 10,007 bytes, in order, each once", () => {
    const bytes = pattern(10_007), got: number[] = [];
    writeAll(3, bytes, (_fd, b, offset, length) => {
      const n = Math.min(length, 1000);
      got.push(...b.subarray(offset, offset + n));
      return n;
    });
    assert.deepEqual(Uint8Array.from(got), bytes);
  });

  test("more than 2 GiB goes out in calls of at most 2^31 − 1 bytes (Node's and Linux's limit), covering it with no gap", () => {
    const total = 2 ** 31 + 12_345, calls: [number, number][] = [];
    writeAll(3, new Uint8Array(total), (_fd, _b, offset, length) => { calls.push([offset, length]); return length; });
    let at = 0;
    for (const [offset, length] of calls) {
      assert.equal(offset, at);
      assert.ok(length > 0 && length <= 2 ** 31 - 1, `${length}`);
      at += length;
    }
    assert.equal(at, total);
  });

  test("a writer that makes no progress is an error, not an endless loop", () => {
    assert.throws(() => writeAll(3, pattern(10), () => 0), { message: "write wrote 0 bytes at offset 0 of 10" });
  });
});

describe("writeFileAtomic / appendLineDurable / saveSafetensors on a full disk (a 2 MB tmpfs)", () => {
  test("writeFileAtomic over a good file: FileError naming the file; the old file byte for byte; no temporary file", (t) => {
    const disk = mountSmallDisk(t);
    if (!disk) return;
    const path = join(disk.dir, "config.json"), old = pattern(5000);
    writeFileSync(path, old);
    disk.fill(64 * 1024);
    throwsFileError(() => mn.io.writeFileAtomic(path, pattern(300_000)), `no space left on device writing ${path}`, "ENOSPC");
    assert.deepEqual(new Uint8Array(readFileSync(path)), old);
    assert.deepEqual(readdirSync(disk.dir).sort(), [".filler", "config.json"]);
  });

  test("appendLineDurable: FileError naming the file; the file cut back to its old lines, no partial line; a new file not left behind", (t) => {
    const disk = mountSmallDisk(t);
    if (!disk) return;
    const path = join(disk.dir, "metrics.jsonl"), old = '{"kind":"step","step":1}\n{"kind":"step","step":2}\n';
    writeFileSync(path, old);
    disk.fill(64 * 1024);
    throwsFileError(() => mn.io.appendLineDurable(path, "x".repeat(300_000)), `no space left on device writing ${path}`, "ENOSPC");
    assert.equal(readFileSync(path, "utf8"), old);
    const fresh = join(disk.dir, "fresh.jsonl"); // a file the append created is removed, not left empty (a run log's header comes with its first line)
    throwsFileError(() => mn.io.appendLineDurable(fresh, "x".repeat(300_000)), `no space left on device writing ${fresh}`, "ENOSPC");
    assert.equal(existsSync(fresh), false);
    disk.free();
    mn.io.appendLineDurable(path, '{"kind":"step","step":3}');
    assert.equal(readFileSync(path, "utf8"), old + '{"kind":"step","step":3}\n');
  });

  test("mn.io.saveSafetensors over a good 400 KB file: the good file stays byte for byte; the error names it", (t) => {
    const disk = mountSmallDisk(t);
    if (!disk) return;
    const path = join(disk.dir, "model.safetensors");
    mn.io.saveSafetensors(path, { w: mn.arange(100_000).reshape([1000, 100]) });
    const good = readFileSync(path);
    disk.fill(200 * 1024);
    throwsFileError(() => mn.io.saveSafetensors(path, { w: mn.ones([1000, 100]) }), `no space left on device writing ${path}`, "ENOSPC");
    assert.ok(readFileSync(path).equals(good));
    assert.deepEqual(readdirSync(disk.dir).sort(), [".filler", "model.safetensors"]);
    disk.free();
    mn.io.saveSafetensors(path, { w: mn.ones([1000, 100]) });
    assert.deepEqual([...mn.io.loadSafetensors(path)["w"]!.data].slice(0, 3), [1, 1, 1]);
  });

  test("a read-only file system: FileError 'read-only file system writing <file>'", (t) => {
    const disk = mountSmallDisk(t, "1m", ",ro");
    if (!disk) return;
    const path = join(disk.dir, "model.safetensors");
    throwsFileError(() => mn.io.saveSafetensors(path, { w: mn.ones([2]) }), `read-only file system writing ${path}`, "EROFS");
    throwsFileError(() => mn.io.appendLineDurable(path, "{}"), `read-only file system writing ${path}`, "EROFS");
  });
});

describe("writeFileAtomic: a path that cannot be written names the file, not its temporary copy", () => {
  test("into a missing folder, onto a folder, below a file", () => {
    const dir = scratch();
    const missing = join(dir, "nope", "model.safetensors");
    throwsFileError(() => mn.io.saveSafetensors(missing, { w: mn.ones([2]) }), `cannot write ${missing}: no such folder ${join(dir, "nope")}`, "ENOENT");
    mkdirSync(join(dir, "folder"));
    throwsFileError(() => mn.io.writeFileAtomic(join(dir, "folder"), "{}"), `cannot write ${join(dir, "folder")}: it is a folder`, "EISDIR");
    writeFileSync(join(dir, "file"), "x");
    throwsFileError(() => mn.io.writeFileAtomic(join(dir, "file", "a.json"), "{}"), `cannot write ${join(dir, "file", "a.json")}: a part of its path is a file, not a folder`, "ENOTDIR");
    assert.deepEqual(readdirSync(dir).sort(), ["file", "folder"]);
    assert.deepEqual(readdirSync(join(dir, "folder")), []);
  });
});

describe("removeStaleTempFiles", () => {
  test("removes writeFileAtomic's temporary files of processes that are gone; keeps a live process's and every other file", () => {
    const dir = scratch();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const names = [`.config.json.${dead}.tmp`, `.model.safetensors.${process.pid}.tmp`, "config.json", ".hidden.tmp", "a.1.tmp"];
    for (const name of names) writeFileSync(join(dir, name), "x");
    assert.deepEqual(removeStaleTempFiles(dir), [`.config.json.${dead}.tmp`]);
    assert.deepEqual(readdirSync(dir).sort(), names.slice(1).sort());
  });
});
