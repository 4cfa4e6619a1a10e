import { DataFormatError, MinimaError, OptionError, StateDictError, showShape } from "../errors.js";
import type { Preprocessing } from "../data/preprocessing.js";
import { modelFromSpec, type ModelSpec } from "../nn/model-spec.js";
import type { Module } from "../nn/module.js";
import type { Sequential } from "../nn/sequential.js";
import { defaultGenerator } from "../tensor/random.js";
import { decodeSafetensors, encodeSafetensors, type SafetensorsContents, type TensorMap } from "./safetensors.js";

// A model file is a .safetensors file of the model's state dict, under PyTorch's names (so the same
// file loads into the same architecture in PyTorch), whose __metadata__ says how to use it, each
// value a string (JSON where it is structured):
//   "format": "pt"                              the safetensors convention for a torch state dict
//   "minima.format": "minima-model"             this format, and its version
//   "minima.format_version": "1"
//   "minima.spec": {"builder":"mlp","options":{"inputs":784,"hidden":[256,256],"outputs":10,…}}
//   "minima.preprocessing": {"inputShape":[1,28,28],"standardize":{"perFeature":false,"mean":[…],"std":[…]}}
//   "minima.classes": ["0","1",…]               class names, in label order
//   "minima.dataset": "mnist"                   what it was trained on (optional)
// Bytes only (no file IO), so it runs in browsers; saved-model-file.ts reads and writes files.

/** The `minima.format` of a model file's metadata. */
export const MODEL_FORMAT = "minima-model";
/** The `minima.format_version` this minima writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

const KEY = {
  format: "minima.format", version: "minima.format_version", spec: "minima.spec",
  preprocessing: "minima.preprocessing", classes: "minima.classes", dataset: "minima.dataset",
} as const;

/** What a model file records besides the weights. */
export interface ModelInfo {
  /** The builder and options that rebuild the layers. */
  spec: ModelSpec;
  /** What inputs go through before the model (see mn.data.preprocess). */
  preprocessing: Preprocessing;
  /** Class names in label order, one per output. */
  classes: string[];
  /** The data set it was trained on (a name or a folder), if known. */
  dataset?: string | null;
}

/** A model rebuilt from a file, in eval mode, with what the file says about it. */
export interface LoadedModel {
  model: Sequential;
  spec: ModelSpec;
  preprocessing: Preprocessing;
  classes: string[];
  dataset: string | null;
}

/**
 * The __metadata__ of a model file for `info` (checked: one class name per output, an input shape
 * the spec's model takes).
 * @example mn.io.saveSafetensors("model.safetensors", model.stateDict(), mn.io.modelMetadata(info));
 */
export function modelMetadata(info: ModelInfo): Record<string, string> {
  const problem = inconsistency(info);
  if (problem) throw new OptionError({ where: "modelMetadata", what: problem });
  return {
    format: "pt",
    [KEY.format]: MODEL_FORMAT,
    [KEY.version]: String(MODEL_FORMAT_VERSION),
    [KEY.spec]: JSON.stringify(info.spec),
    [KEY.preprocessing]: JSON.stringify(info.preprocessing),
    [KEY.classes]: JSON.stringify(info.classes),
    ...(info.dataset ? { [KEY.dataset]: info.dataset } : {}),
  };
}

/**
 * A model file's bytes: the model's state dict and the metadata for `info`. The model must be the
 * one the spec builds (the same parameter names, shapes and dtypes), else a StateDictError.
 * @example const bytes = mn.io.encodeModel(model, { spec, preprocessing, classes });
 */
export function encodeModel(model: Module, info: ModelInfo): Uint8Array {
  const metadata = modelMetadata(info);
  const tensors = model.stateDict();
  const problem = mismatch(keepingRandomness(() => modelFromSpec(info.spec)), tensors);
  if (problem) throw new StateDictError({ where: "encodeModel", what: `the model is not the one its spec (${info.spec.builder}) builds: ${problem}` });
  return encodeSafetensors(tensors, metadata);
}

/**
 * Rebuilds the model in a model file's bytes (`where` names the file in errors): the layers from its
 * spec, the weights by name; the model comes back in eval mode. Building it leaves the default
 * generator where it was.
 * @example const { model, preprocessing, classes } = mn.io.decodeModel(new Uint8Array(await (await fetch("model.safetensors")).arrayBuffer()));
 */
export function decodeModel(bytes: Uint8Array, where = "model file"): LoadedModel {
  return modelFromSafetensors(decodeSafetensors(bytes, where, { metadata: true }), where);
}

/** decodeModel, from a file's decoded tensors and metadata (mn.io.decodeSafetensors(bytes, where, { metadata: true })). */
export function modelFromSafetensors(contents: SafetensorsContents, where = "model file"): LoadedModel {
  const info = readModelMetadata(contents.metadata, where);
  let model: Sequential;
  try {
    model = keepingRandomness(() => modelFromSpec(info.spec));
  } catch (e) {
    if (e instanceof MinimaError) invalid(where, `its spec does not build (${e.message})`);
    throw e;
  }
  const problem = mismatch(model, contents.tensors);
  if (problem) invalid(where, `its tensors are not those of its spec's model (${info.spec.builder}): ${problem}`);
  model.loadStateDict(contents.tensors);
  return { model: model.eval(), spec: info.spec, preprocessing: info.preprocessing, classes: info.classes, dataset: info.dataset ?? null };
}

/** The ModelInfo in a model file's __metadata__, checked; a DataFormatError naming `where` if it is not one. */
export function readModelMetadata(metadata: Record<string, string>, where = "model file"): ModelInfo {
  const format = metadata[KEY.format];
  if (format === undefined) {
    invalid(where, `its metadata has no "${KEY.format}" (a file of weights only: load it with loadSafetensors into the model it belongs to)`);
  }
  if (format !== MODEL_FORMAT) invalid(where, `its "${KEY.format}" is ${JSON.stringify(format)}, expected "${MODEL_FORMAT}"`);
  const version = metadata[KEY.version];
  if (version !== String(MODEL_FORMAT_VERSION)) {
    invalid(where, `it is in version ${JSON.stringify(version ?? null)} of the ${MODEL_FORMAT} format; this minima reads version ${MODEL_FORMAT_VERSION}`);
  }
  const json = (key: string): unknown => {
    const text = metadata[key];
    if (text === undefined) invalid(where, `its metadata has no "${key}"`);
    try {
      return JSON.parse(text!);
    } catch (e) {
      return invalid(where, `its "${key}" is not JSON (${(e as Error).message})`);
    }
  };
  const spec = json(KEY.spec), preprocessing = json(KEY.preprocessing), classes = json(KEY.classes);
  if (!isObject(spec) || typeof spec["builder"] !== "string" || !isObject(spec["options"])) {
    invalid(where, `its "${KEY.spec}" should be {"builder": …, "options": {…}}`);
  }
  const shape = isObject(preprocessing) ? preprocessing["inputShape"] : undefined;
  const standardize = isObject(preprocessing) ? preprocessing["standardize"] : undefined;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)
    || !(standardize === null || (isObject(standardize) && typeof standardize["perFeature"] === "boolean" && isNumbers(standardize["mean"]) && isNumbers(standardize["std"])))) {
    invalid(where, `its "${KEY.preprocessing}" should be {"inputShape": [positive integers], "standardize": null or {"perFeature": true or false, "mean": [numbers], "std": [numbers]}}`);
  }
  if (!Array.isArray(classes) || !classes.every((c) => typeof c === "string")) invalid(where, `its "${KEY.classes}" should be an array of strings`);
  const info: ModelInfo = { spec: spec as ModelSpec, preprocessing: preprocessing as Preprocessing, classes: classes as string[], dataset: metadata[KEY.dataset] ?? null };
  const problem = inconsistency(info);
  if (problem) invalid(where, problem);
  return info;
}

/** Why info does not hang together (class names against outputs, input shape against the spec, statistics against features), or null. */
function inconsistency(info: ModelInfo): string | null {
  const { spec, preprocessing: { inputShape, standardize }, classes } = info;
  const features = inputShape.reduce((a, b) => a * b, 1);
  const outputs = spec.options.outputs;
  if (!Number.isInteger(outputs) || outputs < 1) return `the spec's outputs should be a positive integer, got ${JSON.stringify(outputs)}`;
  if (classes.length !== outputs) return `${classes.length} class names for the model's ${outputs} outputs`;
  if (spec.builder === "cnn") {
    const takes = spec.options.inputShape;
    if (!Array.isArray(takes) || takes.length !== inputShape.length || takes.some((d, i) => d !== inputShape[i])) {
      return `the input shape ${showShape(inputShape)} is not the cnn's ${Array.isArray(takes) ? showShape(takes) : JSON.stringify(takes)}`;
    }
  } else if (spec.options.inputs !== features) {
    return `the input shape ${showShape(inputShape)} has ${features} features, the ${spec.builder} takes ${spec.options.inputs}`;
  }
  if (standardize) {
    const want = standardize.perFeature ? features : 1;
    if (standardize.mean.length !== want || standardize.std.length !== want) {
      return `the standardization has ${standardize.mean.length} means and ${standardize.std.length} stds, expected ${want}${standardize.perFeature ? " (one per feature)" : ""}`;
    }
    if (standardize.std.some((s) => !(s > 0)) || standardize.mean.some((m) => !Number.isFinite(m))) return "the standardization's means must be finite and its stds > 0";
  }
  return null;
}

/** How tensors differ from a model's state dict (missing or unexpected names, shapes, dtypes), or null. */
function mismatch(model: Module, tensors: TensorMap): string | null {
  const own = model.stateDict();
  const missing = Object.keys(own).filter((k) => !(k in tensors));
  const unexpected = Object.keys(tensors).filter((k) => !(k in own));
  const parts: string[] = [];
  if (missing.length) parts.push(`missing ${missing.join(", ")}`);
  if (unexpected.length) parts.push(`unexpected ${unexpected.join(", ")}`);
  for (const [name, t] of Object.entries(own)) {
    const given = tensors[name];
    if (!given) continue;
    if (showShape(given.shape) !== showShape(t.shape)) parts.push(`${name} is ${showShape(given.shape)}, expected ${showShape(t.shape)}`);
    else if (given.dtype !== t.dtype) parts.push(`${name} is ${given.dtype}, expected ${t.dtype}`);
  }
  return parts.length ? parts.join("; ") : null;
}

/** fn(), with the default generator put back where it was (the weights a rebuild draws are overwritten anyway). */
function keepingRandomness<T>(fn: () => T): T {
  const state = defaultGenerator.getState();
  try {
    return fn();
  } finally {
    defaultGenerator.setState(state);
  }
}

function invalid(where: string, what: string): never {
  throw new DataFormatError({ where, what: `not a valid minima model file: ${what}` });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");
