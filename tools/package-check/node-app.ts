// A strict TypeScript consumer on Node (NodeNext resolution picks the "node" condition): the Node entry's types.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "minima-ml";

const { train } = mn.data.mnist();
const model: mn.nn.Module = mn.nn.mlp({ inputs: 784, hidden: [16], outputs: 10 });
const optimizer = new mn.optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
const scheduler = new mn.optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: 10 });
const history: mn.train.History = mn.train.fit(model, {
  train, optimizer, scheduler, epochs: 1, batchSize: 128,
  callbacks: [new mn.train.callbacks.EarlyStopping({ monitor: "loss", patience: 2 })],
});
const dir = mkdtempSync(join(tmpdir(), "minima-consumer-"));
mn.io.saveSafetensors(join(dir, "model.safetensors"), model.stateDict());
const loaded: Record<string, mn.Tensor> = mn.io.loadSafetensors(join(dir, "model.safetensors"));
rmSync(dir, { recursive: true });
const first = history.epochs[0];
console.log(first ? first.loss : NaN, Object.keys(loaded).length, mn.getBackend());
