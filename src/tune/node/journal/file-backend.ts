import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, statSync, constants } from "node:fs";
import { StorageError } from "../../../errors.js";
import { readError, writeError } from "../../../file-error.js";
import { writeAll } from "../../../io/atomic-write.js";
import type { HeartbeatBook, JournalBackend } from "../../journal/backend.js";
import { encodeOpLine } from "../../journal/op-line.js";
import type { JournalOp } from "../../journal/ops.js";
import { PythonJsonSyntaxError, pythonJsonLoads } from "../../journal/python-json.js";
import { JournalFileLock, type JournalFileLockOptions } from "./file-lock.js";
import { FileHeartbeats } from "./heartbeat-files.js";

export interface JournalFileBackendOptions extends JournalFileLockOptions {
  /** Keep heartbeats in the sidecar folder `<path>.heartbeats/` (the storage reaps stale trials by them). Default false. */
  heartbeats?: boolean;
  /**
   * Open the journal only to read it (minima serve): a missing journal is an error instead of being
   * created, and appending is refused, so neither the journal nor its lock file is ever written.
   */
  readOnly?: boolean;
}

const NEWLINE = 0x0a;
const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Optuna's journal file (JournalFileStorage), read and written as Optuna 3.1 does: one op per line
 * in Python's JSON; a batch is appended in one write and fsynced under Optuna's lock
 * (`<path>.lock`). Reads start at the byte offset where the last read stopped, so a sync reads only
 * the new lines. A last line without its newline is a write still under way (or a writer that
 * died in it): it is skipped and read once complete; a line that is not JSON followed by other
 * lines is a corrupt journal. Never writes Optuna's pickle snapshot.
 */
export class JournalFileBackend implements JournalBackend {
  readonly url: string;
  readonly heartbeats?: HeartbeatBook;
  private readonly lock: JournalFileLock;
  /** The next line to read: its number (0-based) and byte offset. */
  private lineNo = 0;
  private offset = 0;
  private readonly readOnly: boolean;

  constructor(readonly path: string, options: JournalFileBackendOptions = {}) {
    this.url = path;
    this.lock = new JournalFileLock(path, options);
    this.readOnly = options.readOnly ?? false;
    if (options.heartbeats) this.heartbeats = new FileHeartbeats(path);
    if (!this.readOnly) createIfMissing(path);
    checkIsJournal(path);
  }

  readLogs(from: number): JournalOp[] {
    if (from === this.lineNo) return this.readLines();
    // Only a reader that starts over asks for other lines than the next ones: read from the start.
    this.lineNo = 0;
    this.offset = 0;
    return this.readLines().slice(from);
  }

  appendLogs(ops: readonly JournalOp[]): void {
    if (this.readOnly) throw new StorageError({ where: this.path, what: "was opened read-only; nothing is written to it" });
    if (ops.length === 0) return;
    const bytes = Buffer.from(ops.map((op) => encodeOpLine(op) + "\n").join(""));
    this.lock.acquire();
    try {
      this.append(bytes);
    } finally {
      this.lock.release();
    }
  }

  /** The lines from the cursor on, parsed; moves the cursor past them. */
  private readLines(): JournalOp[] {
    const bytes = this.readNewBytes();
    const ops: JournalOp[] = [];
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const line = bytes.toString("utf8", start, end);
      let op: JournalOp;
      try {
        op = parseOp(line);
      } catch (e) {
        // Optuna's rule: a bad line with nothing after it is skipped (read again next time); followed by others, the journal is corrupt.
        if (end + 1 === bytes.length && e instanceof PythonJsonSyntaxError) break;
        const what = this.lineNo === 0 ? "is not an Optuna journal (JSON lines of ops): line 1" : `line ${this.lineNo + 1} is not a journal op`;
        throw new StorageError({ where: this.path, what: `${what}: ${(e as Error).message}${this.lineNo === 0 ? "" : "; the journal is corrupt"}` });
      }
      ops.push(op);
      this.lineNo++;
      this.offset += end + 1 - start;
      start = end + 1;
    }
    return ops;
  }

  private readNewBytes(): Buffer {
    let fd: number;
    try {
      fd = openSync(this.path, "r");
    } catch (e) {
      throw readError(e, this.path, this.path);
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) throw new StorageError({ where: this.path, what: `the journal shrank to ${size} bytes after ${this.offset} were read; a journal is only ever appended to` });
      const buf = Buffer.allocUnsafe(size - this.offset);
      for (let got = 0; got < buf.length;) {
        const n = readSync(fd, buf, got, buf.length - got, this.offset + got);
        if (n === 0) return buf.subarray(0, got);
        got += n;
      }
      return buf;
    } finally {
      closeSync(fd);
    }
  }

  /** Appends under the lock: one write, fsync; a failed write is cut back so no partial line stays. */
  private append(bytes: Buffer): void {
    let fd: number;
    try {
      fd = openSync(this.path, constants.O_RDWR | constants.O_APPEND);
    } catch (e) {
      throw writeError(e, this.path);
    }
    let size = -1;
    try {
      size = fstatSync(fd).size;
      size = dropTornTail(fd, size);
      writeAll(fd, bytes);
      fsyncSync(fd);
    } catch (e) {
      if (size >= 0) try { ftruncateSync(fd, size); } catch { /* the write's error is the one to report */ }
      throw writeError(e, this.path);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Under the lock no one else is writing, so a last line without its newline was left by a writer
 * that died inside its write: no reader has taken it (they skip such a line) and its writer never
 * returned, so it is cut off; otherwise the next batch would turn it into a corrupt line followed
 * by others. Returns the new size.
 */
function dropTornTail(fd: number, size: number): number {
  if (size === 0) return 0;
  const tail = Buffer.alloc(Math.min(size, 1 << 16));
  let end = size;
  for (;;) {
    const from = Math.max(0, end - tail.length);
    const n = readSync(fd, tail, 0, end - from, from);
    const at = tail.subarray(0, n).lastIndexOf(NEWLINE);
    if (at !== -1) {
      const cut = from + at + 1;
      if (cut !== size) ftruncateSync(fd, cut);
      return cut;
    }
    if (from === 0) {
      ftruncateSync(fd, 0);
      return 0;
    }
    end = from;
  }
}

/** One line as an op: Python's JSON (NaN, Infinity as bare tokens) holding an object with an op code. */
function parseOp(line: string): JournalOp {
  let v: unknown;
  try {
    v = pythonJsonLoads(line);
  } catch (e) {
    if (e instanceof PythonJsonSyntaxError) throw e;
    throw new PythonJsonSyntaxError(0, (e as Error).message);
  }
  if (v === null || typeof v !== "object" || Array.isArray(v) || typeof (v as JournalOp).op_code !== "number") {
    throw new Error(`expected an object with an op_code, got ${line.length > 60 ? line.slice(0, 60) + "…" : line}`);
  }
  return v as JournalOp;
}

/** Creates an empty journal if none exists (as Optuna does); a journal that cannot be written may still be read. */
function createIfMissing(path: string): void {
  try {
    if (statSync(path).isDirectory()) throw new StorageError({ where: path, what: "is a folder", expected: "a journal file (or a storage URL: sqlite:///…, postgresql://…)" });
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e instanceof StorageError ? e : readError(e, path, path);
  }
  try {
    closeSync(openSync(path, "a"));
  } catch (e) {
    throw writeError(e, path);
  }
}

/** Refuses a file that is not a journal (a SQLite database, a run log, a binary) before anything is read or written. */
function checkIsJournal(path: string): void {
  const head = Buffer.alloc(16);
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw readError(e, path, "a journal opened read-only"); // a writer has created it already
  }
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (n === 0 || head[0] === 0x7b /* { */) return;
  if (head.toString("latin1", 0, n) === SQLITE_HEADER) {
    throw new StorageError({ where: path, what: "is a SQLite database, not an Optuna journal", expected: `the URL sqlite:///${path}` });
  }
  throw new StorageError({ where: path, what: "is not an Optuna journal (JSON lines of ops)", expected: 'a file whose lines start with {"op_code"', got: `a file starting with "${showBytes(head.subarray(0, n))}"` });
}

/** Bytes as text: printable ASCII as it is, any other byte as \xNN. */
function showBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`)).join("");
}
