export { lineChart, type LineChartOptions, type Series, type ReferenceLine } from "./svg/line-chart.js";
export { parseMetrics, type RunData } from "./run-data.js";
export { readRun } from "./read-run.js";
export { runPlots, type RunPlot } from "./run-plots.js";
export { renderReport, type ReportInput } from "./html.js";
export { svgToPng, type SvgToPngOptions } from "./png.js";
export { writeReport, type WriteReportOptions } from "./write-report.js";
