import assert from "node:assert/strict";
import { test } from "node:test";
import { jsKernels } from "../../../src/backend/js/index.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { wasmUnavailable } from "../../../src/backend/wasm/module.js";
import * as mn from "../../../src/index.node.js";

const why = wasmUnavailable();
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the wasm backend is unavailable: ${why}`);

test("the wasm matmul equals the js kernel within float32 rounding on odd sizes, every transpose and batch stride", { skip: why ?? false }, () => {
  const wasm = wasmKernels(), g = new mn.Generator(11);
  for (const [batch, m, n, k] of [[1, 1, 1, 1], [1, 7, 5, 3], [3, 17, 13, 29], [2, 33, 1, 65], [1, 129, 67, 31]] as const) {
    for (const transA of [false, true]) for (const transB of [false, true]) for (const shareB of [false, true]) {
      const a = mn.randn([batch * m * k], { generator: g }).data as Float32Array;
      const b = mn.randn([(shareB ? 1 : batch) * k * n], { generator: g }).data as Float32Array;
      const want = new Float32Array(batch * m * n), got = new Float32Array(batch * m * n);
      jsKernels.matmul(a, b, want, batch, m, n, k, transA, transB, m * k, shareB ? 0 : k * n);
      wasm.matmul!(a, b, got, batch, m, n, k, transA, transB, m * k, shareB ? 0 : k * n);
      for (let i = 0; i < want.length; i++) {
        assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-6 * k * (1 + Math.abs(want[i]!)), `[${batch},${m},${n},${k}] tA ${transA} tB ${transB} at ${i}: ${got[i]} vs ${want[i]}`);
      }
    }
  }
});

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
