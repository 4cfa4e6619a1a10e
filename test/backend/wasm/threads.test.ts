import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { jsKernels } from "../../../src/backend/js/index.js";
import type { Kernels } from "../../../src/backend/kernels.js";
import { WASM_THREADED_BINARY } from "../../../src/backend/wasm/binary.generated.js";
import { wasmKernels } from "../../../src/backend/wasm/index.js";
import { instantiateWasm, wasmUnavailable, type WasmModule } from "../../../src/backend/wasm/module.js";
import { registerBackend } from "../../../src/backend/select.js";
import { gemmCases } from "./gemm-cases.js";
import * as mn from "../../../src/index.node.js";

const why = wasmUnavailable() ?? (WASM_THREADED_BINARY === null ? "the threaded wasm module was not built" : null);
if (why && process.env["MINIMA_REQUIRE_WASM"] === "1") throw new Error(`MINIMA_REQUIRE_WASM=1 but the threaded wasm module is unavailable: ${why}`);

const jobs = (mod: WasmModule) => (mod.exports as unknown as { pool_jobs(): number }).pool_jobs();
const table = (mod: WasmModule) => ({ ...jsKernels, ...wasmKernels(mod, { jsBelow: 0 }) }) as Kernels;

for (const c of gemmCases.threads) {
  for (const threads of [2, 3]) {
    test(`the wasm ${c.name}, on ${threads} threads`, { skip: why ?? false }, async () => {
      const mod = instantiateWasm();
      assert.ok(mod.threads, "Node's entry makes the threaded module");
      mod.threads.set(threads);
      await mod.threads.ready();
      try {
        const before = jobs(mod);
        c.run(table(mod), table(instantiateWasm({ threads: false })));
        assert.ok(jobs(mod) > before, "the products were split across the workers");
      } finally {
        mod.threads.shutdown();
      }
    });
  }
}

test("the wasm thread pool survives many calls (small and large products alternating), then shuts down and runs on one thread", { skip: why ?? false }, async () => {
  const mod = instantiateWasm();
  mod.threads!.set(2);
  await mod.threads!.ready();
  const [threaded, one] = [table(mod), table(instantiateWasm({ threads: false }))];
  const g = new mn.Generator(3);
  const [a, b] = [mn.randn([160 * 180], { generator: g }).data as Float32Array, mn.randn([180 * 150], { generator: g }).data as Float32Array];
  const want = new Float32Array(160 * 150), got = new Float32Array(160 * 150);
  one.matmul(a, b, want, 1, 160, 150, 180, false, false, 0, 0);
  const before = jobs(mod);
  for (let i = 0; i < 2000; i++) {
    threaded.matmul(a, b, got.fill(NaN), 1, 160, 150, 180, false, false, 0, 0);
    if (i % 97 === 0) threaded.matmul(a, b, got.subarray(0, 150), 1, 1, 150, 180, false, false, 0, 0);  // one thread
    assert.deepEqual(new Uint32Array(got.buffer, 150 * 4), new Uint32Array(want.buffer, 150 * 4), `call ${i}`);
  }
  assert.equal(jobs(mod) - before, 2000, "each large product was one job");
  mod.threads!.shutdown();
  threaded.matmul(a, b, got.fill(NaN), 1, 160, 150, 180, false, false, 0, 0);
  assert.deepEqual(got, want);
  assert.equal(jobs(mod) - before, 2000, "after shutdown products run on the calling thread");
});

test("an MLP trained on the threaded wasm backend equals one thread bit for bit (eager and mn.compile)", { skip: why ?? false }, async () => {
  const mod = instantiateWasm();
  mod.threads!.set(2);
  await mod.threads!.ready();
  registerBackend(wasmKernels(mod));  // the wasm backend on this module (its own would start its workers lazily)
  const run = (threads: number, compiled: boolean) => {
    mn.setBackend("wasm");
    mn.setNumThreads(threads);
    try {
      mn.manualSeed(9);
      const model = new mn.nn.Sequential(new mn.nn.Linear(400, 256), new mn.nn.ReLU(), new mn.nn.Linear(256, 128), new mn.nn.GELU(), new mn.nn.Linear(128, 10));
      const opt = new mn.optim.Adam(model.parameters(), { lr: 1e-3 });
      const x = mn.randn([256, 400]), y = mn.randint(0, 10, [256]);  // products of 2²³ and more multiply-adds: split
      const body = (xb: mn.Tensor, yb: mn.Tensor) => {
        opt.zeroGrad();
        const loss = mn.nn.functional.crossEntropy(model.forward(xb), yb);
        loss.backward();
        opt.step();
        return loss;
      };
      const step = compiled ? mn.compile(body) : (xb: mn.Tensor, yb: mn.Tensor) => body(xb, yb).item();
      const losses: number[] = [];
      for (let i = 0; i < 4; i++) losses.push(step(x, y));
      return [...losses, ...model.parameters().flatMap((p) => Array.from(p.data))];
    } finally {
      mn.setBackend("js");
    }
  };
  try {
    for (const compiled of [false, true]) {
      const one = run(1, compiled);
      const before = jobs(mod);
      const two = run(2, compiled);
      assert.ok(jobs(mod) > before, "the step's products were split");
      assert.equal(two.length, one.length);
      two.forEach((v, i) => assert.ok(Object.is(v, one[i]), `${compiled ? "compiled" : "eager"} ${i}: ${v} on 2 threads, ${one[i]} on 1`));
    }
  } finally {
    mod.threads!.shutdown();
  }
});

test("a Node process whose wasm products ran on workers exits on its own (the workers are unref'd)", { skip: why ?? false }, () => {
  const entry = fileURLToPath(new URL("../../../src/index.node.js", import.meta.url));
  const script = `import * as mn from ${JSON.stringify(entry)};
    mn.setBackend("wasm"); mn.setNumThreads(2);
    const a = mn.randn([256, 256]);
    mn.matmul(a, a).sum().item();  // starts the workers
    await new Promise((r) => setTimeout(r, 300));  // they join
    for (let i = 0; i < 5; i++) mn.matmul(a, a).sum().item();
    console.log(mn.getNumThreads());`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.error, undefined, "the process exits within 20 s");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "2");
});
