import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import type { CsvClassification } from "../data/formats/csv.js";
import { readCsv } from "../data/formats/csv-file.js";
import { MinimaError } from "../errors.js";
import type { LoadedModel } from "../io/saved-model.js";
import { loadModel } from "../io/saved-model-file.js";
import type { Tensor } from "../tensor/tensor.js";
import { classGrid } from "./decision-grid.js";
import type { RunPlot } from "./run-plots.js";
import { decisionRegions } from "./svg/decision-regions.js";

/**
 * The decision-regions figure of a run whose model takes 2 features (its model.safetensors says so):
 * the trained model's predicted class over a grid covering the data, with the data set's samples on
 * top, read again from the CSV file the run trained on (config.json's dataset and labelColumn).
 * Empty for any other run; a note in place of the figure when the model or the data cannot be read.
 */
export function decisionRegionsPlots(runDir: string, config: Record<string, unknown> | null): RunPlot[] {
  const modelPath = join(runDir, "model.safetensors");
  if (!existsSync(modelPath)) return [];
  let loaded: LoadedModel;
  try {
    loaded = loadModel(modelPath);
  } catch (e) {
    // The report is about the curves: a model file it cannot read leaves out this figure only.
    if (e instanceof MinimaError) return [];
    throw e;
  }
  const { model, preprocessing, classes, dataset } = loaded;
  if (preprocessing.inputShape.length !== 1 || preprocessing.inputShape[0] !== 2) return [];
  const caption = "Decision regions: the class the trained model predicts at each point of the plane (light colours), " +
    "with the data set's samples (training and validation) on top in their true class's colour. A dot on another colour is misclassified.";
  const note = (why: string): RunPlot[] => [{ name: "decision-regions", caption, svg: null, note: why }];
  if (dataset === null || !dataset.toLowerCase().endsWith(".csv")) return note(`The model takes 2 features, but its data set ${dataset ?? "(not recorded)"} is not a CSV file to draw the samples from.`);
  if (!existsSync(dataset)) return note(`The data set ${dataset} is not there now.`);
  const labelColumn = config?.["labelColumn"];
  let table: CsvClassification;
  try {
    table = readCsv(dataset, typeof labelColumn === "string" ? { labelColumn } : {});
  } catch (e) {
    if (e instanceof MinimaError) return note(`The data set could not be read now: ${e.message}`);
    throw e;
  }
  const { dataset: data, featureNames } = table;
  const [features, labels] = data.tensors as [Tensor, Tensor];
  const n = labels.shape[0]!;
  const points = { x: Array.from({ length: n }, (_, i) => features.data[2 * i]!), y: Array.from({ length: n }, (_, i) => features.data[2 * i + 1]!), label: labels.data };
  if (features.shape[1] !== 2) return note(`${dataset} has ${features.shape[1]} features now; the model takes 2.`);
  const svg = decisionRegions({
    title: `Decision regions on ${basename(dataset)} (${n} samples)`, xLabel: featureNames[0]!, yLabel: featureNames[1]!,
    classNames: classes, grid: classGrid(model, preprocessing, points), points,
  });
  return [{ name: "decision-regions", caption, svg, note: null }];
}
