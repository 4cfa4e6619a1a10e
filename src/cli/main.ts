#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { registerNativeBackend } from "../backend/native/register.js";
import { MinimaError } from "../errors.js";
import { infoCommand } from "./commands/info.js";
import { trainCommand } from "./commands/train.js";
import { compareCommand } from "./commands/compare.js";
import { scheduleCommand } from "./commands/schedule.js";
import { reportCommand } from "./commands/report.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { predictCommand } from "./commands/predict.js";
import { version } from "./version.js";

registerNativeBackend();

const program = new Command("minima")
  .description("Train neural networks in TypeScript, built around the deep-learning optimization playbook.")
  .version(version)
  .showSuggestionAfterError(true)
  .exitOverride()
  .addCommand(trainCommand())
  .addCommand(compareCommand())
  .addCommand(scheduleCommand())
  .addCommand(reportCommand())
  .addCommand(evaluateCommand()).addCommand(predictCommand())
  .addCommand(infoCommand());
for (const c of program.commands) c.exitOverride().showSuggestionAfterError(true);

try {
  program.parse(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  if (e instanceof MinimaError) {
    console.error(`minima: ${e.message}`);
    process.exit(2);
  }
  throw e;
}
