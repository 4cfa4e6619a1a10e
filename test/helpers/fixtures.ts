import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { repoRoot } from "./repo-root.js";

/** A tensor as the fixtures store it: its shape and its elements, flat and row-major. */
export interface TensorEntry {
  shape: number[];
  data: number[];
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

const cache = new Map<string, unknown>();

/** The parsed JSON of test/fixtures/<name> (made by tools/gen_fixtures.py). */
export function loadFixture(name: string): any {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(join(repoRoot(), "test", "fixtures", name), "utf8")));
  return cache.get(name);
}

/** A minima tensor holding a fixture entry's values in the given dtype (float32 values round-trip bit-exactly). */
export function toTensor(entry: TensorEntry, dtype: "float32" | "float64" | "int32"): mn.Tensor {
  const data =
    dtype === "float32" ? Float32Array.from(entry.data) : dtype === "float64" ? Float64Array.from(entry.data) : Int32Array.from(entry.data);
  return mn.tensor(data).reshape(entry.shape);
}

/** Fails, naming label and the worst element, unless |actual − expected| ≤ atol + rtol·|expected| everywhere. */
export function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: Tolerance, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: ${actual.length} elements, expected ${expected.length}`);
  let worst = -1;
  let worstRatio = 1; // ratios above 1 fail
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    const ratio = a === e ? 0 : Math.abs(a - e) / (tol.atol + tol.rtol * Math.abs(e));
    const r = Number.isNaN(ratio) ? Infinity : ratio; // a NaN is as bad as it gets
    if (r > worstRatio) {
      worst = i;
      worstRatio = r;
    }
  }
  if (worst >= 0) {
    const a = actual[worst]!, e = expected[worst]!;
    assert.fail(`${label}: worst at index ${worst}: actual ${a}, expected ${e} (|diff| ${Math.abs(a - e)} > atol ${tol.atol} + rtol ${tol.rtol}·|expected|)`);
  }
}

/** Checks a tensor's shape exactly and its values with assertClose. */
export function assertTensorClose(actual: mn.Tensor | null | undefined, expected: TensorEntry, tol: Tolerance, label: string): void {
  assert.ok(actual, `${label}: no tensor (null gradient?)`);
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assertClose(actual.data, expected.data, tol, label);
}
