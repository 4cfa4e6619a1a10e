import * as mn from "../../src/index.js";
import type { CurvatureSummary } from "../../src/landscape/curvature.js";
import { folderName, num, percent } from "./format.js";
import { SvgFigure } from "./svg-figure.js";
import { useFile } from "./use-file.js";
import { ViewFrame } from "./view-frame.js";

/** curvature.json as minima curvature writes it: the summary, and where and on what it was measured. */
interface CurvatureFile extends CurvatureSummary {
  /** The run folder as given to minima curvature (its --out may be elsewhere). */
  run: string;
  checkpoint: string;
  epoch: number;
  step: number;
  data: { split: string; samples: number; batches: number; batchSize: number };
  loss: string;
  optimizer: string;
}

function parse(text: string, path: string): CurvatureFile {
  const file = JSON.parse(text) as CurvatureFile & { format?: unknown };
  if (file?.format !== "minima.curvature") throw new mn.DataFormatError({ where: path, what: "is not minima curvature's output", expected: 'a JSON object with "format": "minima.curvature"' });
  return file;
}

/** The Hessian at a checkpoint (minima curvature): the spectral density with the top eigenvalues, and the figures that hold for a singular, indefinite matrix. */
export function SpectrumView({ file, run }: { file: string; run: string }) {
  const { data, error } = useFile(file, parse);
  return (
    <ViewFrame view="spectrum" title="Hessian spectrum" file={file} error={error} ready={data !== null}>
      {data && (
        <div class="side-by-side">
          <SvgFigure svg={mn.report.spectrumPlot(data, { title: `Hessian spectrum: ${data.run ? folderName(data.run) : run}, ${data.checkpoint} checkpoint (epoch ${data.epoch})` })} />
          <LambdaTable c={data} />
        </div>
      )}
    </ViewFrame>
  );
}

function LambdaTable({ c }: { c: CurvatureFile }) {
  const rows: [string, string][] = [
    ["λmax", num(c.lambdaMax)],
    ...(c.topEigenvalues.length > 1 ? [[`top ${c.topEigenvalues.length}`, c.topEigenvalues.map(num).join(", ")] as [string, string]] : []),
    ["λmin", num(c.lambdaMin)],
    ["|λmin/λmax|", num(c.minOverMax)],
    ["trace", `${num(c.trace.value)} ± ${num(c.trace.stderr)} (Hutch++, ${c.trace.matvecs} products)`],
    ["trace/n", num(c.traceOverN)],
    ["negative", `${percent(c.negativeFraction)} of the eigenvalues (bounds ${percent(c.negativeBounds[0])}–${percent(c.negativeBounds[1])})`],
    ...(c.stability ? [["lr·λmax", `${num(c.stability.lrTimesLambdaMax)} (lr ${num(c.stability.lr)}; gradient descent is stable on a quadratic below 2)`] as [string, string]] : []),
    ...c.layers.map((l): [string, string] => [`λmax of layer ${l.name}`, `${num(l.lambdaMax)} (${l.parameters} parameters)`]),
  ];
  return (
    <div>
      <p class="muted">{c.checkpoint} checkpoint, epoch {c.epoch} (step {c.step}); {c.loss} on {c.data.samples} {c.data.split} samples ({c.data.batches} × {c.data.batchSize}); {c.parameters} parameters; {c.optimizer}</p>
      <table class="lambda-table">
        <tbody>{rows.map(([name, value]) => <tr data-name={name}><th>{name}</th><td>{value}</td></tr>)}</tbody>
      </table>
      <p class="muted">A network's Hessian is nearly singular{c.lambdaMin < 0 ? " and indefinite" : ""}: it has no meaningful condition number, so none is shown.</p>
    </div>
  );
}
