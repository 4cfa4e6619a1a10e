import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { StudyError } from "../errors.js";
import type { Storage } from "../tune/storage.js";
import { loadStudy, type Study } from "../tune/study.js";

/** A study to report on: the storage it lives in, and the folder its report goes to. */
export interface StudyTarget {
  storage: string;
  outDir: string;
}

/** The journal minima tune keeps in a study folder. */
export const STUDY_JOURNAL = "journal.log";

/**
 * What `minima report` was pointed at: a study folder (holding journal.log) gives its journal,
 * reported into the folder; a journal file or sqlite:///path.db is reported beside the file,
 * postgresql://… into the current folder. Anything else is a run folder (null), whose reader says
 * what is wrong with it when it is none.
 */
export function studyTarget(target: string): StudyTarget | null {
  if (/^postgres(ql)?(\+\w+)?:/.test(target)) return { storage: target, outDir: "." };
  if (target.startsWith("sqlite:")) return { storage: target, outDir: dirname(target.replace(/^sqlite:\/\/\//, "")) };
  if (!existsSync(target)) return null;
  if (!statSync(target).isDirectory()) return { storage: target, outDir: dirname(target) };
  if (existsSync(join(target, STUDY_JOURNAL)) && !existsSync(join(target, "config.json"))) return { storage: join(target, STUDY_JOURNAL), outDir: target };
  return null;
}

/** The study named, or the storage's only one; a storage of several needs --study, and the error names them. */
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
