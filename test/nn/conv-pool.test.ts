import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { record } from "../../src/backend/capture/record.js";
import { getBackend, kernels, setBackend } from "../../src/backend/select.js";

// A Conv2d, a ReLU and a MaxPool2d in a Sequential run as one op, conv2dReluMaxPool. Where the native backend's
// library fuses them (oneDNN: the pooling reads the convolution's output in oneDNN's blocked layout, the backward
// writes its gradient there), every value and gradient must equal the three ops run apart on the same backend bit
// for bit, and the js backend's im2col form to float32 rounding.

const hasFusion = mn.listBackends().includes("native") && (() => {
  const suite = getBackend();
  try { setBackend("native"); return kernels().convolution?.forwardReluMaxPool !== undefined; } finally { setBackend(suite); }
})();

function onBackend<T>(name: string, fn: () => T): T {
  const suite = getBackend();
  try { setBackend(name); return fn(); } finally { setBackend(suite); }
}

/** mayDecline: oneDNN may pick layouts the fusion does not take (then the ops run apart, as tested). */
interface Case { mayDecline?: boolean; name: string; x: number[]; out: number; kernel: number; conv: mn.nn.Conv2dLayerOptions; pool: [number, mn.nn.functional.MaxPool2dOptions] }
const CASES: Case[] = [
  { name: "the CNN's first block (1 → 32 channels, 28x28, pool 2)", x: [4, 1, 28, 28], out: 32, kernel: 3, conv: {}, pool: [2, {}] },
  { name: "the CNN's second block (32 → 64, 13x13: the floor drops a row and a column)", x: [3, 32, 13, 13], out: 64, kernel: 3, conv: {}, pool: [2, {}] },
  { name: "20 channels (a padded channel block), overlapping windows 3 stride 2 padding 1", x: [2, 3, 17, 19], out: 20, kernel: 3, conv: { padding: 1 }, pool: [3, { stride: 2, padding: 1 }] },
  { name: "5 channels, no bias, ceil mode", x: [3, 2, 11, 10], out: 5, kernel: 3, conv: { bias: false }, pool: [2, { ceilMode: true }] },
  { mayDecline: true, name: "groups 2, stride 2 convolution, dilated pooling", x: [2, 4, 15, 14], out: 8, kernel: 3, conv: { groups: 2, stride: 2, padding: 1 }, pool: [2, { dilation: 2 }] },
];

function layers(c: Case, seed: number): [mn.nn.Conv2d, mn.nn.ReLU, mn.nn.MaxPool2d] {
  const conv = new mn.nn.Conv2d(c.x[1]!, c.out, c.kernel, { ...c.conv, generator: new mn.Generator(seed) });
  return [conv, new mn.nn.ReLU(), new mn.nn.MaxPool2d(c.pool[0], c.pool[1])];
}

/**
 * The output and the gradients (x, weight, bias) of the layers: fused by a Sequential, run one by one ("apart"), or
 * as the Sequential ran them before the fusion ("conv+relu": Conv2d.forwardRelu, then the pooling).
 */
function run(c: Case, how: "fused" | "apart" | "conv+relu", x: mn.Tensor, gy: mn.Tensor | null, seed = 3): { y: mn.Tensor; grads: mn.Tensor[]; kernels: string[] } {
  const [conv, relu, pool] = layers(c, seed);
  const model = new mn.nn.Sequential(conv, relu, pool);
  const params = conv.bias ? [x, conv.weight, conv.bias] : [x, conv.weight];
  const { value, trace } = record(() => {
    const y = how === "fused" ? model.forward(x) : how === "apart" ? pool.forward(relu.forward(conv.forward(x))) : pool.forward(conv.forwardRelu(x));
    return { y, grads: mn.autograd.grad([y], params, { gradOutputs: [gy ?? mn.onesLike(y)] }) as mn.Tensor[] };
  });
  return { ...value, kernels: trace.calls.map((k) => k.kernel) };
}

function assertIdentical(got: mn.Tensor, want: mn.Tensor, label: string): void {
  assert.deepEqual(got.shape, want.shape, label);
  for (let i = 0; i < want.data.length; i++) {
    if (!Object.is(got.data[i], want.data[i])) assert.fail(`${label}: element ${i}: fused ${got.data[i]}, apart ${want.data[i]}`);
  }
}

/** |got − want| ≤ 1e-5 · max|want| elementwise (float32 sums in another order). */
function assertClose(got: mn.Tensor, want: mn.Tensor, label: string): void {
  assert.deepEqual(got.shape, want.shape, label);
  const scale = Math.max(1e-30, ...Array.from(want.data, Math.abs));
  for (let i = 0; i < want.data.length; i++) {
    if (!(Math.abs(got.data[i]! - want.data[i]!) <= 1e-5 * scale)) assert.fail(`${label}: element ${i}: native ${got.data[i]}, js ${want.data[i]}`);
  }
}

const WHAT = ["output", "grad x", "grad weight", "grad bias"];

describe("conv → ReLU → max pooling fused on the native backend (oneDNN)", { skip: hasFusion ? false : "the addon was built without oneDNN" }, () => {
  for (const c of CASES) {
    test(`${c.name}: output and gradients equal the three ops apart on native, bit for bit`, () => {
      const gen = new mn.Generator(11);
      const x = mn.randn(c.x, { generator: gen, requiresGrad: true });
      onBackend("native", () => {
        const gy = mn.randn(run(c, "fused", x, null).y.shape, { generator: gen });
        const a = run(c, "fused", x, gy);
        assert.ok(a.kernels.includes("convolution.forwardReluMaxPool"), a.kernels.join(", "));
        const tookFusion = a.kernels.includes("convolution.backwardReluMaxPool");
        if (!c.mayDecline) assert.ok(tookFusion, a.kernels.join(", "));
        // Declined, the op runs the convolution with oneDNN's ReLU post-op, whose zeros for negative sums are -0
        // (ReLU apart gives +0): the reference is then what Sequential ran before the fusion.
        const b = run(c, tookFusion ? "apart" : "conv+relu", x, gy);
        assert.ok(!b.kernels.includes("convolution.forwardReluMaxPool"));
        [a.y, ...a.grads].forEach((t, i) => assertIdentical(t, [b.y, ...b.grads][i]!, `${c.name} ${WHAT[i]}`));
      });
    });

    test(`${c.name}: output and gradients equal the js backend's (float32)`, () => {
      const gen = new mn.Generator(12);
      const x = mn.randn(c.x, { generator: gen, requiresGrad: true });
      const native = onBackend("native", () => run(c, "fused", x, null));
      const gy = mn.randn(native.y.shape, { generator: gen });
      const [js, fused] = [onBackend("js", () => run(c, "fused", x, gy)), onBackend("native", () => run(c, "fused", x, gy))];
      [fused.y, ...fused.grads].forEach((t, i) => assertClose(t, [js.y, ...js.grads][i]!, `${c.name} ${WHAT[i]}`));
    });
  }

  test("an input without grad: no gradient pass for it, the weights' gradients still equal the ops apart", () => {
    const c = CASES[0]!;
    const x = mn.randn(c.x, { generator: new mn.Generator(13) });
    onBackend("native", () => {
      const [conv, relu, pool] = layers(c, 3);
      const apart = mn.autograd.grad([pool.forward(relu.forward(conv.forward(x))).sum()], [conv.weight, conv.bias!]);
      const fused = mn.autograd.grad([new mn.nn.Sequential(conv, relu, pool).forward(x).sum()], [conv.weight, conv.bias!]);
      fused.forEach((g, i) => assertIdentical(g!, apart[i]!, WHAT[i + 2]!));
    });
  });

  test("NaN and infinity in the input: ReLU keeps the NaN, the pooling picks it, as the ops apart (torch's rules)", () => {
    const c = CASES[2]!;
    const x = mn.randn(c.x, { generator: new mn.Generator(14), requiresGrad: true });
    x.data[5] = NaN;
    x.data[40] = Infinity;
    x.data[77] = -Infinity;
    onBackend("native", () => {
      const gy = mn.randn(run(c, "fused", x, null).y.shape, { generator: new mn.Generator(15) });
      const [a, b] = [run(c, "fused", x, gy), run(c, "apart", x, gy)];
      assert.ok(Array.from(a.y.data).some(Number.isNaN), "a NaN reaches the output");
      [a.y, ...a.grads].forEach((t, i) => assertIdentical(t, [b.y, ...b.grads][i]!, `NaN input ${WHAT[i]}`));
    });
  });

  test("second derivatives go through the im2col form: Hessian-vector products equal the js backend's", () => {
    const c = CASES[2]!;
    const gen = new mn.Generator(16);
    const x = mn.randn(c.x, { generator: gen, requiresGrad: true });
    const [conv, relu, pool] = layers(c, 3);
    const v = mn.randn(conv.weight.shape, { generator: gen });
    const hv = () => {
      const [gw] = mn.autograd.grad([new mn.nn.Sequential(conv, relu, pool).forward(x).square().sum()], [conv.weight], { createGraph: true });
      return mn.autograd.grad([gw!.mul(v).sum()], [x, conv.weight]);
    };
    const [js, native] = [onBackend("js", hv), onBackend("native", hv)];
    assertClose(native[0]!, js[0]!, "Hv with respect to x");
    assertClose(native[1]!, js[1]!, "Hv with respect to w");
  });

  test("a backward the library declines after taking the forward is an error naming the op", () => {
    onBackend("native", () => {
      const conv = kernels().convolution!;
      const backward = conv.backwardReluMaxPool!;
      const c = CASES[0]!;
      const x = mn.randn(c.x, { generator: new mn.Generator(17) });
      const [a, relu, pool] = layers(c, 3);
      const y = new mn.nn.Sequential(a, relu, pool).forward(x).sum();
      conv.backwardReluMaxPool = () => false;
      try {
        assert.throws(() => y.backward(), {
          name: "BackendError",
          message: "conv2d: the backend's convolution took the fused forward pass (ReLU, max pooling) but declined its backward",
        });
      } finally {
        conv.backwardReluMaxPool = backward;
      }
    });
  });

  test("mn.compile replays the fused kernels: a CNN's losses and weights after 3 steps equal eager's bit for bit", () => {
    onBackend("native", () => {
      const gen = new mn.Generator(18);
      const batches = [0, 1, 2].map(() => [mn.randn([8, 1, 12, 12], { generator: gen }), mn.randint(0, 10, [8], { generator: gen })] as const);
      const train = (compiled: boolean) => {
        const model = new mn.nn.Sequential(new mn.nn.Conv2d(1, 6, 3, { generator: new mn.Generator(1) }), new mn.nn.ReLU(), new mn.nn.MaxPool2d(2),
          new mn.nn.Flatten(), new mn.nn.Linear(150, 10, { generator: new mn.Generator(2) }));
        const opt = new mn.optim.Adam(model.parameters(), { lr: 1e-2 });
        const body = (x: mn.Tensor, y: mn.Tensor) => { opt.zeroGrad(); const loss = mn.nn.functional.crossEntropy(model.forward(x), y); loss.backward(); opt.step(); return loss; };
        const step = compiled ? mn.compile(body) : (x: mn.Tensor, y: mn.Tensor) => body(x, y).item();
        const losses = batches.map(([x, y]) => step(x, y));
        if (compiled) assert.equal((step as mn.CompiledStep<mn.Tensor[]>).capture.lastRun, "replayed");
        return { losses, weights: model.parameters() };
      };
      const [eager, compiled] = [train(false), train(true)];
      assert.deepEqual(compiled.losses, eager.losses);
      compiled.weights.forEach((p, i) => assertIdentical(p, eager.weights[i]!, `parameter ${i}`));
    });
  });
});
