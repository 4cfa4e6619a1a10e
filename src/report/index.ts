export { lineChart, type LineChartOptions, type Series } from "./svg/line-chart.js";
