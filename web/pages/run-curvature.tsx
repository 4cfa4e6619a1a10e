import type { RunEntry } from "../api.js";

/** Part 8 of issue 15 builds this section of the run page: curvature, sharpness, slices and the LR range test of a run that has them. */
export function RunCurvature(_: { run: RunEntry }) {
  return null;
}
