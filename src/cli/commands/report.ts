import { Argument, Command } from "commander";
import { OptionError } from "../../errors.js";
import { path } from "../parse.js";
import { readRun } from "../../report/read-run.js";
import { writeReport } from "../../report/write-report.js";
import { writeStudyReport } from "../../report/write-study-report.js";
import { openStorage } from "../../tune/node/open-storage.js";
import { diagnose } from "../../train/diagnose.js";
import { pickStudy, studyTarget } from "../study-target.js";

interface ReportFlags {
  png?: boolean;
  study?: string;
  out?: string;
}

/** `minima report <run | study>`: the babysitting report of a training run (report.html), or of a search (study-report.html). */
export function reportCommand(): Command {
  return new Command("report")
    .description("write <run>/report.html: the run's settings, a diagnosis, and charts of loss, accuracy, learning rate, gradient norm, generalization gap and update/weight ratios; " +
      "or, for a study, study-report.html: every trial's learning curve, the objective by each parameter, parallel coordinates, the coarse-to-fine boxes, the best trials and their diagnoses")
    .addArgument(new Argument("<run>", "a run directory written by minima train, or a study: its folder (minima tune's, holding journal.log), a journal file, sqlite:///… or postgresql://…").argParser(path("a run folder or a study")))
    .option("--png", "also write each chart as a PNG (<run>/plots/, <study folder>/study-plots/)")
    .option("--study <name>", "a study report: the study's name (default: the storage's only study)")
    .option("--out <dir>", "a study report: the folder to write it into (default: the study folder, the storage file's folder, or for PostgreSQL the current folder)", path("a folder"))
    .action((target: string, flags: ReportFlags) => {
      const study = studyTarget(target);
      if (study === null) {
        for (const flag of ["study", "out"] as const) {
          if (flags[flag] !== undefined) throw new OptionError({ where: `--${flag}`, what: `does nothing for a run folder (${target}); it acts on a study report` });
        }
        return runReport(target, flags.png ?? false);
      }
      const storage = openStorage(study.storage);
      try {
        const written = writeStudyReport(pickStudy(storage, flags.study), flags.out ?? study.outDir, { png: flags.png ?? false });
        for (const p of written) console.log(p);
      } finally {
        storage.close();
      }
    });
}

function runReport(run: string, png: boolean): void {
  const data = readRun(run);
  for (const note of data.notes) console.error(`minima report: ${note}`);
  // Diagnosed afresh rather than shown from the run's "end" line: a killed run has none, and the rules may have improved since.
  const written = writeReport(run, { png, diagnosis: diagnose(data.history) });
  for (const p of written) console.log(p);
}
