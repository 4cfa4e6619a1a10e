import { test } from "node:test";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { wasmUnavailable } from "../../../src/backend/wasm/module.js";
import { gemmCases } from "./gemm-cases.js";

const why = wasmUnavailable();
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the wasm backend is unavailable: ${why}`);
const wasm = why ? null : ({ ...jsKernels, ...wasmKernels() } as Kernels);

for (const c of gemmCases.pool) test(`the wasm ${c.name}`, { skip: why ?? false }, () => c.run(wasm!, jsKernels));
