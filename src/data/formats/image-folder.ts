import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DataFormatError, MinimaError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { readRegularFile } from "../../read-file.js";
import { TensorDataset } from "../dataset.js";
import { stackPngs, type NamedPng, type PngDecoder } from "./png-stack.js";

/** A folder of images in class folders, loaded: images [N, C, H, W], labels [N], class names, files. */
export interface ImageFolderData {
  dataset: TensorDataset;
  /** The class folders' names in label order (sorted, as torchvision's ImageFolder sorts them). */
  classNames: string[];
  /** Each sample's file, in sample order. */
  files: string[];
}

export interface ImageFolderOptions {
  /** 1 (grey) or 3 (RGB). Default: 3 when any image has colour, else 1. */
  channels?: 1 | 3;
}

const isHidden = (name: string) => name.startsWith(".");
const isPng = (name: string) => name.toLowerCase().endsWith(".png");

/**
 * torchvision's ImageFolder layout, PNG images only: `root/<class>/<image>.png` (class folders may
 * hold subfolders), classes numbered in their folders' sorted order, images float32 [N, C, H, W] in
 * [0, 1] (decoded by fast-png; grey or RGB, see imageFromPng) and labels int32 [N]. Every image must
 * have the same size. Hidden files (.DS_Store) are skipped, and so are files beside the class folders
 * (a README), but a PNG there is refused, as is a class folder without images, a file that is not a
 * PNG, and an image of another size, each naming the file.
 * @example const { dataset, classNames } = mn.data.imageFolder("shapes"); dataset.tensors[0].shape // [N, 3, 32, 32]
 */
export function imageFolder(root: string, options: ImageFolderOptions = {}): ImageFolderData {
  const where = "imageFolder";
  let isFolder: boolean;
  try {
    isFolder = statSync(root).isDirectory();
  } catch {
    throw new DataFormatError({ where, what: `no such folder: ${root}` });
  }
  if (!isFolder) throw new DataFormatError({ where, what: `${root} is a file`, expected: "a folder of class folders" });
  const layout = `ImageFolder's layout, ${join(root, "<class>", "<image>.png")}`;
  const entries = readdirSync(root, { withFileTypes: true }).filter((e) => !isHidden(e.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const stray = entries.find((e) => !e.isDirectory() && isPng(e.name));
  if (stray) throw new DataFormatError({ where, what: `${join(root, stray.name)} is outside the class folders`, expected: layout });
  const classNames = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  if (classNames.length === 0) throw new DataFormatError({ where, what: `${root} has no class folders`, expected: layout });
  const files: string[] = [], labels: number[] = [];
  classNames.forEach((name, label) => {
    const found = pngsUnder(join(root, name));
    if (found.length === 0) throw new DataFormatError({ where, what: `class folder ${join(root, name)} holds no PNG images` });
    for (const file of found) { files.push(file); labels.push(label); }
  });
  const images: NamedPng[] = files.map((name) => ({ name, bytes: readRegularFile(name, where) }));
  return { dataset: new TensorDataset(stackPngs(images, pngDecoder(), options), new Tensor(Int32Array.from(labels), [labels.length])), classNames, files };
}

let decoder: PngDecoder | null = null;

/**
 * imageFromPng, loaded with the first image folder rather than with the Node entry: fast-png holds
 * 0.43 MB of heap, and a training process above V8's 8 MB incremental-marking threshold collects
 * garbage far more often (BENCHMARKS.md).
 */
const pngDecoder = (): PngDecoder => (decoder ??= requirePngDecoder(createRequire(import.meta.url)));

/** imageFromPng through `load` (require): fast-png is an ES module, which require() loads from Node 20.19 and 22.12 on. */
export function requirePngDecoder(load: (id: string) => unknown): PngDecoder {
  try {
    return (load("./png-image.js") as { imageFromPng: PngDecoder }).imageFromPng;
  } catch (e) {
    if ((e as { code?: unknown }).code !== "ERR_REQUIRE_ESM") throw e;
    throw new MinimaError({ where: "imageFolder", what: "cannot load its PNG decoder (fast-png, an ES module) with require()", expected: "Node 20.19, 22.12 or later", got: `Node ${process.versions.node}` });
  }
}

/** The PNG files under a class folder, in sorted order (subfolders too); any other file is refused. */
function pngsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => !isHidden(e.name)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pngsUnder(path));
    else if (isPng(entry.name)) out.push(path);
    else throw new DataFormatError({ where: "imageFolder", what: `${path} is not a PNG image`, expected: "only .png files in the class folders" });
  }
  return out;
}
