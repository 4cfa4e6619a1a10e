import { mkdirSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { writeFileAtomic } from "../io/atomic-write.js";
import type { LoggedDiagnosis } from "../io/run-log.js";
import { decisionRegionsPlots } from "./decision-regions-plot.js";
import { renderReport } from "./html.js";
import { svgToPng } from "./png.js";
import { readRun } from "./read-run.js";
import { runPlots } from "./run-plots.js";

export interface WriteReportOptions {
  /** Also write each chart as `plots/<name>.png` (for slides, issues, chat). Default false. */
  png?: boolean;
  /** A diagnosis to show instead of the one on the run's "end" line (mn.train.diagnose(history), say). */
  diagnosis?: LoggedDiagnosis | null;
}

// Twice the SVG's 720 px, so the PNGs stay sharp on high-density screens.
const PNG_WIDTH = 1440;

/**
 * Reads a run directory and writes its report: `<run>/report.html`, and with `png` a PNG per chart
 * under `<run>/plots/`. Each file is written atomically, so a reader never sees half a report.
 * Returns the paths written, the HTML first.
 * @example const [html] = mn.report.writeReport("runs/train-mnist-20250101-120000", { png: true });
 */
export function writeReport(runPath: string, options: WriteReportOptions = {}): string[] {
  const dir = resolve(runPath);
  const run = readRun(dir);
  const plots = [...runPlots(run.history, run.confusion), ...decisionRegionsPlots(dir, run.config)];
  const diagnosis = options.diagnosis !== undefined ? options.diagnosis : run.diagnosis;
  const html = join(dir, "report.html");
  writeFileAtomic(html, renderReport({ title: basename(dir), config: run.config, history: run.history, diagnosis, notes: run.notes, plots }));
  const written = [html];
  if (options.png) {
    mkdirSync(join(dir, "plots"), { recursive: true });
    for (const plot of plots) {
      const path = join(dir, "plots", `${plot.name}.png`);
      // A chart this report skips (no data for it now) must not leave an older report's PNG looking current.
      if (plot.svg === null) { rmSync(path, { force: true }); continue; }
      writeFileAtomic(path, svgToPng(plot.svg, { width: PNG_WIDTH }));
      written.push(path);
    }
  }
  return written;
}
