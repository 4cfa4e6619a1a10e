import type { Command } from "commander";
import { addChoiceHints } from "./choice-hints.js";
import { EXIT_HELP, outcomeOf } from "./exit-codes.js";
import { InterruptedError } from "./stop-signals.js";

/**
 * Runs a command line through `program` with minima's manners, for every command it holds:
 * commander reports parse errors and suggests flags and commands, choice values get a
 * did-you-mean, and every error ends with the exit status `outcomeOf` gives it (see EXIT_HELP).
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<void> {
  const manners = (cmd: Command): void => {
    cmd.exitOverride().showSuggestionAfterError(true);
    cmd.commands.forEach(manners);
  };
  manners(program);
  addChoiceHints(program);
  program.addHelpText("after", `\n${EXIT_HELP}`);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    const interrupted = interruption(e);
    const { code, message } = interrupted ? { code: interrupted.exitCode, message: `minima: ${interrupted.message}` } : outcomeOf(e);
    if (message !== null) console.error(message);
    // exit, not exitCode: a run that failed midway may leave a timer (the progress bar's) that would keep the process alive.
    process.exit(code);
  }
}

/** The InterruptedError behind `e`, also where fit or a command wrapped it (as an Error's `cause`). */
function interruption(e: unknown): InterruptedError | null {
  for (let x = e, depth = 0; x instanceof Error && depth < 8; x = x.cause, depth++) {
    if (x instanceof InterruptedError) return x;
  }
  return null;
}
