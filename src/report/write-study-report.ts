import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../io/atomic-write.js";
import { svgToPng } from "./png.js";
import type { StudyLike } from "./study-data.js";
import type { StudyPlotOptions } from "./study-plots.js";
import { studyReport } from "./study-report.js";

export interface WriteStudyReportOptions extends StudyPlotOptions {
  /** Also write each chart as `study-plots/<name>.png`. Default false. */
  png?: boolean;
}

// Twice the SVGs' width, as writeReport's PNGs.
const PNG_SCALE = 2;

/**
 * Writes a study's report into `dir`: `study-report.html`, and with `png` a PNG per chart under
 * `study-plots/`. Each file is written atomically. Returns the paths written, the HTML first.
 * @example mn.report.writeStudyReport(mn.tune.loadStudy({ storage: "studies/mlp/journal.log", studyName: "mlp" }), "studies/mlp", { png: true });
 */
export function writeStudyReport(study: StudyLike, dir: string, options: WriteStudyReportOptions = {}): string[] {
  const { png = false, ...plotOptions } = options;
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const { html, plots } = studyReport(study, plotOptions);
  const page = join(out, "study-report.html");
  writeFileAtomic(page, html);
  const written = [page];
  if (png) {
    mkdirSync(join(out, "study-plots"), { recursive: true });
    for (const plot of plots) {
      const path = join(out, "study-plots", `${plot.name}.png`);
      if (plot.svg === null) { rmSync(path, { force: true }); continue; }
      const width = Number(/width="(\d+)"/.exec(plot.svg)?.[1] ?? 720);
      writeFileAtomic(path, svgToPng(plot.svg, { width: PNG_SCALE * width }));
      written.push(path);
    }
  }
  return written;
}
