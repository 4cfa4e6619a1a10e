export { confusionChart, fractionBars, type ConfusionChartOptions, type BarChartOptions } from "./svg/confusion-chart.js";
export { lineChart, type LineChartOptions, type Series, type ReferenceLine } from "./svg/line-chart.js";
export { parseMetrics, type RunData } from "./run-data.js";
export { runPlots, type RunPlot } from "./run-plots.js";
export { renderReport, type ReportInput } from "./html.js";
export { decisionRegions, type DecisionRegionsOptions, type ClassGrid } from "./svg/decision-regions.js";
export { classGrid } from "./decision-grid.js";
