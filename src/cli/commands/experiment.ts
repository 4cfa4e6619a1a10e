import { Command } from "commander";
import { flatSharpCommand } from "../experiments/flat-sharp.js";
import { rnnCliffCommand } from "../experiments/rnn-cliff.js";

/**
 * `minima experiment <name>`: the playbook's findings reproduced end to end on real data, each a subcommand in
 * src/cli/experiments/ that trains what it compares and prints (and writes) what it measured.
 */
export function experimentCommand(): Command {
  const cmd = new Command("experiment")
    .description("reproduce a finding of the playbook end to end on real data, and report what was measured");
  for (const make of EXPERIMENTS) cmd.addCommand(make());
  return cmd;
}

/** Each experiment's command (src/cli/experiments/<name>.ts). */
const EXPERIMENTS: (() => Command)[] = [flatSharpCommand, rnnCliffCommand];
