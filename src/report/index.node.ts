export * from "./index.js";
export { readRun } from "./read-run.js";
export { svgToPng, type SvgToPngOptions } from "./png.js";
export { writeReport, type WriteReportOptions } from "./write-report.js";
export { writeStudyReport, type WriteStudyReportOptions } from "./write-study-report.js";
