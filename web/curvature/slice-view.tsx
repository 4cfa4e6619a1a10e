import * as mn from "../../src/index.js";
import { folderName } from "./format.js";
import { SvgFigure } from "./svg-figure.js";
import { useFile } from "./use-file.js";
import { ViewFrame } from "./view-frame.js";

/** A loss slice (minima slice): the loss along a line, or its contours over a plane, drawn as the CLI draws them. */
export function SliceView({ file, run }: { file: string; run: string | null }) {
  const { data, error } = useFile(file, mn.report.parseSliceFile);
  return (
    <ViewFrame view="slice" title={`Loss slice ${data ? `(${data.shape.join("×")})` : ""}`} file={file} error={error} ready={data !== null}>
      {data && (
        <div data-dim={data.shape.length} data-cells={data.losses.length}>
          <SvgFigure svg={mn.report.slicePlot(data, mn.report.sliceFigure({ ...data, ...data.settings }, run ?? folderName(String(data.settings["run"]))))} />
        </div>
      )}
    </ViewFrame>
  );
}
