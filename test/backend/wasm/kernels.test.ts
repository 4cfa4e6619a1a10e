import assert from "node:assert/strict";
import { test } from "node:test";
import type { Kernels } from "../../../src/backend/kernels.js";
import { wasmKernelSet, wasmKernels } from "../../../src/backend/wasm/index.js";
import { instantiateWasm, wasmUnavailable } from "../../../src/backend/wasm/module.js";
import { KERNEL_CASES, runKernelCase } from "./cases.js";

const why = wasmUnavailable();
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the wasm backend is unavailable: ${why}`);

// Every wasm kernel but the products, convolutions and pooling (matmul.test.ts and its neighbours) against the js
// kernel, or the rule's own loop for a fused optimizer update, on the shared cases (cases.ts: the page tests run them
// in Chromium too): exact where the arithmetic is the same, within 1 float32 ulp for exp, log, tanh, erf, pow and the
// smooth activations, within 2e-6 of the largest value for the float32 optimizer updates.
test(`the wasm kernels equal the js kernels on ${KERNEL_CASES.length} cases (every op, dtype and broadcast, odd sizes, ±0, ±∞, NaN)`, { skip: why ?? false }, () => {
  const wasm = wasmKernels(instantiateWasm(), { jsBelow: 0 }) as Kernels;
  const failures = KERNEL_CASES.map((c) => runKernelCase(c, wasm)).filter((f) => f !== null);
  assert.deepEqual(failures, []);
});

// An eager call on few elements runs on js where the kernel says js gives the same bits (sameAsJs): every case it says
// so of must be one the comparison above holds to the bit, so the shortcut never changes a result.
test("every case a wasm kernel hands to js as giving the same bits is one its test compares exactly", { skip: why ?? false }, () => {
  const table = wasmKernelSet as Record<string, { takes(...a: unknown[]): boolean; sameAsJs?(...a: unknown[]): boolean }>;
  const claimed = KERNEL_CASES.filter((c) => { const args = c.args(); return table[c.kernel]!.takes(...args) && table[c.kernel]!.sameAsJs?.(...args); });
  assert.ok(claimed.length > 300, `${claimed.length} cases`);
  assert.deepEqual(claimed.filter((c) => !("exact" in c.tolerance)).map((c) => c.name), []);
});
