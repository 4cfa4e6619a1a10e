import { existsSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError } from "../../errors.js";
import { checkOptions, optional } from "../../options.js";
import { findIdxFile, IDX_FILES, loadIdxDataset } from "./idx-folder.js";
import type { ImageClassification } from "./mnist.js";

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

/** Fashion-MNIST's label names, in label order (Xiao, Rasul & Vollgraf 2017). */
export const FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

const HOW_TO_FIX = "install it with `apt-get install dataset-fashion-mnist`, or pass the folder of its IDX files (dir, or --dataset <dir>)";

/**
 * The folder holding Fashion-MNIST: `$MINIMA_DATA/fashion-mnist`, then Debian's
 * /usr/share/datasets/fashion-mnist. Throws a DataFormatError naming the folders searched and the fix.
 * @example mn.data.findFashionMnist() // "/usr/share/datasets/fashion-mnist"
 */
export function findFashionMnist(): string {
  const env = process.env["MINIMA_DATA"];
  const candidates = [...(env ? [join(env, "fashion-mnist")] : []), DEBIAN_FASHION_MNIST];
  const found = candidates.find((d) => existsSync(d) && findIdxFile(d, IDX_FILES[0]) !== null);
  if (!found) {
    throw new DataFormatError({ where: "fashionMnist", what: `Fashion-MNIST not found in ${candidates.join(" or ")}; ${HOW_TO_FIX}` });
  }
  return found;
}

/**
 * The real 70,000-image Fashion-MNIST (60,000 train, 10,000 test, 28×28 grey images of ten
 * kinds of clothing) from `dir`, else from `$MINIMA_DATA/fashion-mnist`, else from where Debian's
 * `dataset-fashion-mnist` installs it. Images float32 [N, 1, 28, 28] in [0, 1], labels int32.
 * @example const { train, test, classes } = mn.data.fashionMnist(); classes[9] // "Ankle boot"
 */
export function fashionMnist(options: { dir?: string } = {}): ImageClassification {
  const { dir } = checkOptions("fashionMnist", options, { dir: optional<string>((v) => (typeof v === "string" ? null : "a folder path")) });
  const classes = FASHION_CLASSES.length;
  if (dir === undefined) return { ...loadIdxDataset(findFashionMnist(), { classes }), classes: [...FASHION_CLASSES] };
  try {
    return { ...loadIdxDataset(dir, { classes }), classes: [...FASHION_CLASSES] };
  } catch (e) {
    // A folder or file missing (not a corrupt file, nor a bad label or pixel, whose errors say what was
    // expected): say how to get them, as for the folders searched.
    if (e instanceof DataFormatError && e.where === "loadIdxDataset" && e.expected === undefined) {
      throw new DataFormatError({ where: "fashionMnist", what: `${e.what}; ${HOW_TO_FIX}` });
    }
    throw e;
  }
}
