import { dirname } from "node:path";
import { DataFormatError, FileError } from "./errors.js";

// The OS's reasons (strerror's words) for the errors a write or read of a user's file meets in practice.
const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for the file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
};

/** The OS's error code (ENOSPC, EACCES, …) of an error Node raised from a system call, else null. */
function systemCode(e: unknown): string | null {
  const { code, syscall } = (e ?? {}) as NodeJS.ErrnoException;
  return e instanceof Error && typeof code === "string" && typeof syscall === "string" ? code : null;
}

/**
 * What to throw for an error met while writing `path`, the user's file (whatever temporary file
 * was being written): an OS error becomes a FileError naming `path`; any other error stays as it is.
 */
export function writeError(e: unknown, path: string): unknown {
  const code = systemCode(e);
  if (code === null) return e;
  const sentence = code === "EISDIR" ? `cannot write ${path}: it is a folder`
    : code === "ENOENT" ? `cannot write ${path}: no such folder ${dirname(path)}`
    : code === "ENOTDIR" ? `cannot write ${path}: a part of its path is a file, not a folder`
    : `${REASONS[code] ?? code} writing ${path}`;
  return new FileError({ path, code, sentence });
}

/**
 * What to throw for an error met while reading `path` for `where`: a missing file or a folder is a
 * DataFormatError (as a corrupt one is), another OS error a FileError naming `path`.
 */
export function readError(e: unknown, path: string, where: string): unknown {
  const code = systemCode(e);
  if (code === null) return e;
  if (code === "ENOENT") return new DataFormatError({ where, what: `no such file: ${path}` });
  if (code === "EISDIR") return new DataFormatError({ where, what: `${path} is a folder`, expected: "a regular file" });
  return new FileError({ path, code, sentence: `${REASONS[code] ?? code} reading ${path}` });
}
