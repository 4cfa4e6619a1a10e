import assert from "node:assert/strict";
import { test } from "node:test";
import * as mn from "../../../src/index.node.js";

test("tridiagonalEigen: the [−1, 2, −1] matrix's eigenvalues 2 − 2cos(kπ/(m+1)) and eigenvector rows √(2/(m+1))·sin(jkπ/(m+1)) (closed form)", () => {
  const m = 12;
  const { values, rows } = mn.landscape.tridiagonalEigen(Array(m).fill(2), Array(m - 1).fill(-1), [0, 5, m - 1]);
  for (let k = 1; k <= m; k++) {
    assert.ok(Math.abs(values[k - 1]! - (2 - 2 * Math.cos((k * Math.PI) / (m + 1)))) < 1e-14, `λ${k} = ${values[k - 1]}`);
    [0, 5, m - 1].forEach((j, r) => {
      const want = Math.sqrt(2 / (m + 1)) * Math.sin(((j + 1) * k * Math.PI) / (m + 1));
      assert.ok(Math.abs(Math.abs(rows[r]![k - 1]!) - Math.abs(want)) < 1e-14, `row ${j}, vector ${k}: ${rows[r]![k - 1]} against ±${want}`);
    });
  }
});

test("tridiagonalEigen: on a random tridiagonal T, T·v = λv and the vectors are orthonormal (definition)", () => {
  const g = new mn.Generator(3);
  const m = 30;
  const d = Array.from({ length: m }, () => g.normal()), e = Array.from({ length: m - 1 }, () => g.normal());
  e[10] = 0; // a split into two blocks
  const { values, rows } = mn.landscape.tridiagonalEigen(d, e);
  for (let i = 1; i < m; i++) assert.ok(values[i - 1]! <= values[i]!, "ascending");
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < m; j++) {
      const tv = d[j]! * rows[j]![k]! + (j > 0 ? e[j - 1]! * rows[j - 1]![k]! : 0) + (j < m - 1 ? e[j]! * rows[j + 1]![k]! : 0);
      assert.ok(Math.abs(tv - values[k]! * rows[j]![k]!) < 1e-13, `(Tv − λv)[${j}] of vector ${k}`);
    }
    for (let l = 0; l < m; l++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += rows[j]![k]! * rows[j]![l]!;
      assert.ok(Math.abs(s - (k === l ? 1 : 0)) < 1e-13, `v${k}·v${l} = ${s}`);
    }
  }
});
