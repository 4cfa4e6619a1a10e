import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Kernels } from "../../../src/backend/kernels.js";
import { nativeKernels, nativeStatus } from "../../../src/backend/native/index.js";
import { adagrad } from "../../../src/optim/adagrad.js";
import { adam } from "../../../src/optim/adam.js";
import { adamw } from "../../../src/optim/adamw.js";
import type { Rule } from "../../../src/optim/optimizer.js";
import { rmsprop } from "../../../src/optim/rmsprop.js";
import { sgd } from "../../../src/optim/sgd.js";
import type { FloatArray } from "../../../src/tensor/dtype.js";
import { Generator } from "../../../src/tensor/random.js";
import { checkOptions } from "../../../src/options.js";
import { random } from "./helpers.js";

// The fused optimizer updates (Kernels.optimizerStep) against the rules' own loops.
describe("native optimizer step", () => {
  if (!nativeStatus.loaded) return;
  const kernels = nativeKernels() as Kernels;

  // Each fused update against the rule's own loop, 5 steps on 1,031 random values (an odd length, so the
  // vector loops' tails run). float64: to 1e-13 relative (the same arithmetic, up to fused multiply-adds);
  // float32: the native kernel rounds every operation to float32 as torch does, the js loop only the results.
  const cases: [Rule<any>, Record<string, unknown>][] = [
    [sgd, {}], [sgd, { momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }], [sgd, { momentum: 0.9, nesterov: true, maximize: true }],
    [adam, {}], [adam, { amsgrad: true, weightDecay: 0.01, maximize: true }], [adam, { biasCorrection: false, epsInsideSqrt: true }],
    [adamw, { weightDecay: 0.1 }], [rmsprop, {}], [rmsprop, { centered: true, momentum: 0.9, weightDecay: 0.01 }],
    [rmsprop, { epsInsideSqrt: true, maximize: true }], [adagrad, { lrDecay: 0.1, initialAccumulatorValue: 0.1 }], [adagrad, { epsInsideSqrt: true }],
  ];
  for (const [rule, options] of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      test(`fused ${rule.name} ${JSON.stringify(options)} equals the rule's loop (${dtype})`, () => {
        const o = checkOptions(rule.name, { lr: 0.01, ...options }, rule.options) as never;
        const gen = new Generator(11);
        const n = 1031;
        const p = random(n, dtype, gen);
        const on = Object.entries(rule.buffers(o));
        const init = (): { p: FloatArray; s: Record<string, FloatArray> } => ({
          p: p.slice(), s: Object.fromEntries(on.filter(([, isOn]) => isOn).map(([b]) => [b, dtype === "float32" ? new Float32Array(n) : new Float64Array(n)])),
        });
        const [a, b] = [init(), init()];
        for (let t = 1; t <= 5; t++) {
          const g = random(n, dtype, gen);
          const k = rule.coefficients(o, t, {});
          rule.step(a.p, g, a.s, k);
          assert.equal(kernels.optimizerStep!(rule.name, b.p, g, on.map(([name]) => b.s[name] ?? null), k), true);
        }
        const rel = dtype === "float64" ? 1e-13 : 2e-6;
        const scale = Math.max(...Array.from(a.p, Math.abs));
        for (let i = 0; i < n; i++) {
          if (!(Math.abs(a.p[i]! - b.p[i]!) <= rel * scale)) assert.fail(`${rule.name} ${dtype} element ${i}: js ${a.p[i]}, native ${b.p[i]}`);
        }
        for (const [name, buf] of Object.entries(a.s)) {
          const sc = Math.max(...Array.from(buf, Math.abs));
          buf.forEach((v, i) => { if (!(Math.abs(v - b.s[name]![i]!) <= rel * sc)) assert.fail(`${rule.name} ${dtype} ${name}[${i}]: js ${v}, native ${b.s[name]![i]}`); });
        }
      });
    }
  }

  test("optimizerStep fuses SGD, Adam, AdamW, RMSprop and Adagrad only: another rule gets false and its arrays are left alone", () => {
    const [p, g, m, v] = [Float64Array.of(1, 2), Float64Array.of(0.5, -0.5), new Float64Array(2), new Float64Array(2)];
    assert.equal(kernels.optimizerStep!("NAdam", p, g, [m, v], [0.9, 0.1, 0.999, 0.001, 0.001, 0.1, 0.1, 1e-8, 0, 1]), false);
    assert.deepEqual([...p, ...m, ...v], [1, 2, 0, 0, 0, 0]);
  });

  test("optimizerStep: a wrong argument is a TypeError naming the kernel and the argument", () => {
    const [p, g, buf] = [new Float32Array(3), new Float32Array(3), new Float32Array(3)];
    const sgdK = [0.1, 0.9, 1, 0, 1, 0, 1];
    assert.throws(() => kernels.optimizerStep!("SGD", p, g, [buf], [0.1, 0.9]),
      { name: "TypeError", message: "minima native optimizerStep: argument 4 must be 7 coefficients for SGD" });
    assert.throws(() => kernels.optimizerStep!("SGD", p, g, [new Float64Array(3)], sgdK),
      { name: "TypeError", message: "minima native optimizerStep: argument 5 must be a Float32Array like argument 1" });
    assert.throws(() => kernels.optimizerStep!("SGD", p, new Float64Array(3), [buf], sgdK),
      { name: "TypeError", message: "minima native optimizerStep: argument 2 must be a Float32Array like argument 1" });
    // Adam's first two buffers are always on; its third (AMSGrad's) may be null.
    assert.throws(() => kernels.optimizerStep!("Adam", p, g, [buf, null, null], [0.9, 0.1, 0.999, 0.001, 0.001, 1, 1, 1e-8, 0, 1, 1, 0]),
      { name: "TypeError", message: "minima native optimizerStep: argument 6 must be a typed array" });
  });
});
