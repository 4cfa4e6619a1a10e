export { lineChart, type LineChartOptions, type Series, type ReferenceLine } from "./svg/line-chart.js";
export { readRun, parseMetrics, type RunData, type Diagnosis, type Finding } from "./run-data.js";
export { runPlots, type RunPlot } from "./run-plots.js";
export { renderReport, type ReportInput } from "./html.js";
export { svgToPng, type SvgToPngOptions } from "./png.js";
export { writeReport, type WriteReportOptions } from "./write-report.js";
