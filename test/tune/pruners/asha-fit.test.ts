import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../../src/index.node.js";
import { digits, sameWeights, tmp } from "../../train/fit-helpers.js";

const { ATTR } = mn.tune;
const EPOCHS = 4;

describe("AshaPruner with mn.train.fit: a promoted trial resumes from its checkpoint", () => {
  test("a trial paused at a rung and promoted later ends bit-identical to an uninterrupted run of its parameters (weights, val losses)", () => {
    const root = tmp();
    try {
      const { train, val } = digits(96);
      const build = (number: number, lr: number) => {
        mn.manualSeed(1000 + number);
        const model = mn.nn.mlp({ inputs: 784, hidden: [16], outputs: 10 });
        return { model, optimizer: new mn.optim.SGD(model.parameters(), { lr, momentum: 0.9 }) };
      };
      const options = (optimizer: mn.train.FitOptions["optimizer"], callbacks: mn.train.Callback[], resume: mn.train.Checkpoint | null): mn.train.FitOptions =>
        ({ train, val, optimizer, epochs: EPOCHS, batchSize: 32, seed: 5, verbose: 0, callbacks, resume });
      const claims = new Map<number, number>();
      const firstEpochs = new Map<number, number[]>(); // per trial, the first epoch each claim trained
      const warnings: string[] = [];
      const finalModels = new Map<number, mn.nn.Module>();

      const study = mn.tune.createStudy({
        sampler: new mn.tune.RandomSampler({ seed: 3 }),
        pruner: new mn.tune.AshaPruner({ minResource: 1, maxResource: EPOCHS, reductionFactor: 2 }),
        onWarning: (m) => warnings.push(m),
      });
      study.optimize((trial) => {
        claims.set(trial.number, (claims.get(trial.number) ?? 0) + 1);
        const lr = trial.suggestFloat("lr", 1e-3, 0.3, { log: true });
        const dir = join(root, `trial-${trial.number}`);
        const { model, optimizer } = build(trial.number, lr);
        const from = trial.systemAttrs[ATTR.resumeFrom];
        const resume = typeof from === "string" ? mn.train.loadCheckpoint(from, "last") : null;
        // The pause stopped fit (ctx.stop), which the checkpoint records; fit keeps a stopped run stopped,
        // so a promotion clears the stop to continue the run.
        if (resume) resume.state.history.stopReason = null;
        let paused = false;
        let began = false;
        const tune = new mn.train.callbacks.LambdaCallback({
          onEpochBegin: (_ctx, epoch) => {
            if (!began) firstEpochs.set(trial.number, [...(firstEpochs.get(trial.number) ?? []), epoch]);
            began = true;
          },
          onEpochEnd: (ctx, log) => {
            trial.setSystemAttr(ATTR.checkpoint, dir); // ModelCheckpoint saves this epoch as "last" after this callback
            trial.report(log.valLoss!, log.epoch);
            if (trial.shouldPrune()) { paused = true; ctx.stop("paused by ASHA"); }
          },
        });
        mn.train.fit(model, options(optimizer, [tune, new mn.train.callbacks.ModelCheckpoint({ dir })], resume));
        if (paused) throw new mn.tune.TrialPruned();
        finalModels.set(trial.number, model);
        return trial.frozen().intermediateValues.get(EPOCHS)!;
      }, { nTrials: 16 });

      const promoted = study.trials.filter((t) => t.state === "COMPLETE" && (claims.get(t.number) ?? 0) > 1);
      assert.ok(promoted.length > 0, `no trial was paused and later completed: claims ${JSON.stringify([...claims])}`);
      assert.ok(study.trials.some((t) => t.state === "WAITING"), "some trials stay paused");
      assert.deepEqual(warnings, []);
      for (const t of promoted) {
        const { model, optimizer } = build(t.number, t.params["lr"] as number);
        const whole = mn.train.fit(model, options(optimizer, [new mn.train.callbacks.ModelCheckpoint({ dir: join(root, `whole-${t.number}`) })], null));
        const starts = firstEpochs.get(t.number)!;
        assert.ok(starts[0] === 1 && starts.slice(1).every((e, i) => e > starts[i]!), `trial ${t.number}: each claim continues where the last paused: ${starts}`);
        sameWeights(finalModels.get(t.number)!, model);
        assert.deepEqual([...t.intermediateValues.values()], whole.epochs.map((e) => e.valLoss));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
