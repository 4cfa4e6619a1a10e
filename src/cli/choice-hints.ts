import { InvalidArgumentError, type Argument, type Command, type Option } from "commander";
import { closest } from "../options.js";

/**
 * `; did you mean "adam"?` for a value that is none of `known` but close to one, else "".
 * With several bad values, each one's hint: `; did you mean "adam" (for "adamm"), "sgd" (for "sgdd")?`.
 */
export function didYouMean(bad: readonly string[], known: readonly string[]): string {
  const hints = bad.map((b) => [b, closest(b, known)] as const).filter(([, hint]) => hint !== null);
  if (hints.length === 0) return "";
  if (bad.length === 1) return `; did you mean "${hints[0]![1]}"?`;
  return `; did you mean ${hints.map(([b, hint]) => `"${hint}" (for "${b}")`).join(", ")}?`;
}

/**
 * Gives every `.choices()` option and argument of `cmd` and its subcommands the did-you-mean that
 * commander gives unknown flags: "argument 'adamm' is invalid. Allowed choices are sgd, …, lion; did
 * you mean "adam"?". It wraps commander's own check, so a value it accepts is parsed as before.
 */
export function addChoiceHints(cmd: Command): void {
  for (const holder of [...cmd.options, ...cmd.registeredArguments]) hintChoices(holder);
  for (const sub of cmd.commands) addChoiceHints(sub);
}

function hintChoices(holder: Option | Argument): void {
  const choices = holder.argChoices;
  const parse = holder.parseArg;
  if (!choices || !parse) return;
  holder.parseArg = <T>(value: string, previous: T): T => {
    if (choices.includes(value)) return parse(value, previous);
    throw new InvalidArgumentError(`Allowed choices are ${choices.join(", ")}${didYouMean([value], choices) || "."}`);
  };
}
