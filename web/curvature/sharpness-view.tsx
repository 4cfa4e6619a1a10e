import * as mn from "../../src/index.js";
import { num } from "./format.js";
import { useFile } from "./use-file.js";
import { ViewFrame } from "./view-frame.js";

/** sharpness.json as minima sharpness writes it. */
interface SharpnessFile {
  checkpoint: string;
  epoch: number;
  samples: number;
  method: string;
  iterations: number;
  subspace: number | null;
  loss: number;
  sharpness: { epsilon: number; value: number; maxLoss: number; evaluations: number }[];
}

function parse(text: string, path: string): SharpnessFile {
  const file = JSON.parse(text) as SharpnessFile;
  if (!Array.isArray(file?.sharpness)) throw new mn.DataFormatError({ where: path, what: "is not minima sharpness's output", expected: 'a JSON object with a "sharpness" list' });
  return file;
}

/** Keskar et al.'s ε-sharpness of a checkpoint (minima sharpness): a table per box size. */
export function SharpnessView({ file }: { file: string }) {
  const { data, error } = useFile(file, parse);
  return (
    <ViewFrame view="sharpness" title="ε-sharpness" file={file} error={error} ready={data !== null}>
      {data && (
        <>
          <p class="muted">
            {data.checkpoint} checkpoint, epoch {data.epoch}; f(x) = {num(data.loss)}, the training loss on {data.samples} samples;
            {data.subspace ? ` a random ${data.subspace}-dimensional subspace,` : ""} {data.method}, {data.iterations} iterations.
            Sharpness = 100·(max f(x+y) − f(x))/(1 + f(x)) over the box |yᵢ| ≤ ε(|xᵢ|+1); the maximum is searched, so each value is a lower bound.
          </p>
          <table class="sharpness-table">
            <thead><tr><th>ε</th><th>sharpness</th><th>max f(x+y)</th><th>evaluations</th></tr></thead>
            <tbody>{data.sharpness.map((s) => <tr><td>{s.epsilon}</td><td>{num(s.value)}</td><td>{num(s.maxLoss)}</td><td>{s.evaluations}</td></tr>)}</tbody>
          </table>
        </>
      )}
    </ViewFrame>
  );
}
