import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCsv, readCsv } from "../../../src/data/index.node.js";
import { testErrorCases } from "../../helpers/error-cases.js";

const dir = mkdtempSync(join(tmpdir(), "minima-csv-"));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
/** Features as rows and labels as a list, to compare with the table written by hand. */
const table = (text: string, options = {}) => {
  const { dataset, featureNames, classNames, labelColumn } = parseCsv(text, "t.csv", options);
  const [x, y] = dataset.tensors;
  return { x: x!.toArray(), xShape: x!.shape, xDtype: x!.dtype, y: Array.from(y!.data), yDtype: y!.dtype, featureNames, classNames, labelColumn };
};

describe("parseCsv / readCsv (tables written by hand; each value as the file spells it)", () => {
  test("a header with a 'label' column anywhere: the other columns in order are the features, float32 [N,F]; labels int32", () => {
    const t = table("a,label,b\n0.5,1,-2\n1.5e1,0,.25\n3,2,+4\n");
    assert.deepEqual(t.x, [[0.5, -2], [15, 0.25], [3, 4]]);
    assert.deepEqual([t.xShape, t.xDtype, t.yDtype], [[3, 2], "float32", "int32"]);
    assert.deepEqual(t.y, [1, 0, 2]);
    assert.deepEqual([t.featureNames, t.classNames, t.labelColumn], [["a", "b"], ["0", "1", "2"], "label"]);
  });

  test("no header: the last column is the label; columns are named by number", () => {
    const t = table("1,2,0\n3,4,1\n");
    assert.deepEqual([t.x, t.y], [[[1, 2], [3, 4]], [0, 1]]);
    assert.deepEqual([t.featureNames, t.labelColumn], [["column 1", "column 2"], "column 3"]);
  });

  test("the header is told by numbers below it: '0,1,label' is a header, '5.1,3.5,setosa' data", () => {
    assert.deepEqual(table("0,1,label\n0.5,0.25,1\n1,1,0\n").featureNames, ["0", "1"]);
    const iris = table("5.1,3.5,setosa\n6.2,2.9,versicolor\n");
    assert.deepEqual([iris.x, iris.y, iris.classNames], [[[5.1, 3.5].map(Math.fround), [6.2, 2.9].map(Math.fround)], [0, 1], ["setosa", "versicolor"]]);
    const forced = table("1,2\n3,0\n4,1\n", { header: true });
    assert.deepEqual([forced.featureNames, forced.labelColumn, forced.x], [["1"], "2", [[3], [4]]]);
  });

  test("csv-parse's dialect: a byte-order mark, CRLF, quoted cells, spaces around cells and blank lines", () => {
    const t = table("\uFEFFx , \"y\",label\r\n\r\n \"1.5\" , 2 ,\"0\"\r\n   \r\n3,4,1\r\n");
    assert.deepEqual([t.featureNames, t.x, t.y], [["x", "y"], [[1.5, 2], [3, 4]], [0, 1]]);
  });

  test("class names: sorted as text (cat < dog), or as numbers when all are integers (-1 < 2 < 10), never by first appearance", () => {
    const names = table("x,label\n1,dog\n2,cat\n3,dog\n");
    assert.deepEqual([names.classNames, names.y], [["cat", "dog"], [1, 0, 1]]);
    const signed = table("x,label\n1,10\n2,-1\n3,2\n");
    assert.deepEqual([signed.classNames, signed.y], [["-1", "2", "10"], [2, 0, 1]]);
  });

  test("labelColumn: a header name, a 0-based number, or a string of digits that names no column", () => {
    const text = "a,b,c\n1,0,5\n2,1,6\n";
    assert.deepEqual(table(text, { labelColumn: "b" }).x, [[1, 5], [2, 6]]);
    assert.deepEqual(table(text, { labelColumn: 1 }).x, [[1, 5], [2, 6]]);
    assert.deepEqual(table(text, { labelColumn: "1" }).x, [[1, 5], [2, 6]]);
    assert.deepEqual(table("a,1,c\n1,0,5\n2,1,6\n", { labelColumn: "1" }).featureNames, ["a", "c"]);
    assert.deepEqual(table("a,b\n1,5\n0,6\n", { labelColumn: "a" }).x, [[5], [6]]);
  });

  test("readCsv reads the file as UTF-8 and names it in errors", () => {
    const p = file("ok.csv", "höhe,label\n1,0\n2,1\n");
    assert.deepEqual(readCsv(p).featureNames, ["höhe"]);
    assert.throws(() => readCsv(file("bad.csv", "x,label\n1,0\n2\n")), { message: `readCsv: ${join(dir, "bad.csv")}: line 3 has 1 cell, the header 2; expected the same number of cells on every line` });
  });
});

describe("parseCsv / readCsv: bad tables fail naming the file, the line and the column", () => {
  const parse = (text: string, options = {}) => () => parseCsv(text, "d.csv", options);
  testErrorCases([
    ["an empty file", parse(""), "readCsv: d.csv: the file is empty; expected a header row (optional) and rows of numbers"],
    ["blank lines only", parse("\n  \n\n"), "readCsv: d.csv: the file is empty; expected a header row (optional) and rows of numbers"],
    ["a header without rows", parse("x,y,label\n"), "readCsv: d.csv: has a header (x,y,label) but no rows of data"],
    ["a short row", parse("x,y,label\n1,2,0\n3,1\n"), "readCsv: d.csv: line 3 has 2 cells, the header 3; expected the same number of cells on every line"],
    ["a long row without a header", parse("1,2,0\n3,1,1,1\n"), "readCsv: d.csv: line 2 has 4 cells, the first line 3; expected the same number of cells on every line"],
    ["a word in a feature cell", parse("x,y,label\n1,2,0\n3,abc,1\n"), "readCsv: d.csv: line 3, column 2 (y): \"abc\" is not a number; expected a decimal number in every feature cell"],
    ["an empty feature cell", parse("x,y,label\n,2,0\n"), "readCsv: d.csv: line 2, column 1 (x): an empty cell is not a number; expected a decimal number in every feature cell"],
    ["NaN", parse("x,label\n1,0\nNaN,1\n"), "readCsv: d.csv: line 3, column 1 (x): \"NaN\" is not a number; expected a decimal number in every feature cell"],
    ["Infinity", parse("x,label\n1,0\nInfinity,1\n"), "readCsv: d.csv: line 3, column 1 (x): \"Infinity\" is not a number; expected a decimal number in every feature cell"],
    ["hexadecimal (Number() would take it)", parse("x,label\n1,0\n0x10,1\n"), "readCsv: d.csv: line 3, column 1 (x): \"0x10\" is not a number; expected a decimal number in every feature cell"],
    ["beyond float32", parse("x,label\n1,0\n1e39,1\n"), "readCsv: d.csv: line 3, column 1 (x): 1e39 is beyond float32's range; expected numbers of magnitude below 3.4e38"],
    ["the label column alone", parse("label\n0\n1\n", { header: true }), "readCsv: d.csv: has only the label column \"label\"; expected feature columns besides the label"],
    ["an empty label", parse("x,label\n1,0\n2,\n"), "readCsv: d.csv: line 3: the label is empty; expected a class number or name on every line"],
    ["a fractional label", parse("x,label\n1,0\n2,0.5\n"), "readCsv: d.csv: line 3: label 0.5 is not a class; expected class numbers 0..K-1 or class names (a fractional label is a regression target)"],
    ["a class no row has", parse("x,label\n1,0\n2,2\n3,0\n"), "readCsv: d.csv (column label): label 2 at index 1 makes 3 classes, but no sample has class 1; expected labels 0..K-1 with every class present (a mislabelled sample?)"],
    ["an unclosed quote", parse("x,label\n\"1,0\n"), "readCsv: d.csv: not valid CSV (Quote Not Closed: the parsing is finished with an opening quote at line 2)"],
    ["an unknown label column", parse("x,y\n1,0\n", { labelColumn: "z" }), "readCsv: labelColumn \"z\" is not a column of d.csv; expected one of x, y, or a column number 0..1"],
    ["a named label column without a header", parse("1,0\n", { labelColumn: "z" }), "readCsv: labelColumn \"z\" names a column, but d.csv has no header; expected a column number 0..1"],
    ["a label column number out of range", parse("x,y\n1,0\n", { labelColumn: 2 }), "readCsv: labelColumn 2 is not a column of d.csv; expected a column number 0..1"],
    ["a missing file", () => readCsv(join(dir, "none.csv")), `readCsv: no such file: ${join(dir, "none.csv")}`],
    ["a folder", () => readCsv(dir), `readCsv: ${dir} is a folder; expected a regular file`],
  ]);
});
