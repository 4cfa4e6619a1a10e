import { Argument, Command } from "commander";
import { DataLoader } from "../../data/data-loader.js";
import { TensorDataset } from "../../data/dataset.js";
import { preprocess } from "../../data/preprocessing.js";
import { DataFormatError, OptionError, showShape } from "../../errors.js";
import { confusionMatrix } from "../../metrics/confusion-matrix.js";
import { crossEntropy } from "../../nn/losses/index.js";
import { cat } from "../../autograd/ops/indexing.js";
import { evaluate as evaluateModel } from "../../train/evaluate.js";
import type { Tensor } from "../../tensor/tensor.js";
import { backendLabel } from "../backend-label.js";
import { loadDatasetParts } from "../dataset.js";
import { loadModelArgument } from "../model-file.js";
import { describeModel } from "../models.js";
import { integer, path } from "../parse.js";

interface EvaluateFlags {
  dataset?: string;
  labelColumn?: string;
  batchSize: number;
}

/** `minima evaluate <run | model.safetensors>`: loss, accuracy, per-class accuracy and the confusion matrix on a test split. */
export function evaluateCommand(): Command {
  return new Command("evaluate")
    .description("evaluate a model file on a data set's test split, with the preprocessing recorded in the file: loss, accuracy, per-class accuracy and the confusion matrix")
    .addArgument(new Argument("<model>", "a run folder written by minima train, or a model.safetensors").argParser(path("a run folder or model file")))
    .option("--dataset <name>", "mnist, fashion-mnist, a folder of IDX files, or a CSV file or folder of PNG class folders (all its samples, or its test/ folder) (default: the data set the model was trained on)", path("a data set name, file or folder"))
    .option("--label-column <name>", "a CSV data set's label column: a header name or a 0-based column number (default: the column named label, else the last)")
    .option("--batch-size <n>", "samples per forward pass", integer(1), 1000)
    .action((arg: string, flags: EvaluateFlags) => {
      for (const line of evaluate(arg, flags)) console.log(line);
    });
}

function evaluate(arg: string, flags: EvaluateFlags): string[] {
  const { model, spec, preprocessing, classes, dataset, path } = loadModelArgument(arg, "evaluate");
  const name = flags.dataset ?? dataset;
  if (name === null) throw new OptionError({ where: "--dataset", what: `${path} does not say which data set it was trained on; name one` });
  let parts: ReturnType<typeof loadDatasetParts>;
  try {
    parts = loadDatasetParts(name, { labelColumn: flags.labelColumn });
  } catch (e) {
    // The data set recorded in the file (not named by the user) may be a folder that has moved since.
    if (flags.dataset || !(e instanceof OptionError) || e.where !== "--dataset") throw e;
    throw new DataFormatError({ where: "evaluate", what: `${path} was trained on ${name}, which is not there now; name the data set with --dataset` });
  }
  // A CSV file or a folder of class folders is all training data: evaluated whole when named, never by default.
  const whole = parts.test.length === 0;
  if (whole && !flags.dataset) {
    throw new OptionError({ where: "evaluate", what: `${path} was trained on ${name}, which has no test split (training held out only a validation split); name a test set with --dataset` });
  }
  const [x, y] = (whole ? parts.train : parts.test).tensors as [Tensor, Tensor];
  const shape = x.shape.slice(1);
  if (showShape(shape) !== showShape(preprocessing.inputShape)) {
    const what = `${parts.label}'s samples do not fit the model`, expected = `shape ${showShape(preprocessing.inputShape)}`, got = showShape(shape);
    throw flags.dataset ? new OptionError({ where: "--dataset", what, expected, got }) : new DataFormatError({ where: "evaluate", what, expected, got });
  }
  if (parts.classNames.length !== classes.length) {
    const what = `${parts.label} has ${parts.classNames.length} classes, the model ${classes.length}`;
    throw flags.dataset ? new OptionError({ where: "--dataset", what }) : new DataFormatError({ where: "evaluate", what });
  }
  // The loss summed as fit's evaluation sums it, so a run's own test loss comes back number for number.
  const outputs: Tensor[] = [];
  const batches = new DataLoader(new TensorDataset(preprocess(preprocessing, x), y), { batchSize: flags.batchSize });
  const { loss } = evaluateModel(model, batches, crossEntropy, (out) => outputs.push(out));
  const matrix = confusionMatrix(cat(outputs, 0), y, classes.length);
  const lines = [`minima evaluate: ${path} (${describeModel(spec)}) on ${whole ? `all of ${parts.label}` : `the ${parts.label} test split`} (${y.shape[0]} samples); ${backendLabel()}`];
  if (parts.classNames.some((c, i) => c !== classes[i])) {
    lines.push(`note: ${parts.label}'s class names (${parts.classNames.join(", ")}) are not the model's (${classes.join(", ")}); classes are compared by number`);
  }
  const correct = matrix.reduce((s, row, i) => s + row[i]!, 0);
  lines.push(`loss ${loss.toFixed(4)}, accuracy ${percent(correct, y.shape[0]!)} (${correct}/${y.shape[0]})`, "");
  // Rows are the data set's true classes, so they carry its names.
  lines.push(...perClassLines(matrix, parts.classNames), "", ...matrixLines(matrix));
  return lines;
}

function percent(k: number, n: number): string {
  return n === 0 ? "—" : `${((100 * k) / n).toFixed(2)}%`;
}

/** "  3 Dress        88.10% (881/1000)" per class (the name left out where it is the number). */
function perClassLines(matrix: number[][], classes: string[]): string[] {
  const named = classes.some((c, i) => c !== String(i));
  const width = classes.reduce((w, c) => Math.max(w, c.length), 0);
  const iw = String(classes.length - 1).length;
  return ["per class:", ...matrix.map((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    return `  ${String(i).padStart(iw)} ${named ? `${classes[i]!.padEnd(width)} ` : ""}${percent(row[i]!, n).padStart(7)} (${row[i]}/${n})`;
  })];
}

/** The matrix with true classes down and predicted classes across, both by number. */
function matrixLines(matrix: number[][]): string[] {
  // No spread: 1,000 classes make a million cells, past what Math.max(...) takes as arguments.
  const width = matrix.flat().reduce((w, v) => Math.max(w, String(v).length), Math.max(3, String(matrix.length - 1).length));
  const cell = (v: string | number) => String(v).padStart(width + 1);
  const iw = String(matrix.length - 1).length;
  return [
    "confusion matrix (rows: true class, columns: predicted class):",
    `  ${" ".repeat(iw)}${matrix.map((_, j) => cell(j)).join("")}`,
    ...matrix.map((row, i) => `  ${String(i).padStart(iw)}${row.map(cell).join("")}`),
  ];
}
