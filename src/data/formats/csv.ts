import { createRequire } from "node:module";
import type * as CsvParse from "csv-parse/sync";
import { DataFormatError, OptionError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { TensorDataset } from "../dataset.js";
import { contiguousClassCount } from "../labels.js";
import { plainNumber } from "../../plain-number.js";

/** A classification table: features float32 [N, F], labels int32 [N], and what the columns and classes are called. */
export interface CsvClassification {
  dataset: TensorDataset;
  /** The feature columns' names, in order (the header's, or "column 1", "column 2", … without one). */
  featureNames: string[];
  /** Class names in label order. */
  classNames: string[];
  /** The label column's name. */
  labelColumn: string;
}

export interface CsvOptions {
  /**
   * The label column: a header name, or a 0-based column number (a string of digits that is not a
   * header name counts as a number, as the CLI passes it). Default: the column named
   * "label" when the header has one, else the last column.
   */
  labelColumn?: string | number;
  /**
   * Whether the first row names the columns. Default: it does when one of its cells is not a number
   * but the cell below it is (with one row only: when none of its cells is a number).
   */
  header?: boolean;
}

// Plain decimal numbers ("1", "-0.5", ".5", "1e-3"); Number() would also take "0x1f", "Infinity" and "".
const isNumber = (cell: string) => plainNumber(cell) !== null;
const CLASS_NUMBER = /^\d+$/;

// csv-parse loads with the first table, not with the Node entry (its CommonJS build): what the entry
// loads stays in every training process's heap, near V8's 8 MB marking threshold (BENCHMARKS.md).
let csvParse: typeof CsvParse | null = null;

/**
 * A CSV table of numeric features and one label column as a classification data set (parsed by
 * csv-parse: quoted cells, CRLF, a byte-order mark; blank lines are skipped, cells trimmed). Labels
 * are class numbers 0..K-1 (every class present), or names (any other text, -1/1 too), which become
 * classes in sorted order (numerically when all are integers), as scikit-learn's LabelEncoder sorts them.
 * A ragged row, a cell that is not a number, an empty table or a fractional label fails naming the file,
 * the line and the column. `file` names the table in errors, `labelOption` the label-column option (the CLI's --label-column).
 * @example const { dataset, classNames } = mn.data.parseCsv("x,y,label\n0.1,0.2,0\n0.3,0.1,1\n", "points.csv");
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}, labelOption = "labelColumn"): CsvClassification {
  const where = "readCsv";
  const fail = (what: string, expected?: string) => new DataFormatError({ where, what: `${file}: ${what}`, ...(expected ? { expected } : {}) });
  let rows: { record: string[]; info: { lines: number } }[];
  csvParse ??= createRequire(import.meta.url)("csv-parse/sync") as typeof CsvParse;
  const { parse, CsvError } = csvParse;
  try {
    // With info, csv-parse gives each record with its line (its types do not follow the option).
    rows = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof rows;
  } catch (e) {
    if (e instanceof CsvError) throw fail(`not valid CSV (${e.message})`);
    throw e;
  }
  rows = rows.filter((r) => !(r.record.length === 1 && r.record[0] === ""));  // lines of spaces only
  if (rows.length === 0) throw fail("the file is empty", "a header row (optional) and rows of numbers");
  const first = rows[0]!.record, second = rows[1]?.record;
  // A header names columns that hold numbers below it: "x,y,label" over "0.1,0.2,0", not "5.1,3.5,setosa" over "4.9,3.0,setosa".
  const hasHeader = options.header ?? (second ? first.some((cell, i) => !isNumber(cell) && isNumber(second[i] ?? "")) : first.every((cell) => !isNumber(cell)));
  const names = hasHeader ? first : first.map((_, i) => `column ${i + 1}`);
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw fail(`has a header (${first.join(",")}) but no rows of data`);
  const label = labelIndex(names, hasHeader, options.labelColumn, file, labelOption);
  const width = names.length;
  for (const { record, info } of data) {
    if (record.length !== width) {
      throw fail(`line ${info.lines} has ${record.length} cell${record.length === 1 ? "" : "s"}, ${hasHeader ? "the header" : "the first line"} ${width}`, "the same number of cells on every line");
    }
  }
  const n = data.length, features = width - 1;
  if (features === 0) throw fail(`has only the label column "${names[label]}"`, "feature columns besides the label");
  const x = new Float32Array(n * features);
  data.forEach(({ record, info }, row) => {
    for (let c = 0, f = 0; c < width; c++) {
      if (c === label) continue;
      const cell = record[c]!;
      const value = plainNumber(cell);
      const at = `line ${info.lines}, column ${c + 1} (${names[c]})`;
      if (value === null) throw fail(`${at}: ${cell === "" ? "an empty cell" : `"${cell}"`} is not a number`, "a decimal number in every feature cell");
      // Features are float32: 1e39 would become Infinity.
      if (!Number.isFinite(Math.fround(value))) throw fail(`${at}: ${cell} is beyond float32's range`, "numbers of magnitude below 3.4e38");
      x[row * features + f++] = value;
    }
  });
  const { labels, classNames } = encodeLabels(data.map((r) => ({ cell: r.record[label]!, line: r.info.lines })), `${file} (column ${names[label]})`, fail);
  return {
    dataset: new TensorDataset(new Tensor(x, [n, features]), new Tensor(labels, [n])),
    featureNames: names.filter((_, i) => i !== label), classNames, labelColumn: names[label]!,
  };
}

/** The label column's index: `given` (a name, or a number for a column), else "label", else the last. */
function labelIndex(names: string[], hasHeader: boolean, given: string | number | undefined, file: string, option: string): number {
  if (given === undefined) return hasHeader && names.includes("label") ? names.indexOf("label") : names.length - 1;
  if (typeof given === "string" && !(hasHeader && names.includes(given)) && /^\d+$/.test(given)) given = Number(given);
  if (typeof given === "number") {
    if (Number.isInteger(given) && given >= 0 && given < names.length) return given;
    throw new OptionError({ where: "readCsv", what: `${option} ${given} is not a column of ${file}`, expected: `a column number 0..${names.length - 1}` });
  }
  if (hasHeader && names.includes(given)) return names.indexOf(given);
  throw new OptionError({
    where: "readCsv", what: hasHeader ? `${option} "${given}" is not a column of ${file}` : `${option} "${given}" names a column, but ${file} has no header`,
    expected: hasHeader ? `one of ${names.join(", ")}, or a column number 0..${names.length - 1}` : `a column number 0..${names.length - 1}`,
  });
}

/**
 * Class numbers from label cells: non-negative integers are the classes themselves (0..K-1, each
 * present); other labels are names, numbered in sorted order. A fractional number is refused: a
 * regression target is not a class.
 */
function encodeLabels(cells: { cell: string; line: number }[], source: string, fail: (what: string, expected?: string) => Error): { labels: Int32Array; classNames: string[] } {
  for (const { cell, line } of cells) {
    if (cell === "") throw fail(`line ${line}: the label is empty`, "a class number or name on every line");
    if (isNumber(cell) && !Number.isInteger(Number(cell))) {
      throw fail(`line ${line}: label ${cell} is not a class`, "class numbers 0..K-1 or class names (a fractional label is a regression target)");
    }
  }
  if (cells.every(({ cell }) => CLASS_NUMBER.test(cell))) {
    const labels = Int32Array.from(cells, ({ cell }) => Number(cell));
    const count = contiguousClassCount("readCsv", { labels, file: source });
    return { labels, classNames: Array.from({ length: count }, (_, i) => String(i)) };
  }
  const unique = [...new Set(cells.map((c) => c.cell))];
  const numeric = unique.every((c) => isNumber(c));
  const classNames = numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort();
  const index = new Map(classNames.map((name, i) => [name, i]));
  return { labels: Int32Array.from(cells, ({ cell }) => index.get(cell)!), classNames };
}
