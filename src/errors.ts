/**
 * Errors carry their facts as fields (`where`, `what`, `expected`, `got`) so tests and the CLI
 * can read them, and build one message from them: "matmul: shapes [2,3] and [4,5] do not align: 3 != 4".
 */
export interface ErrorFacts {
  /** The function, class or file that rejected the input. */
  where: string;
  /** What is wrong, in a few words. */
  what: string;
  expected?: string;
  got?: string;
}

/** Base class of every error minima throws on purpose. */
export class MinimaError extends Error {
  readonly where: string;
  readonly what: string;
  readonly expected: string | undefined;
  readonly got: string | undefined;
  constructor(facts: ErrorFacts) {
    let message = `${facts.where}: ${facts.what}`;
    if (facts.expected !== undefined) message += `; expected ${facts.expected}`;
    if (facts.got !== undefined) message += `, got ${facts.got}`;
    super(message);
    this.name = new.target.name;
    this.where = facts.where;
    this.what = facts.what;
    this.expected = facts.expected;
    this.got = facts.got;
  }
}

/** Shapes that do not fit together (matmul, broadcasting, reshape, loading weights). */
export class ShapeError extends MinimaError {}
/** A tensor of the wrong dtype (float labels, int32 where a float is needed), or no tensor where one is needed. */
export class DTypeError extends MinimaError {}
/** A tensor holding values an op cannot take: probabilities outside [0, 1], labels other than ±1. */
export class ValueError extends MinimaError {}
/** An index out of range, or a bad dimension. */
export class IndexError extends MinimaError {}
/** A bad value in an options object or a CLI flag. */
export class OptionError extends MinimaError {}
/** A data file that is missing, truncated or corrupt. */
export class DataFormatError extends MinimaError {}
/** A state dict that does not fit the object it is loaded into. */
export class StateDictError extends MinimaError {}
/** A backend that cannot be selected or loaded. */
export class BackendError extends MinimaError {}
/** Misuse of autograd (backward twice without retainGraph, grad of a non-scalar...). */
export class AutogradError extends MinimaError {}
/** A study that is missing or already exists, a parameter that contradicts a study's, a write to a finished trial. */
export class StudyError extends MinimaError {}
/** A study storage that cannot be opened, reached or read (a bad URL, a server that is down, a corrupt journal). */
export class StorageError extends MinimaError {}
/**
 * A trial's lease is gone: another worker or the reaper owns or finished the trial (a stale heartbeat, a
 * paused worker woken late). The write was refused, so a zombie never overwrites a result.
 */
export class LeaseLostError extends StudyError {}

/**
 * The operating system refused to write or read a file (a full disk, no permission, a folder in the
 * way): the message is one sentence naming the user's file, e.g. "no space left on device writing
 * runs/a/model.safetensors", never the temporary file minima wrote first; `code` is the OS's (ENOSPC).
 */
export class FileError extends MinimaError {
  readonly path: string;
  readonly code: string;
  constructor(facts: { path: string; code: string; sentence: string }) {
    super({ where: facts.path, what: facts.sentence });
    this.message = facts.sentence;
    this.path = facts.path;
    this.code = facts.code;
  }
}

/** Formats a shape the way error messages show it: [128,784]. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}
