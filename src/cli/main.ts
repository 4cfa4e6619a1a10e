#!/usr/bin/env node
import { Command } from "commander";
import { registerNativeBackend } from "../backend/native/register.js";
import { registerWasmBackend } from "../backend/wasm/register.js";
import { registerWasmWorkers } from "../backend/wasm/node/workers.js";
import { infoCommand } from "./commands/info.js";
import { trainCommand } from "./commands/train.js";
import { compareCommand } from "./commands/compare.js";
import { scheduleCommand } from "./commands/schedule.js";
import { reportCommand } from "./commands/report.js";
import { runCli } from "./run-cli.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { predictCommand } from "./commands/predict.js";
import { tuneCommand } from "./commands/tune.js";
import { studyCommand } from "./commands/study.js";
import { experimentCommand } from "./commands/experiment.js";
import { lrFindCommand } from "./commands/lr-find.js";
import { sharpnessCommand } from "./commands/sharpness.js";
import { landscapeCommand } from "./commands/landscape.js";
import { sliceCommand } from "./commands/slice.js";
import { curvatureCommand } from "./commands/curvature.js";
import { serveCommand } from "./commands/serve.js";
import { version } from "./version.js";

registerNativeBackend();
registerWasmWorkers();
registerWasmBackend();

const program = new Command("minima")
  .description("Train neural networks in TypeScript, built around the deep-learning optimization playbook.")
  .version(version)
  // Each command's flags after its name are its own: `minima tune worker --storage` is the worker's, not tune's --storage.
  .enablePositionalOptions()
  .addCommand(trainCommand())
  .addCommand(compareCommand())
  .addCommand(tuneCommand())
  .addCommand(studyCommand())
  .addCommand(scheduleCommand())
  .addCommand(reportCommand())
  .addCommand(experimentCommand())
  .addCommand(lrFindCommand())
  .addCommand(sharpnessCommand())
  .addCommand(landscapeCommand())
  .addCommand(sliceCommand())
  .addCommand(curvatureCommand())
  .addCommand(serveCommand())
  .addCommand(evaluateCommand()).addCommand(predictCommand())
  .addCommand(infoCommand());

await runCli(program, process.argv);
