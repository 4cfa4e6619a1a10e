import { Command } from "commander";
import { openStorage } from "../../tune/node/open-storage.js";
import { path } from "../parse.js";
import { pickStudy } from "../study-target.js";
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
