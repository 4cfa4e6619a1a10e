import { readRegularFile } from "../../read-file.js";
import { parseCsv, type CsvClassification, type CsvOptions } from "./csv.js";

/**
 * Reads a CSV file of numeric features and a label column (see parseCsv): features float32 [N, F],
 * labels int32 [N], with the feature and class names. Errors name the file, the line and the column
 * (and the label-column option as `labelOption` says).
 * @example const { dataset, classNames } = mn.data.readCsv("spirals.csv"); dataset.tensors[0].shape // [400, 2]
 */
export function readCsv(path: string, options: CsvOptions = {}, labelOption = "labelColumn"): CsvClassification {
  return parseCsv(readRegularFile(path, "readCsv").toString("utf8"), path, options, labelOption);
}
