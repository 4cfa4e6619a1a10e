import type { LineResult } from "../../landscape/slices/interpolate.js";
import { lineChart } from "../../report/svg/line-chart.js";

/**
 * The paper's figure 3 for this run: the loss (log scale) and the accuracy on the training and test sets along
 * θ(α) = (1 − α)·θ_small + α·θ_large, the small-batch solution at α = 0 and the large-batch one at α = 1.
 */
export function flatSharpCharts(result: { interpolation: { alphas: number[]; train: LineResult; test: LineResult }; regimes: { batchSize: number }[] }): { loss: string; accuracy: string } {
  const { alphas, train, test } = result.interpolation;
  const [small, large] = result.regimes as [{ batchSize: number }, { batchSize: number }];
  const xLabel = `α (0: batch ${small.batchSize}, 1: batch ${large.batchSize})`;
  return {
    loss: lineChart({
      title: "Cross-entropy along the line from the small-batch to the large-batch solution", xLabel, yLabel: "loss", yScale: "log",
      series: [{ name: "train", x: alphas, y: train.losses }, { name: "test", x: alphas, y: test.losses }],
    }),
    accuracy: lineChart({
      title: "Accuracy along the line from the small-batch to the large-batch solution", xLabel, yLabel: "accuracy",
      series: [{ name: "train", x: alphas, y: train.accuracies.map((a) => a ?? NaN) }, { name: "test", x: alphas, y: test.accuracies.map((a) => a ?? NaN) }],
    }),
  };
}
