export * from "./index.js";
export { readRun, parseMetrics } from "./run-data.js";
export { svgToPng, type SvgToPngOptions } from "./png.js";
export { writeReport, type WriteReportOptions } from "./write-report.js";
