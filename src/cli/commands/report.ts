import { Argument, Command } from "commander";
import { path } from "../parse.js";
import { readRun } from "../../report/read-run.js";
import { writeReport } from "../../report/write-report.js";
import { diagnose } from "../../train/diagnose.js";

interface ReportFlags {
  png?: boolean;
}

/** `minima report <run>`: the babysitting report of a training run, as report.html (and PNG charts). */
export function reportCommand(): Command {
  return new Command("report")
    .description("write <run>/report.html: the run's settings, a diagnosis, and charts of loss, accuracy, learning rate, gradient norm, generalization gap and update/weight ratios")
    .addArgument(new Argument("<run>", "a run directory written by minima train").argParser(path("a run folder")))
    .option("--png", "also write each chart as <run>/plots/<name>.png")
    .action((run: string, flags: ReportFlags) => {
      const data = readRun(run);
      for (const note of data.notes) console.error(`minima report: ${note}`);
      // Diagnosed afresh rather than shown from the run's "end" line: a killed run has none, and the rules may have improved since.
      const written = writeReport(run, { png: flags.png ?? false, diagnosis: diagnose(data.history) });
      for (const path of written) console.log(path);
    });
}
