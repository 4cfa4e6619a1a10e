import type { SharpnessLog } from "../../src/io/run-log.js";
import type { RunEntry } from "../api.js";

/**
 * Part 8 of issue 15 builds this section of the run page: curvature, sharpness, slices and the LR range test of a run
 * that has them. `sharpness`: the run log's "sharpness" records read so far (λmax during training against 2/lr).
 */
export function RunCurvature(_: { run: RunEntry; sharpness: readonly SharpnessLog[] }) {
  return null;
}
