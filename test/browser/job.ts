/**
 * A fixed job the browser guard test runs twice, on the core bundle in a Chromium Web Worker and on the
 * core in Node, with the js backend both times: the two must agree bit for bit. It touches the paths a
 * browser user takes: tensors, autograd with double backward, nn, optim and the js kernels.
 */
import type * as Core from "../../src/index.js";

export interface JobResult {
  /** Rosenbrock's value before each of 100 Adam steps, then the final point (float64). */
  rosenbrock: number[];
  /** A small MLP's loss before each of 20 SGD steps (momentum, Nesterov), then every final parameter (float32). */
  mlp: number[];
  /** The Hessian-vector product of the MLP's loss at its final parameters, with a fixed direction. */
  hvp: number[];
}

export function runJob(mn: typeof Core): JobResult {
  mn.setBackend("js");
  mn.manualSeed(7);

  const p = mn.tensor([-1.5, 2], { dtype: "float64", requiresGrad: true });
  const adam = new mn.optim.Adam([p], { lr: 0.02 });
  const rosenbrock: number[] = [];
  for (let i = 0; i < 100; i++) {
    adam.zeroGrad();
    const [x, y] = [p.index(0), p.index(1)];
    const f = mn.square(mn.sub(1, x)).add(mn.square(y.sub(x.square())).mul(100));
    rosenbrock.push(f.item());
    f.backward();
    adam.step();
  }
  rosenbrock.push(...Array.from(p.data));

  const g = new mn.Generator(11);
  const xs = mn.randn([32, 8], { generator: g });
  const ys = mn.randint(0, 3, [32], { generator: g });
  const model = mn.nn.mlp({ inputs: 8, hidden: [16, 16], outputs: 3, activation: "tanh" });
  const sgd = new mn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
  const mlp: number[] = [];
  for (let i = 0; i < 20; i++) {
    sgd.zeroGrad();
    const loss = mn.nn.functional.crossEntropy(model.forward(xs), ys);
    mlp.push(loss.item());
    loss.backward();
    sgd.step();
  }
  const params = model.parameters();
  for (const t of params) mlp.push(...Array.from(t.data));

  const loss = mn.nn.functional.crossEntropy(model.forward(xs), ys);
  const grads = mn.autograd.grad(loss, params, { createGraph: true });
  const v = params.map((t) => mn.randn(t.shape, { generator: g }));
  const gv = grads.map((gi, i) => gi.mul(v[i]!).sum()).reduce((a, b) => a.add(b));
  const hvp = mn.autograd.grad(gv, params).flatMap((h) => Array.from(h.data));
  return { rosenbrock, mlp, hvp };
}
