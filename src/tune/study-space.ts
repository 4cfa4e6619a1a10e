import { StudyError } from "../errors.js";
import { ATTR } from "./attrs.js";
import { distributionToJson, jsonToDistribution, type Distribution } from "./distributions.js";
import type { Study } from "./study.js";

/**
 * Records the study's search space (system attr minima:space: each distribution as Optuna's JSON,
 * an object as its trials' params hold it): `minima tune` writes it once, and every worker that loads
 * the study suggests it for each trial before the trial's process starts.
 */
export function setStudySpace(study: Study, space: Readonly<Record<string, Distribution>>): void {
  const json: Record<string, unknown> = {};
  for (const [name, d] of Object.entries(space)) json[name] = JSON.parse(distributionToJson(d));
  study.setSystemAttr(ATTR.space, json);
}

/** The study's search space, or null when none was recorded (the trial process then suggests its own). */
export function studySpace(study: Study): Record<string, Distribution> | null {
  const json = study.systemAttrs[ATTR.space];
  if (json === undefined) return null;
  const where = `study "${study.studyName}", system attr ${ATTR.space}`;
  const entries = json !== null && typeof json === "object" && !Array.isArray(json) ? Object.entries(json) : null;
  if (entries === null || entries.some(([, d]) => d === null || typeof d !== "object")) {
    throw new StudyError({ where, what: "the search space is malformed", expected: "an object of Optuna distribution JSON objects by parameter name", got: JSON.stringify(json).slice(0, 120) });
  }
  const space: Record<string, Distribution> = {};
  for (const [name, d] of entries) space[name] = jsonToDistribution(JSON.stringify(d), where);
  return space;
}
