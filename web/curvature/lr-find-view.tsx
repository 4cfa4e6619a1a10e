import * as mn from "../../src/index.js";
import { num } from "./format.js";
import { SvgFigure } from "./svg-figure.js";
import { useFile } from "./use-file.js";
import { ViewFrame } from "./view-frame.js";

const RULES = [
  ["valley", "the middle of the longest descent (fastai's default)"],
  ["slide", "where the slope stops changing, walking down from the end"],
  ["minimum", "a tenth of the lr with the lowest loss"],
  ["steep", "where the loss falls fastest"],
] as const;

/** The LR range test (minima lr-find): the smoothed loss against the lr as fastai draws it, the suggestions, the one-cycle peak and 2/λmax. */
export function LrFindView({ file }: { file: string }) {
  const { data, error } = useFile(file, mn.report.parseLrFindFile);
  return (
    <ViewFrame view="lr-find" title="LR range test" file={file} error={error} ready={data !== null}>
      {data && (
        <div class="side-by-side">
          <SvgFigure svg={mn.report.lrFindChart(data)} />
          <div>
            <p class="muted">
              {data.lrs.length} batches of {data.settings.batchSize} from lr {data.settings.startLr} towards {data.settings.endLr} ({data.settings.mode});
              {data.stop === "diverged" ? ` stopped when the smoothed loss passed ${data.settings.stopDiv} × its best.` : " ran every batch."}
            </p>
            <table class="lr-table">
              <thead><tr><th>rule</th><th>lr</th><th></th></tr></thead>
              <tbody>
                {RULES.map(([rule, note]) => {
                  const s = data.suggestions[rule];
                  return <tr data-rule={rule}><th>{rule}</th><td>{s ? num(s.lr) : "none"}</td><td class="muted">{s ? note : "the curve is too short for this rule"}</td></tr>;
                })}
              </tbody>
            </table>
            <p>{data.oneCycleMaxLr !== null ? `one-cycle: minima train --schedule one-cycle --max-lr ${num(data.oneCycleMaxLr)}` : "no valley to take a one-cycle peak from"}</p>
            {data.curvature && (
              <p data-name="lr-limit">{data.curvature.lrLimit !== null
                ? `λmax ${num(data.curvature.lambdaMax)} at these weights: plain gradient descent is stable below lr 2/λmax = ${num(data.curvature.lrLimit)}`
                : `λmax is not positive (${num(data.curvature.lambdaMax)}): no stability limit 2/λmax`}</p>
            )}
          </div>
        </div>
      )}
    </ViewFrame>
  );
}
