import type { Command } from "commander";
import { addChoiceHints } from "./choice-hints.js";
import { EXIT_HELP, outcomeOf } from "./exit-codes.js";

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
    const { code, message } = outcomeOf(e);
    if (message !== null) console.error(message);
    // exit, not exitCode: a run that failed midway may leave a timer (the progress bar's) that would keep the process alive.
    process.exit(code);
  }
}
