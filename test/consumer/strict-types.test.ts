import { test } from "node:test";
import assert from "node:assert/strict";
import { compileConsumer } from "./strict-project.js";

// The public types as a strict consumer project sees them (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess,
// NodeNext; the published .d.ts through package.json's "exports"). Each file must compile; a `@ts-expect-error` line
// must be refused (an unused directive is an error too), so each of them is a check that the types stay narrow.
const FILES: Record<string, string> = {
  "modules.ts": `
import * as mn from "minima-ml";
import type { Tensor } from "minima-ml";

// A layer written as before any type arguments existed: forward(x: Tensor): Tensor, and one with two inputs.
class Plain extends mn.nn.Module {
  fc = this.registerModule("fc", new mn.nn.Linear(4, 2));
  forward(x: Tensor): Tensor { return this.fc.forward(x).relu(); }
}
class TwoInputs extends mn.nn.Module {
  forward(x: Tensor, mask: Tensor): Tensor { return x.mul(mask); }
}
// Extra arguments and a tuple output, named in the type arguments.
class Heads extends mn.nn.Module<[x: Tensor, scale: number], [logits: Tensor, value: Tensor]> {
  body = new mn.nn.Linear(4, 3);
  forward(x: Tensor, scale: number): [Tensor, Tensor] {
    const h = this.body.forward(x).mul(scale);
    return [h, h.sum(1)];
  }
}
class Agent extends mn.nn.Module {
  heads = this.registerModule("heads", new Heads());     // a tuple-output child registers like any other
  forward(x: Tensor): Tensor {
    const [logits, value] = this.heads.forward(x, 2);
    return logits.add(value.unsqueeze(1));
  }
}
const x = mn.randn([5, 4]);
const [logits, value]: [Tensor, Tensor] = new Heads().forward(x, 0.5);
const y: Tensor = new Plain().forward(x);
const z: Tensor = new TwoInputs().forward(x, x);
const a: Tensor = new Agent().forward(x);
// @ts-expect-error -- the second argument is a number
new Heads().forward(x, x);
// @ts-expect-error -- the output is a tuple, not a Tensor
const notOne: Tensor = new Heads().forward(x, 1);

// Sequential chains Tensor → Tensor layers, the new activations' and user layers' plain forward included.
const seq = new mn.nn.Sequential(new mn.nn.Linear(4, 4), new mn.nn.ReLU(), new Plain(), new mn.nn.Identity());
const out: Tensor = seq.forward(x);
const first: mn.nn.SequentialLayer | undefined = seq.layers[0];
// @ts-expect-error -- a module of two inputs cannot be a Sequential's layer
new mn.nn.Sequential(new mn.nn.Linear(4, 4), new TwoInputs());
// @ts-expect-error -- nor one with a tuple output
new mn.nn.Sequential(new Heads());

// children() and modules() hold modules of any signature: narrow before calling forward.
for (const child of new Agent().children()) {
  if (child instanceof Heads) child.forward(x, 1);
  // @ts-expect-error -- an unknown module's forward takes nothing callable
  child.forward(x);
}
const anyOf: mn.nn.AnyModule[] = [new Heads(), new Plain(), seq];
// Functions over any module's parameters take them all; fit and the optimizers as before.
const decayed: Tensor[] = mn.nn.decayedParameters(new Agent());
const model: mn.nn.Module = seq;
export { logits, value, y, z, a, notOne, out, first, anyOf, decayed, model };
`,
  "data.ts": `
import * as mn from "minima-ml";
import type { Tensor } from "minima-ml";

const ds = new mn.data.TensorDataset(mn.randn([10, 3]), mn.randint(0, 2, [10]));
const [x0, y0]: [Tensor, Tensor] = ds.get(0);
const [images, labels]: [Tensor, Tensor] = ds.tensors;
// @ts-expect-error -- a two-tensor dataset has no third field
const [, , none] = ds.get(0);
for (const [x, y] of new mn.data.DataLoader(ds, { batchSize: 4, shuffle: true })) {
  const both: [Tensor, Tensor] = [x, y];
  void both;
}
// randomSplit: one part per literal length, each as typed as the whole.
const [train, val] = mn.data.randomSplit(ds, [0.8, 0.2], { generator: new mn.Generator(0) });
const parts: [mn.data.TensorDataset<[Tensor, Tensor]>, mn.data.TensorDataset<[Tensor, Tensor]>] = [train, val];
// @ts-expect-error -- two lengths, two parts
const [, , third] = mn.data.randomSplit(ds, [5, 5]);
const many: mn.data.TensorDataset<[Tensor, Tensor]>[] = mn.data.randomSplit(ds, [2, 3, 5] as number[]);
// A Subset and any user dataset keep the sample type through the loader and the split.
const sub = new mn.data.Subset(ds, [0, 2, 4]);
for (const [x, y] of new mn.data.DataLoader(sub, { batchSize: 2 })) void [x.shape, y.shape];
const triples: mn.data.Dataset<[Tensor, Tensor, Tensor]> = { length: 4, get: (i) => [mn.zeros([2]), mn.ones([1]), mn.full([1], i)] };
const [p, q] = mn.data.randomSplit(triples, [3, 1]);
for (const [u, v, w] of new mn.data.DataLoader(p, { batchSize: 2 })) void [u.shape, v.shape, w.shape, q.length];
// The loaders of the Node entry: [images, labels].
const { train: digits, test } = mn.data.mnist();
const [xt, yt]: [Tensor, Tensor] = test.tensors;
// fit takes the typed datasets, and its transform gets the [input, target] batch as a pair.
const model = mn.nn.mlp({ inputs: 3, hidden: [4], outputs: 2 });
mn.train.fit(model, {
  train, val, optimizer: new mn.optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 1, batchSize: 4,
  transform: ([x, y], g) => [mn.data.transforms.gaussianNoise(x, { std: 0.1, generator: g }), y],
});
// Tensor[] samples (an untyped dataset) still go everywhere they went.
const loose: mn.data.Dataset<Tensor[]> = ds;
const looseLoader: mn.data.DataLoader = new mn.data.DataLoader(loose);
export { x0, y0, images, labels, none, parts, third, many, digits, xt, yt, looseLoader };
`,
};

test("the public types in a strict consumer project (tsc: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, NodeNext): typed forward, Sequential, datasets, loaders, randomSplit; every @ts-expect-error refused", () => {
  const errors = compileConsumer(FILES).map((e) => `${e.file}:${e.line}: ${e.message}`);
  assert.deepEqual(errors, []);
});
