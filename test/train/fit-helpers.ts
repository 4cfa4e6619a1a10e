import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { mnist } from "../../src/data/index.node.js";
import { TensorDataset } from "../../src/data/dataset.js";
import type { Tensor } from "../../src/tensor/tensor.js";

/** Real digits: `n` training images from the embedded MNIST (flattened) and 300 for validation. */
export function digits(n: number): { train: TensorDataset; val: TensorDataset } {
  const { train } = mnist();
  const take = (from: number, count: number) => {
    const [x, y] = train.tensors as [Tensor, Tensor];
    const rows = x.numel() / x.shape[0]!;
    const idx = Array.from({ length: count }, (_, i) => (from + i * 13) % train.length);
    const xs = new Float32Array(count * rows), ys = new Int32Array(count);
    idx.forEach((r, i) => { xs.set(x.data.subarray(r * rows, (r + 1) * rows), i * rows); ys[i] = y.data[r]!; });
    return new TensorDataset(new mn.Tensor(xs, [count, rows]), new mn.Tensor(ys, [count]));
  };
  return { train: take(0, n), val: take(5000, 300) };
}

export function model(seed: number, dropout = 0): mn.nn.Module {
  mn.manualSeed(seed);
  return mn.nn.mlp({ inputs: 784, hidden: [32], outputs: 10, ...(dropout ? { dropout } : {}) });
}

export const weights = (m: mn.nn.Module) => Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)] as const);
export const sameWeights = (a: mn.nn.Module, b: mn.nn.Module) => {
  const wa = weights(a), wb = weights(b);
  assert.equal(wa.length, wb.length);
  wa.forEach(([k, v], i) => {
    assert.equal(k, wb[i]![0]);
    const u = wb[i]![1];
    const bad = v.findIndex((x, j) => !Object.is(x, u[j]));
    assert.equal(bad, -1, `${k}[${bad}]: ${v[bad]} vs ${u[bad]}`);
  });
};
export const tmp = () => mkdtempSync(join(tmpdir(), "minima-fit-"));
