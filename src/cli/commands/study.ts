import { Command } from "commander";
import { StudyError } from "../../errors.js";
import { openStorage } from "../../tune/node/open-storage.js";
import type { Storage } from "../../tune/storage.js";
import { loadStudy, type Study } from "../../tune/study.js";
import { path } from "../parse.js";
import { formatStudy, studySummary } from "../study-table.js";

interface ShowFlags {
  study?: string;
  json?: boolean;
}

/** `minima study show <storage>`: a study's trials (params, value, diagnosis) and the best. */
export function studyCommand(): Command {
  const cmd = new Command("study").description("look into a search's studies (minima tune's, or Optuna's in the same formats)");
  cmd.command("show")
    .description("print a study's trials (number, state, parameters, value, diagnosis) and the best trial")
    .argument("<storage>", "where the study lives: a journal file (minima tune's <study folder>/journal.log), sqlite:///path.db or postgresql://…", path("a storage"))
    .option("--study <name>", "the study's name (default: the storage's only study)")
    .option("--json", "print the study as JSON instead of a table")
    .action((url: string, flags: ShowFlags) => {
      const storage = openStorage(url);
      try {
        const summary = studySummary(pickStudy(storage, flags.study));
        console.log(flags.json ? JSON.stringify(summary, null, 2) : formatStudy(summary));
      } finally {
        storage.close();
      }
    });
  return cmd;
}

/** The study named, or the storage's only one; refuses a storage of several without --study, naming them. */
export function pickStudy(storage: Storage, name: string | undefined): Study {
  const quiet = { onWarning: () => {} };
  if (name !== undefined) return loadStudy({ storage, studyName: name, ...quiet });
  const studies = storage.getAllStudies().map((s) => s.studyName);
  if (studies.length === 1) return loadStudy({ storage, studyName: studies[0]!, ...quiet });
  throw new StudyError({
    where: storage.url,
    what: studies.length === 0 ? "holds no study" : `holds ${studies.length} studies; name one with --study`,
    ...(studies.length === 0 ? {} : { expected: studies.map((s) => `"${s}"`).join(", ") }),
  });
}
