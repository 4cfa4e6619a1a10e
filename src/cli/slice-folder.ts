import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DataFormatError, OptionError } from "../errors.js";
import { appendLineDurable, writeFileAtomic } from "../io/atomic-write.js";
import { nonFiniteReplacer, nonFiniteReviver } from "../io/non-finite-json.js";
import { loadSafetensors, saveSafetensors } from "../io/safetensors-file.js";
import type { SliceCell } from "../landscape/slices/slice.js";
import { tensor } from "../tensor/create.js";

/** What a slice was asked for: a folder resumes only a slice with the same settings. */
export type SliceSettings = Record<string, string | number | boolean | number[] | null>;

/** What a slice computes before its first cell, saved so that a resumed slice uses the very same. */
export interface SlicePlan {
  alphas: number[][];
  directions: Float64Array[];
  /** What to report about the directions (eigenvalues, explained variance, the trajectory's coordinates). */
  about: Record<string, unknown>;
}

const SPEC = "spec.json", DIRECTIONS = "directions.safetensors", CELLS = "cells.jsonl";
/** Every file a slice writes in its folder: starting over removes these and nothing else. */
export const SLICE_FILES = [SPEC, DIRECTIONS, CELLS, "slice.json", "slice.svg", "slice.png"] as const;

/**
 * A slice's folder, which a killed slice resumes from: spec.json (settings, steps, what the directions are)
 * and directions.safetensors are written atomically before the first cell, then each cell is appended to
 * cells.jsonl and fsynced as it finishes. Opening a folder that holds the same settings resumes it (a line a
 * kill cut short is dropped); other settings are refused, unless `overwrite` starts over.
 */
export class SliceFolder {
  private constructor(readonly path: string, readonly plan: SlicePlan, readonly done: SliceCell[], readonly resumed: boolean) {}

  static open(path: string, settings: SliceSettings, options: { overwrite: boolean; where: string }, makePlan: () => SlicePlan): SliceFolder {
    const spec = join(path, SPEC);
    if (existsSync(spec) && !options.overwrite) {
      const saved = readJson(spec) as { settings: SliceSettings; alphas: number[][]; about: Record<string, unknown> };
      const differences = Object.keys({ ...settings, ...saved.settings })
        .filter((k) => JSON.stringify(settings[k]) !== JSON.stringify(saved.settings[k]))
        .map((k) => `${k} ${JSON.stringify(saved.settings[k])} there, ${JSON.stringify(settings[k])} now`);
      if (differences.length > 0) {
        throw new OptionError({ where: options.where, what: `${path} holds a slice with other settings (${differences.join("; ")}); run it with the same flags to resume it, or give --overwrite to start over, or another --out` });
      }
      const tensors = loadSafetensors(join(path, DIRECTIONS));
      const directions = saved.alphas.map((_, i) => Float64Array.from(tensors[`direction${i}`]!.data));
      const plan = { alphas: saved.alphas, directions, about: saved.about };
      return new SliceFolder(path, plan, readCells(join(path, CELLS), saved.alphas), true);
    }
    mkdirSync(path, { recursive: true });
    for (const file of SLICE_FILES) rmSync(join(path, file), { force: true });
    const plan = makePlan();
    saveSafetensors(join(path, DIRECTIONS), Object.fromEntries(plan.directions.map((d, i) => [`direction${i}`, tensor(Array.from(d), { dtype: "float64" })])));
    writeFileAtomic(spec, JSON.stringify({ settings, alphas: plan.alphas, about: plan.about }, null, 2) + "\n");
    return new SliceFolder(path, plan, [], false);
  }

  /** Saves a finished cell (one fsynced line). */
  append(cell: SliceCell): void {
    appendLineDurable(join(this.path, CELLS), JSON.stringify(cell, nonFiniteReplacer));
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8"), nonFiniteReviver);
  } catch (e) {
    throw new DataFormatError({ where: path, what: `not a slice's JSON file (${(e as Error).message})` });
  }
}

/** The cells saved so far; a last line without its newline (the process was killed writing it) is dropped from the file. */
function readCells(path: string, alphas: number[][]): SliceCell[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  const complete = text.endsWith("\n") ? text : text.slice(0, text.lastIndexOf("\n") + 1);
  if (complete !== text) writeFileAtomic(path, complete);
  const count = alphas.reduce((n, a) => n * a.length, 1);
  return complete.split("\n").filter(Boolean).map((line, i) => {
    let cell: SliceCell;
    try {
      cell = JSON.parse(line, nonFiniteReviver) as SliceCell;
    } catch {
      throw new DataFormatError({ where: path, what: `line ${i + 1} is not JSON: ${line.slice(0, 80)}` });
    }
    if (!Number.isInteger(cell.index) || cell.index < 0 || cell.index >= count || typeof cell.loss !== "number") {
      throw new DataFormatError({ where: path, what: `line ${i + 1} is not a cell of this ${count}-cell slice: ${line.slice(0, 80)}` });
    }
    return cell;
  });
}
