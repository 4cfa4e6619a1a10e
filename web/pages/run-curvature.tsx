import type { SharpnessLog } from "../../src/io/run-log.js";
import type { RunEntry } from "../api.js";
import { CurvatureViews, isCurvatureFile } from "../curvature/curvature-views.js";
import { LambdaChart } from "../curvature/lambda-chart.js";
import { ViewFrame } from "../curvature/view-frame.js";
import "../curvature/curvature.css";

/**
 * The run page's curvature section, for a run that has any: λmax during training against 2/lr (`sharpness`: the run
 * log's "sharpness" records read so far, live), the Hessian spectrum (curvature.json), ε-sharpness (sharpness.json), the
 * LR range test (lr_find.jsonl) and the loss slices (each slice folder's slice.json).
 */
export function RunCurvature({ run, sharpness }: { run: RunEntry; sharpness: readonly SharpnessLog[] }) {
  const files = run.files.filter(isCurvatureFile);
  if (sharpness.length === 0 && files.length === 0) return null;
  return (
    <section class="curvature">
      <h2>Curvature</h2>
      {sharpness.length > 0 && (
        <ViewFrame view="lambda" title="Sharpness during training: λmax against 2/lr" file={`${run.path}/metrics.jsonl`} error={null} ready>
          <p class="muted">
            The largest eigenvalue of the loss's Hessian on fixed batches (SharpnessMonitor). Gradient descent is stable on a
            quadratic only while λmax &lt; 2/lr: full-batch training typically rises to that edge and hovers there (Cohen et al.
            2021, the edge of stability); with momentum β the limit is (2 + 2β)/lr, and adaptive optimizers move it.
          </p>
          <LambdaChart sharpness={sharpness} />
        </ViewFrame>
      )}
      <CurvatureViews folder={run.path} name={run.name} files={files} run={run.path} />
    </section>
  );
}
