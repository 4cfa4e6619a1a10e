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

for (const c of gemmCases.matmul) test(`the wasm ${c.name}`, { skip: why ?? false }, () => c.run(wasm!, jsKernels));

test("mn.setBackend(\"wasm\") trains an MLP step to the js backend's loss within float32 rounding", { skip: why ?? false }, () => {
  const loss = (backend: string) => {
    mn.setBackend(backend);
    try {
      mn.manualSeed(5);
      const model = new mn.nn.Sequential(new mn.nn.Linear(9, 11), new mn.nn.ReLU(), new mn.nn.Linear(11, 3));
      const x = mn.randn([7, 9]), y = mn.randint(0, 3, [7]);
      const l = mn.nn.functional.crossEntropy(model.forward(x), y);
      l.backward();
      return [l.item(), ...model.parameters().flatMap((p) => Array.from(p.grad!.data))];
    } finally {
      mn.setBackend("js");
    }
  };
  const [a, b] = [loss("wasm"), loss("js")];
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= 1e-5 * (1 + Math.abs(b[i]!)), `${i}: ${v} vs ${b[i]}`));
});
