import { DataFormatError } from "../errors.js";
import type { TypedArray } from "../tensor/dtype.js";

/** A part's class labels and the file (or name) they came from, for the messages. */
export interface LabelSource {
  labels: TypedArray;
  file: string;
}

/** The largest label + 1 (0 for no labels), in a loop: Math.max(...labels) overflows the stack past ~120k. */
export function classCount(labels: TypedArray): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i]! > max) max = labels[i]!;
  return max + 1;
}

/**
 * Checks that every label is a class 0..classes-1 (`of` says whose classes, for the message): a negative,
 * fractional or too large label fails naming the file and the index.
 */
export function checkLabelRange(where: string, { labels, file }: LabelSource, classes: number, of = ""): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v >= 0 && v < classes && Number.isInteger(v)) continue;
    const range = v >= 0 && Number.isInteger(v) && Number.isFinite(classes) ? `0..${classes - 1}${of}` : "a non-negative integer";
    throw new DataFormatError({ where, what: `${file}: label ${v} at index ${i} is not a class${of ? " of the training set" : ""}`, expected: range });
  }
}

/**
 * The class count of labels that must hold every class 0..K-1: K = the largest + 1, as a PyTorch user
 * sizes the output layer. A class no sample has is refused, naming the largest label's index: it is
 * almost always a mislabelled sample (label 12 in a 10-class set would otherwise build a 13-class model
 * with no word), and a class that training never shows cannot be learned.
 */
export function contiguousClassCount(where: string, { labels, file }: LabelSource): number {
  const count = classCount(labels);
  const top = labels.indexOf(count - 1);
  const gap = (what: string) => new DataFormatError({
    where, what: `${file}: label ${count - 1} at index ${top} makes ${count} classes, ${what}`,
    expected: "labels 0..K-1 with every class present (a mislabelled sample?)",
  });
  if (count > labels.length) throw gap(`more than its ${labels.length} samples`);
  const seen = new Uint8Array(count);
  for (let i = 0; i < labels.length; i++) seen[labels[i]!] = 1;
  const absent: number[] = [];
  for (let k = 0; k < count; k++) if (!seen[k]) absent.push(k);
  if (absent.length > 0) {
    const list = absent.length > 5 ? `${absent.slice(0, 5).join(", ")} and ${absent.length - 5} more` : absent.join(", ");
    throw gap(`but no sample has class ${list}`);
  }
  return count;
}
