import { OptionError, StudyError } from "../../errors.js";
import { checkOptions, nonNegativeInt, optional, required, type OptionsOf } from "../../options.js";
import { Generator } from "../../tensor/random.js";
import { OPTUNA_ATTR } from "../attrs.js";
import type { Distribution, ParamValue } from "../distributions.js";
import type { FrozenTrial } from "../frozen-trial.js";
import type { Sampler } from "../sampler.js";
import type { Study } from "../study.js";

/** A value a grid may hold: what storages keep (Optuna's GridValueType, NaN excluded as JSON has none). */
export type GridValue = null | boolean | number | string;

const GRID_SAMPLER = {
  /** Each parameter's values: { lr: [0.1, 0.01], hidden: [128, 256] }. */
  searchSpace: required<Record<string, readonly GridValue[]>>((v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? null : "an object mapping each parameter to its values")),
  /** Seed of the shuffled order in which the points are enqueued; without one, a random order. */
  seed: optional<number>(nonNegativeInt),
};
export interface GridSamplerOptions extends OptionsOf<typeof GRID_SAMPLER> {}

/** Optuna's trial system attrs for a grid point: which point, and of which grid. */
const GRID_ID = "grid_id";
const SEARCH_SPACE = "search_space";

/**
 * Every combination of the given values, once. Unlike Optuna's GridSampler, which picks an
 * unvisited point when a trial starts (so parallel workers may pick the same one: Optuna #2039,
 * #4627, #5489, #6073), every point is enqueued as a WAITING trial when the study is created, in a
 * seeded shuffled order, and workers claim them atomically: N workers on a K-point grid run exactly
 * K distinct trials. Each trial carries Optuna's system attrs (grid_id = the point's index in
 * itertools.product over the names sorted, search_space = the grid with its names sorted), so an
 * Optuna GridSampler on the same study counts the points as its own.
 */
export class GridSampler implements Sampler {
  readonly name = "grid";
  /** The grid with its names sorted, as Optuna stores it in search_space. */
  readonly searchSpace: Readonly<Record<string, readonly GridValue[]>>;
  private readonly names: readonly string[];
  private readonly size: number;
  private readonly seed: number | undefined;

  constructor(options: GridSamplerOptions) {
    const o = checkOptions("GridSampler", options, GRID_SAMPLER);
    const names = Object.keys(o.searchSpace).sort();
    if (names.length === 0) throw new OptionError({ where: "GridSampler", what: "the search space has no parameter", expected: "at least one parameter with its values" });
    const space: Record<string, GridValue[]> = {};
    for (const name of names) {
      const values = o.searchSpace[name];
      if (!Array.isArray(values) || values.length === 0) throw new OptionError({ where: "GridSampler", what: `parameter "${name}" needs a non-empty array of values`, expected: "one or more values", got: JSON.stringify(values) ?? String(values) });
      for (const v of values) {
        const ok = v === null || typeof v === "boolean" || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));
        if (!ok) throw new OptionError({ where: "GridSampler", what: `a value of "${name}" cannot be stored in a study`, expected: "null, a boolean, a finite number or a string", got: String(v) });
      }
      space[name] = [...values];
    }
    this.searchSpace = space;
    this.names = names;
    this.size = names.reduce((n, k) => n * space[k]!.length, 1);
    this.seed = o.seed;
  }

  /** How many points the grid has. */
  get gridSize(): number {
    return this.size;
  }

  spec(): Record<string, unknown> {
    return { name: this.name, searchSpace: this.searchSpace, ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }

  /** The point with Optuna's grid_id: the id-th element of itertools.product over the sorted names. */
  point(gridId: number): Record<string, GridValue> {
    const out: Record<string, GridValue> = {};
    let rest = gridId;
    for (let i = this.names.length - 1; i >= 0; i--) {
      const values = this.searchSpace[this.names[i]!]!;
      out[this.names[i]!] = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
    }
    return Object.fromEntries(this.names.map((n) => [n, out[n]!]));
  }

  /** Enqueues every point not yet in the study, in the seeded shuffled order. */
  onCreateStudy(study: Study): void {
    const have = this.existingIds(study);
    const order = new Generator(this.seed ?? Math.floor(Math.random() * 2 ** 32)).permutation(this.size);
    for (const id of order) {
      if (have.has(id)) continue;
      study.storage.createTrial(study.studyId, {
        state: "WAITING",
        systemAttrs: { [OPTUNA_ATTR.fixedParams]: this.point(id), [SEARCH_SPACE]: this.searchSpace, [GRID_ID]: id },
      });
    }
  }

  /** True when every point has a trial (in any state): a new trial would repeat one. */
  isExhausted(study: Study): boolean {
    return this.existingIds(study).size >= this.size;
  }

  /**
   * A trial gets its values from its enqueued point (fixed_params), so the sampler is asked only
   * for a parameter outside the grid, or for a trial not made from a point (enqueued by hand, or
   * in a study whose grid was never enqueued): both are refused, as values outside the grid
   * would be silently random.
   */
  sampleIndependent(study: Study, trial: FrozenTrial, name: string, _distribution: Distribution): ParamValue {
    const where = `GridSampler (study "${study.studyName}", trial ${trial.number})`;
    if (!(name in this.searchSpace)) {
      throw new StudyError({ where, what: `parameter "${name}" is not in the grid`, expected: `one of ${this.names.map((n) => `"${n}"`).join(", ")}, or a grid that names it` });
    }
    throw new StudyError({
      where,
      what: `the trial is not a grid point (no ${GRID_ID}), so "${name}" has no grid value`,
      expected: "trials made by the grid: create the study with this GridSampler (it enqueues every point), or enqueue every grid parameter",
    });
  }

  /** Grid ids of the study's trials that belong to this grid. */
  private existingIds(study: Study): Set<number> {
    const ids = new Set<number>();
    for (const t of study.trials) {
      const id = t.systemAttrs[GRID_ID];
      if (typeof id === "number" && this.sameSpace(t.systemAttrs[SEARCH_SPACE])) ids.add(id);
    }
    return ids;
  }

  /** Optuna's _same_search_space: the same names, and the same values in the same order. */
  private sameSpace(stored: unknown): boolean {
    if (typeof stored !== "object" || stored === null) return false;
    const s = stored as Record<string, unknown>;
    const keys = Object.keys(s);
    if (keys.length !== this.names.length || !keys.every((k) => k in this.searchSpace)) return false;
    return keys.every((k) => {
      const a = s[k];
      const b = this.searchSpace[k]!;
      return Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
    });
  }
}
