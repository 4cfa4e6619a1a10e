import type { RunPlot } from "./run-plots.js";
import { renderStudyReport } from "./study-html.js";
import { studyData, type StudyLike } from "./study-data.js";
import { studyPlots, type StudyPlotOptions } from "./study-plots.js";

export interface StudyReport {
  html: string;
  plots: RunPlot[];
}

/**
 * A hyperparameter study's report: every trial's learning curve, the objective against each
 * parameter (log axes for log parameters), parallel coordinates, the coarse-to-fine boxes, the
 * coverage of the two leading parameters, and the best trials with their diagnoses. Returns the
 * HTML page and its charts as SVG (for PNGs); nothing is written.
 * @example const { html } = mn.report.studyReport(study); // study from mn.tune.createStudy / loadStudy
 */
export function studyReport(study: StudyLike, options: StudyPlotOptions = {}): StudyReport {
  const data = studyData(study);
  const plots = studyPlots(data, options);
  return { html: renderStudyReport(data, plots), plots };
}
