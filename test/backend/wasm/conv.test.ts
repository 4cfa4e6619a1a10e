import assert from "node:assert/strict";
import { test } from "node:test";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { wasmUnavailable } from "../../../src/backend/wasm/module.js";
import { gemmCases } from "./gemm-cases.js";
import * as mn from "../../../src/index.node.js";

const why = wasmUnavailable();
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the wasm backend is unavailable: ${why}`);
const wasm = why ? null : ({ ...jsKernels, ...wasmKernels() } as Kernels);

for (const c of gemmCases.conv) test(`the wasm ${c.name}`, { skip: why ?? false }, () => c.run(wasm!, jsKernels));

test("mn.nn.functional.conv2d on wasm matches js within float32 rounding, forward and gradients (bias, stride, padding, groups)", { skip: why ?? false }, () => {
  const run = (backend: string) => {
    mn.setBackend(backend);
    try {
      const g = new mn.Generator(32);
      const x = mn.randn([2, 4, 9, 7], { generator: g }).requiresGrad_();
      const w = mn.randn([6, 2, 3, 2], { generator: g }).requiresGrad_(), b = mn.randn([6], { generator: g }).requiresGrad_();
      const y = mn.nn.functional.conv2d(x, w, b, { stride: [2, 1], padding: [1, 0], groups: 2 });
      y.mul(y).sum().backward();
      return [y, x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.data));
    } finally {
      mn.setBackend("js");
    }
  };
  const [a, b] = [run("wasm"), run("js")];
  a.forEach((arr, t) => arr.forEach((v, i) => assert.ok(Math.abs(v - b[t]![i]!) <= 1e-4 * (1 + Math.abs(b[t]![i]!)), `tensor ${t} at ${i}: ${v} vs ${b[t]![i]}`)));
});
