import { existsSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join, relative, sep } from "node:path";
import { MinimaError } from "../errors.js";
import { ATTR, DIAGNOSIS_USER_ATTR, OPTUNA_ATTR } from "../tune/attrs.js";
import { distributionToJson } from "../tune/distributions.js";
import type { FrozenTrial } from "../tune/frozen-trial.js";
import { JournalStorage } from "../tune/journal/journal-storage.js";
import { isFinished } from "../tune/trial-state.js";
import { JournalFileBackend } from "../tune/node/journal/file-backend.js";
import { resolveUnder } from "./safe-path.js";
import { toWire, type StudyResponse, type StudyTrial } from "./study-response.js";

/** minima tune's journal in a study folder. */
export const STUDY_JOURNAL = "journal.log";
/** The trial system attrs the page reads. */
const TRIAL_ATTRS = [ATTR.budget, ATTR.c2fStage, OPTUNA_ATTR.failReason];

interface OpenJournal {
  storage: JournalStorage;
  /** The file's identity: a journal replaced by another file (a new inode) is read again from its start. */
  ino: number;
  /** Finished trials' run folders (their folders never appear later): each is looked for once. */
  runs: Map<number, string | null>;
}

/**
 * The journals read so far, by path: each request reads only the lines appended since the last one
 * (the journal storage's replay is incremental). Read-only: the backend never creates, appends to or
 * locks the journal.
 */
const open = new Map<string, OpenJournal>();
const MAX_OPEN = 32;

/** GET /api/study/<study folder>[?name=<study>]: the study in the folder's journal.log, as StudyResponse JSON. */
export function handleStudy(res: ServerResponse, root: string, urlPath: string, url: URL): void {
  const folder = resolveUnder(root, urlPath);
  const journal = folder === null ? null : resolveUnder(root, relative(root, join(folder, STUDY_JOURNAL)).split(sep).join("/"));
  if (journal === null || !statSync(journal).isFile()) return text(res, 404, `no study at ${decodeSafely(urlPath)}: expected a study folder holding ${STUDY_JOURNAL} under the served folder`);
  const read = () => readStudy(root, folder!, journal, url.searchParams.get("name"));
  let body: StudyResponse;
  try {
    body = read();
  } catch {
    // A journal cut back in place (same file, fewer bytes than were read) is read again from its start, once.
    open.delete(journal);
    try {
      body = read();
    } catch (e) {
      open.delete(journal);
      if (e instanceof MinimaError) return text(res, e instanceof NoSuchStudy ? 404 : 500, e.message);
      throw e;
    }
  }
  res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

class NoSuchStudy extends MinimaError {}

/** Reads the study from the journal (only its new lines when this journal was read before). */
export function readStudy(root: string, folder: string, journal: string, name: string | null): StudyResponse {
  const stat = statSync(journal);
  let entry = open.get(journal);
  if (entry !== undefined && entry.ino !== stat.ino) entry = undefined;
  if (entry === undefined) {
    if (open.size >= MAX_OPEN) open.delete(open.keys().next().value!);
    entry = { storage: new JournalStorage(new JournalFileBackend(journal, { readOnly: true })), ino: stat.ino, runs: new Map() };
    open.set(journal, entry);
  }
  const storage = entry.storage;
  const studies = storage.getAllStudies();
  const rel = (path: string) => relative(root, path).split(sep).join("/");
  const summary = name === null ? studies[0] : studies.find((s) => s.studyName === name);
  if (summary === undefined) {
    const names = studies.map((s) => `"${s.studyName}"`).join(", ");
    throw new NoSuchStudy({ where: rel(journal), what: name === null ? "holds no study yet" : `holds no study named "${name}"`, ...(names ? { expected: `one of ${names}` } : {}) });
  }
  const trials = storage.getAllTrials(summary.studyId);
  const params = new Map<string, string>();
  for (const t of trials) for (const [k, d] of Object.entries(t.distributions)) if (!params.has(k)) params.set(k, distributionToJson(d));
  return {
    path: rel(folder), journalBytes: stat.size, studies: studies.map((s) => s.studyName), name: summary.studyName,
    direction: summary.directions[0] ?? "minimize", systemAttrs: summary.systemAttrs as Record<string, unknown>,
    params: [...params].map(([n, distribution]) => ({ name: n, distribution })),
    trials: trials.map((t) => wireTrial(t, root, folder, entry!.runs)),
  };
}

function wireTrial(t: FrozenTrial, root: string, folder: string, runs: Map<number, string | null>): StudyTrial {
  let run = runs.get(t.number);
  if (run === undefined) {
    run = runFolder(t, root, folder);
    if (isFinished(t.state)) runs.set(t.number, run);
  }
  const systemAttrs: Record<string, unknown> = {};
  for (const k of TRIAL_ATTRS) if (t.systemAttrs[k] !== undefined) systemAttrs[k] = t.systemAttrs[k];
  return {
    number: t.number, state: t.state, value: t.value === null ? null : toWire(t.value), params: { ...t.params },
    intermediate: [...t.intermediateValues].sort((a, b) => a[0] - b[0]).map(([s, v]) => [s, toWire(v)]),
    diagnosis: t.userAttrs[DIAGNOSIS_USER_ATTR] ?? null, systemAttrs, run,
    start: t.datetimeStart?.getTime() ?? null, complete: t.datetimeComplete?.getTime() ?? null,
  };
}

/**
 * The trial's run folder relative to the served folder: minima:run_dir when it lies under the served
 * folder, else <study folder>/trials/<number> (a study moved since it ran); null when neither holds a run.
 */
function runFolder(t: FrozenTrial, root: string, folder: string): string | null {
  const recorded = t.systemAttrs[ATTR.runDir];
  const candidates = [join(folder, "trials", String(t.number))];
  if (typeof recorded === "string") candidates.unshift(recorded);
  for (const dir of candidates) {
    const rel = relative(root, dir);
    if (rel === "" || rel.startsWith("..") || rel.startsWith(sep) || !existsSync(join(dir, "metrics.jsonl"))) continue;
    return rel.split(sep).join("/");
  }
  return null;
}

function decodeSafely(urlPath: string): string {
  try { return decodeURIComponent(urlPath); } catch { return urlPath; }
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(message + "\n");
}
