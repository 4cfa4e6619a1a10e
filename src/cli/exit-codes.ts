import { CommanderError } from "commander";
import { MinimaError, OptionError } from "../errors.js";

/** minima's exit statuses, as grep and git use them: 1 the work failed, 2 the command line is wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The exit statuses as `minima --help` and the README state them. */
export const EXIT_HELP = `Exit status:
  0  success, and --help and --version
  1  the command failed: a data, run, model or checkpoint file is missing,
     unreadable or corrupt; a run diverged; an OS error (a full
     disk, no permission); or a bug in minima (shown with its stack)
  2  usage error: an unknown command or flag, a bad or missing value, or a
     flag that does nothing with the chosen model, optimizer or schedule
  130, 143  minima train stopped by Ctrl-C (SIGINT) or SIGTERM after a whole
     step, with a checkpoint that minima train --resume continues from`;

/** A command that ran and failed as a whole (a diverged run that stopped): exit 1 with this message. */
export class CommandFailedError extends MinimaError {}

/** How the CLI ends on an error: the status, and what to print on stderr (null: commander printed it). */
export interface Outcome {
  code: number;
  message: string | null;
}

/**
 * Maps an error to its exit status by its class, so that every command, present or added later,
 * ends the same way: commander's parse errors and OptionError (a flag's value or combination) are
 * usage errors; any other MinimaError (DataFormatError, StateDictError, …) and an OS error are
 * failures; anything else is a bug, shown with its stack.
 */
export function outcomeOf(e: unknown): Outcome {
  if (e instanceof CommanderError) return { code: e.exitCode === 0 ? EXIT.ok : EXIT.usage, message: null };
  if (e instanceof OptionError) return { code: EXIT.usage, message: `minima: ${e.message}` };
  if (e instanceof MinimaError || isSystemError(e)) return { code: EXIT.failure, message: `minima: ${(e as Error).message}` };
  return { code: EXIT.failure, message: `minima: unexpected error (a bug in minima; please report it with this stack)\n${e instanceof Error && e.stack ? e.stack : String(e)}` };
}

/** Node's errors from the OS (ENOENT, EACCES, ENOSPC, …) carry the failing system call. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}
