import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { compareCommand } from "../../src/cli/commands/compare.js";
import { scheduleCommand, scheduleCurve } from "../../src/cli/commands/schedule.js";
import { trainCommand } from "../../src/cli/commands/train.js";
import type { PreparedData } from "../../src/cli/dataset.js";
import { FLAG_RULES } from "../../src/cli/flag-rules.js";
import { buildModel, MODELS, type ModelChoice } from "../../src/cli/models.js";
import { makeOptimizer, OPTIMIZER_NAMES, type OptimizerFlags } from "../../src/cli/optimizers.js";
import { makeSchedule, SCHEDULE_NAMES, type ScheduleFlags } from "../../src/cli/schedules.js";
import { SGD } from "../../src/optim/sgd.js";
import * as S from "../../src/schedule/index.js";
import { zeros } from "../../src/tensor/create.js";
import { manualSeed } from "../../src/tensor/random.js";
import { parseCli, useCli, type Verdict } from "./run-minima.js";

const cli = useCli();

const train = (...argv: string[]) => parseCli(trainCommand, ...argv);
const compare = (...argv: string[]) => parseCli(compareCommand, ...argv);
const schedule = (...argv: string[]) => parseCli(scheduleCommand, ...argv);
const refused = (error: string): Verdict => ({ error, warnings: [] });
const accepted: Verdict = { error: null, warnings: [] };

describe("flags that do nothing for the chosen model, optimizer or schedule are refused (FLAG_RULES, read off the builders)", () => {
  test("model flags: each builder's own (models.ts: mlp takes hidden/activation/init/dropout/batch norm; resmlp hidden[0]/activation/dropout/blocks/drop-path; cnn channels/hidden/dropout/batch norm)", () => {
    assert.deepEqual(train("--blocks", "3"), refused("minima: --blocks: does nothing with --model mlp (the default); it acts with --model resmlp"));
    assert.deepEqual(train("--model", "cnn", "--drop-path", "0.1"), refused("minima: --drop-path: does nothing with --model cnn; it acts with --model resmlp"));
    assert.deepEqual(train("--model", "resmlp", "--batch-norm", "--init", "kaiming-normal"),
      refused("minima: --batch-norm: does nothing with --model resmlp (resmlp has no batch norm); it acts with --model mlp or cnn"));
    assert.deepEqual(train("--model", "resmlp", "--init", "kaiming-normal"),
      refused("minima: --init: does nothing with --model resmlp (resmlp and cnn keep PyTorch's default initialization); it acts with --model mlp"));
    assert.deepEqual(train("--channels", "8"), refused("minima: --channels: does nothing with --model mlp (the default); it acts with --model cnn"));
    assert.deepEqual(train("--model", "cnn", "--activation", "tanh"), refused("minima: --activation: does nothing with --model cnn (the cnn uses ReLU throughout); it acts with --model mlp or resmlp"));
  });

  test("model flags whose layers a value removes: --hidden none, --blocks 0; resmlp's single width", () => {
    assert.deepEqual(train("--hidden", "none", "--dropout", "0.2"), refused("minima: --dropout: does nothing: --hidden none leaves no hidden layer to drop out"));
    assert.deepEqual(train("--model", "cnn", "--hidden", "none", "--dropout", "0.2"), refused("minima: --dropout: does nothing: --hidden none leaves no hidden layer to drop out"));
    assert.deepEqual(train("--hidden", "none", "--batch-norm"), refused("minima: --batch-norm: does nothing: --hidden none leaves no hidden layer to normalize"));
    assert.deepEqual(train("--hidden", "none", "--activation", "gelu"), refused("minima: --activation: does nothing: --hidden none leaves no hidden layer"));
    assert.deepEqual(train("--model", "resmlp", "--blocks", "0", "--dropout", "0.1"), refused("minima: --dropout: does nothing: --blocks 0 leaves no residual block, where resmlp's dropout goes"));
    assert.deepEqual(train("--model", "resmlp", "--blocks", "0", "--drop-path", "0.1"), refused("minima: --drop-path: does nothing: --blocks 0 leaves no residual block to drop"));
    assert.deepEqual(train("--model", "resmlp", "--hidden", "64,32"), refused("minima: --hidden: --model resmlp takes one width, for its stem and every block (--blocks sets the depth); got 64,32"));
    assert.deepEqual(train("--model", "resmlp", "--hidden", "none"), refused("minima: --hidden: --model resmlp takes one width, for its stem and every block (--blocks sets the depth); got none"));
    // The cnn's conv blocks keep their batch norm without dense hidden layers; resmlp's stem keeps its activation.
    assert.deepEqual(train("--model", "cnn", "--hidden", "none", "--batch-norm", "--channels", "8"), accepted);
    assert.deepEqual(train("--model", "resmlp", "--blocks", "0", "--activation", "tanh", "--hidden", "32"), accepted);
  });

  test("optimizer flags: the hyperparameters optimizers.ts hands each optimizer", () => {
    assert.deepEqual(train("--optimizer", "adam", "--momentum", "0.9"), refused("minima: --momentum: does nothing with --optimizer adam; it acts with --optimizer sgd, momentum, nesterov or rmsprop"));
    assert.deepEqual(train("--momentum", "0"), refused("minima: --momentum: 0 does nothing with --optimizer momentum, which keeps μ = 0.9 (it needs a momentum); for plain SGD choose sgd"));
    assert.deepEqual(train("--optimizer", "rmsprop", "--nesterov"), refused("minima: --nesterov: does nothing with --optimizer rmsprop; it acts with --optimizer sgd (--optimizer nesterov is SGD with it on)"));
    assert.deepEqual(train("--nesterov"), refused("minima: --nesterov: does nothing with --optimizer momentum (the default); it acts with --optimizer sgd (--optimizer nesterov is SGD with it on)"));
    assert.deepEqual(train("--optimizer", "sgd", "--betas", "0.9,0.99"), refused("minima: --betas: does nothing with --optimizer sgd; it acts with --optimizer adam, adamw, adamax, nadam, radam or lion"));
    assert.deepEqual(train("--optimizer", "lion", "--eps", "1e-6"), refused("minima: --eps: does nothing with --optimizer lion; it acts with --optimizer adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam or radam"));
    // SGD with Nesterov and no momentum fails in its constructor (PyTorch's "Nesterov momentum requires a momentum").
    assert.deepEqual(train("--optimizer", "sgd", "--nesterov"), refused("minima: --nesterov: needs a momentum to look ahead along: add --momentum (e.g. 0.9), or choose --optimizer nesterov (μ = 0.9)"));
    assert.deepEqual(train("--optimizer", "sgd", "--nesterov", "--momentum", "0"), refused("minima: --nesterov: needs a momentum to look ahead along: add --momentum (e.g. 0.9), or choose --optimizer nesterov (μ = 0.9)"));
    assert.throws(() => makeOptimizer("sgd", [zeros([1], { requiresGrad: true })], { nesterov: true }), /Nesterov momentum requires a momentum/);
    for (const ok of [["--optimizer", "sgd", "--momentum", "0.9", "--nesterov"], ["--optimizer", "nesterov", "--momentum", "0.8"], ["--optimizer", "rmsprop", "--momentum", "0.5", "--eps", "1e-6"],
      ["--optimizer", "lion", "--betas", "0.9,0.99", "--weight-decay", "0.1"], ["--optimizer", "adadelta", "--eps", "1e-5"]]) assert.deepEqual(train(...ok), accepted, ok.join(" "));
  });

  test("schedule flags: the options schedules.ts builds each schedule with", () => {
    const cases: [string[], string][] = [
      [["--gamma", "0.5"], "--gamma: does nothing without --schedule; it acts with --schedule step, multistep or exponential"],
      [["--schedule", "cosine", "--step-size", "10"], "--step-size: does nothing with --schedule cosine; it acts with --schedule step"],
      [["--schedule", "step", "--milestones", "10,20"], "--milestones: does nothing with --schedule step; it acts with --schedule multistep"],
      [["--schedule", "linear", "--t-max", "100"], "--t-max: does nothing with --schedule linear; it acts with --schedule cosine"],
      [["--schedule", "step", "--eta-min", "0.001"], "--eta-min: does nothing with --schedule step; it acts with --schedule cosine or cosine-restarts"],
      [["--schedule", "cosine", "--t0", "10"], "--t0: does nothing with --schedule cosine; it acts with --schedule cosine-restarts"],
      [["--schedule", "cosine", "--t-mult", "3"], "--t-mult: does nothing with --schedule cosine; it acts with --schedule cosine-restarts"],
      [["--schedule", "exponential", "--decay-rate", "2"], "--decay-rate: does nothing with --schedule exponential; it acts with --schedule inverse-time"],
      [["--schedule", "cosine", "--power", "2"], "--power: does nothing with --schedule cosine; it acts with --schedule polynomial"],
      [["--schedule", "cosine", "--max-lr", "0.1"], "--max-lr: does nothing with --schedule cosine; it acts with --schedule one-cycle or cyclic"],
      [["--schedule", "step", "--factor", "0.5"], "--factor: does nothing with --schedule step; it acts with --schedule plateau"],
      [["--patience", "3"], "--patience: does nothing without --schedule; it acts with --schedule plateau"],
      [["--schedule", "plateau", "--warmup", "100"], "--warmup: does nothing with --schedule plateau (warmup steps per batch, plateau per epoch); choose another schedule or drop --warmup"],
      [["--schedule", "one-cycle", "--max-lr", "0.1", "--lr", "0.01"], "--lr: does nothing with --schedule one-cycle and --max-lr: the cycle runs from max-lr/25 up to max-lr and down"],
      [["--schedule", "cyclic", "--lr-for", "3.=0.01"], "--lr-for: does nothing with --schedule cyclic (it drives every parameter group's lr from one --max-lr); choose another schedule or drop --lr-for"],
    ];
    for (const [argv, error] of cases) assert.deepEqual(train(...argv), refused(`minima: ${error}`), argv.join(" "));
    for (const ok of [["--warmup", "100"], ["--schedule", "cosine", "--warmup", "10", "--t-max", "100", "--eta-min", "0.001"], ["--schedule", "one-cycle", "--lr", "0.01"],
      ["--schedule", "cyclic", "--lr", "0.01", "--max-lr", "0.1"], ["--schedule", "plateau", "--factor", "0.5", "--patience", "1"], ["--schedule", "cosine", "--lr-for", "3.=0.01"]]) {
      assert.deepEqual(train(...ok), accepted, ok.join(" "));
    }
  });

  test("minima schedule <name> checks its flags against the schedule it draws", () => {
    assert.deepEqual(schedule("cosine", "--gamma", "0.5"), refused("minima: --gamma: does nothing with schedule cosine; it acts with schedule step, multistep or exponential"));
    assert.deepEqual(schedule("plateau", "--warmup", "5"), refused("minima: --warmup: does nothing with schedule plateau (warmup steps per batch, plateau per epoch); choose another schedule or drop --warmup"));
    assert.deepEqual(schedule("one-cycle", "--lr", "0.1", "--max-lr", "1"), refused("minima: --lr: does nothing with schedule one-cycle and --max-lr: the cycle runs from max-lr/25 up to max-lr and down"));
    const epochs = "it sets the defaults of step (--step-size), cosine-restarts (--t0), inverse-time, inverse-sqrt, cyclic and plateau";
    assert.deepEqual(schedule("cosine", "--steps-per-epoch", "5"), refused(`minima: --steps-per-epoch: does nothing with schedule cosine: ${epochs}`));
    assert.deepEqual(schedule("step", "--step-size", "10", "--steps-per-epoch", "5"), refused(`minima: --steps-per-epoch: does nothing with schedule step and --step-size: ${epochs}`));
    assert.deepEqual(schedule("cosine-restarts", "--t0", "10", "--steps-per-epoch", "5"), refused(`minima: --steps-per-epoch: does nothing with schedule cosine-restarts and --t0: ${epochs}`));
    for (const ok of [["step", "--steps-per-epoch", "5"], ["cyclic", "--steps-per-epoch", "5", "--lr", "0.1"], ["cosine-restarts", "--t0", "5", "--t-mult", "1", "--eta-min", "0.01"]]) {
      assert.deepEqual(schedule(...ok), accepted, ok.join(" "));
    }
  });

  test("only flags the user gave count: the defaults (--blocks 2, --channels 32,64, --eta-min 0, --t-mult 2, --factor, --patience, …) never trigger a rule", () => {
    assert.deepEqual(train(), accepted);
    assert.deepEqual(compare(), accepted);
    for (const name of ["constant", "cosine", "plateau", "one-cycle"]) assert.deepEqual(schedule(name), accepted, name);
    // --resume takes its flags from the run's config.json, checked when the run started.
    assert.deepEqual(train("--resume", "some-run"), accepted);
  });

  test("every rule of FLAG_RULES names a flag that train, compare or schedule has (none is left behind by a renamed flag)", () => {
    const longs = new Set([trainCommand(), compareCommand(), scheduleCommand()].flatMap((c) => c.options.map((o) => o.long)));
    for (const rule of FLAG_RULES) assert.ok(longs.has(rule.flag), rule.flag);
  });
});

describe("warned, not refused: flags that act, but not as their help says, where refusing would break a legitimate use", () => {
  test("--early-stopping and --schedule plateau with --val-fraction 0 watch the training loss", () => {
    assert.deepEqual(train("--early-stopping", "3", "--val-fraction", "0"),
      { error: null, warnings: ["minima: warning: --early-stopping: watches the training loss: --val-fraction 0 leaves no validation set"] });
    assert.deepEqual(train("--schedule", "plateau", "--val-fraction", "0"),
      { error: null, warnings: ["minima: warning: --schedule: plateau watches the training loss: --val-fraction 0 leaves no validation set"] });
  });

  test("compare: a flag that acts with some of --optimizers is a warning naming the others; with none of them, refused", () => {
    assert.deepEqual(compare("--betas", "0.9,0.99"), { error: null, warnings: ["minima: warning: --betas: sgd, momentum, nesterov, adagrad and rmsprop run without it; it acts with --optimizers adam, adamw, adamax, nadam, radam or lion"] });
    assert.deepEqual(compare("--optimizers", "sgd,momentum", "--momentum", "0"),
      { error: null, warnings: ["minima: warning: --momentum: 0 does nothing with --optimizers momentum, which keeps μ = 0.9 (it needs a momentum); for plain SGD choose sgd"] });
    assert.deepEqual(compare("--optimizers", "adam,nadam", "--momentum", "0.9"), refused("minima: --momentum: does nothing with --optimizers adam, nadam; it acts with --optimizers sgd, momentum, nesterov or rmsprop"));
    assert.deepEqual(compare("--optimizers", "sgd,adam", "--model", "cnn", "--activation", "tanh"), refused("minima: --activation: does nothing with --model cnn (the cnn uses ReLU throughout); it acts with --model mlp or resmlp"));
  });
});

describe("through the CLI: the rules and hints in real processes", () => {
  test("a refused flag exits 2 with one line on stderr; a compare warning is one stderr line and the run goes on", () => {
    const idle = cli.run("schedule", "cosine", "--gamma", "0.5");
    assert.deepEqual([idle.code, idle.err, idle.out], [2, "minima: --gamma: does nothing with schedule cosine; it acts with schedule step, multistep or exponential\n", ""]);
    const warned = cli.run("compare", "--optimizers", "sgd,adam", "--betas", "0.9,0.99", "--epochs", "1", "--train-size", "200", "--hidden", "8", "--out", join(cli.tmp(), "cmp"));
    assert.equal(warned.code, 0, warned.err);
    assert.equal(warned.err, "minima: warning: --betas: sgd runs without it; it acts with --optimizers adam, adamw, adamax, nadam, radam or lion\n");
    assert.match(warned.out, /\| adam \| 0\.001 \| /);
  });

  test("--lr-for and --freeze patterns that leave a prefix nothing to act on are refused (fine-tuning.ts, once the model's names are known)", () => {
    const frozen = cli.run("train", "--train-size", "50", "--hidden", "8", "--freeze", "1.", "--lr-for", "1.=0.1", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([frozen.code, frozen.err], [2, "minima: --lr-for: \"1.\" does nothing: --freeze froze every parameter it names (1.weight, 1.bias)\n"]);
    const shadowed = cli.run("train", "--train-size", "50", "--hidden", "8", "--lr-for", "1.=0.1,1.w=0.2", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([shadowed.code, shadowed.err], [2, "minima: --lr-for: \"1.w\" does nothing: every parameter it names has its rate from an earlier prefix (1.weight)\n"]);
    const all = cli.run("train", "--train-size", "50", "--hidden", "8", "--freeze", "1.,3.", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([all.code, all.err], [2, "minima: --freeze: 1.,3. froze every parameter: nothing is left to train\n"]);
  });
});

describe("FLAG_RULES agrees with the code: a flag it refuses changes nothing that gets built; one it accepts changes something", () => {
  const isRefused = (v: Verdict) => v.error !== null;

  test("optimizers: makeOptimizer's param-group hyperparameters with and without the flag, for every optimizer", () => {
    const groups = (name: string, f: OptimizerFlags) =>
      JSON.stringify(makeOptimizer(name, [zeros([1], { requiresGrad: true })], f).paramGroups.map(({ params: _p, ...o }) => o));
    // --nesterov is judged where it could act: over a momentum that is given.
    const variants: [string[], OptimizerFlags, OptimizerFlags][] = [
      [["--momentum", "0.5"], {}, { momentum: 0.5 }], [["--momentum", "0.5", "--nesterov"], { momentum: 0.5 }, { momentum: 0.5, nesterov: true }],
      [["--betas", "0.5,0.6"], {}, { betas: [0.5, 0.6] }], [["--eps", "0.123"], {}, { eps: 0.123 }], [["--weight-decay", "0.1"], {}, { weightDecay: 0.1 }],
    ];
    for (const name of OPTIMIZER_NAMES) {
      for (const [argv, base, flag] of variants) {
        const acts = groups(name, { ...base, ...flag }) !== groups(name, base);
        assert.equal(isRefused(train("--optimizer", name, ...argv)), !acts, `--optimizer ${name} ${argv.join(" ")}: ${acts ? "acts" : "does nothing"}`);
      }
    }
  });

  test("models: buildModel's layers and seeded weights with and without the flag, for every model, also with --hidden none and --blocks 0", () => {
    const data = { features: 784, inputShape: [1, 28, 28], classes: 10 } as PreparedData;
    const built = (choice: ModelChoice) => {
      manualSeed(0);
      const { model } = buildModel(choice, data);
      return model.toString() + Object.entries(model.stateDict()).map(([k, t]) => `${k}${t.shape}:${Array.from(t.data.subarray(0, 4))}`).join(";");
    };
    const variants: [string[], Partial<ModelChoice>][] = [
      [["--activation", "tanh"], { activation: "tanh" }], [["--init", "xavier-uniform"], { init: "xavier-uniform" }], [["--batch-norm"], { batchNorm: true }],
      [["--channels", "8"], { channels: [8] }], [["--blocks", "3"], { blocks: 3 }], [["--drop-path", "0.3"], { dropPath: 0.3 }], [["--dropout", "0.3"], { dropout: 0.3 }],
    ];
    const bases: [string[], ModelChoice][] = [];
    for (const model of MODELS) {
      const choice: ModelChoice = { model, channels: [32, 64], activation: "relu", init: "default", blocks: 2 };
      bases.push([["--model", model], choice]);
      if (model === "resmlp") bases.push([["--model", model, "--blocks", "0"], { ...choice, blocks: 0 }]);
      else bases.push([["--model", model, "--hidden", "none"], { ...choice, hidden: [] }]);
    }
    for (const [baseArgv, base] of bases) {
      for (const [argv, flag] of variants) {
        if (flag.blocks !== undefined && base.blocks === 0) continue;
        const acts = built({ ...base, ...flag }) !== built(base);
        assert.equal(isRefused(train(...baseArgv, ...argv)), !acts, `${baseArgv.join(" ")} ${argv.join(" ")}: ${acts ? "acts" : "does nothing"}`);
      }
    }
  });

  test("schedules: scheduleCurve's learning rates with and without the flag, for every schedule; without --schedule, whether makeSchedule makes one", () => {
    const defaults = { steps: 100, lr: 0.1, stepsPerEpoch: 10, etaMin: 0, tMult: 2, decayRate: 1, power: 1, factor: 0.1, patience: 2 };
    const variants: [string[], Partial<ScheduleFlags & typeof defaults>, Partial<ScheduleFlags & typeof defaults>][] = [
      [["--warmup", "10"], {}, { warmup: 10 }], [["--step-size", "7"], {}, { stepSize: 7 }], [["--gamma", "0.5"], {}, { gamma: 0.5 }],
      [["--milestones", "10,20"], {}, { milestones: [10, 20] }], [["--t-max", "33"], {}, { tMax: 33 }], [["--eta-min", "0.01"], {}, { etaMin: 0.01 }],
      [["--t0", "7"], {}, { t0: 7 }], [["--t-mult", "3"], {}, { tMult: 3 }], [["--decay-rate", "3"], {}, { decayRate: 3 }], [["--power", "2"], {}, { power: 2 }],
      [["--max-lr", "0.5"], {}, { maxLr: 0.5 }], [["--factor", "0.5"], {}, { factor: 0.5 }], [["--patience", "0"], {}, { patience: 0 }],
      [["--steps-per-epoch", "7"], {}, { stepsPerEpoch: 7 }], [["--lr", "0.2"], {}, { lr: 0.2 }],
    ];
    for (const name of SCHEDULE_NAMES) {
      const withMaxLr: typeof variants = name === "one-cycle" || name === "cyclic" ? [[["--max-lr", "0.5", "--lr", "0.2"], { maxLr: 0.5 }, { lr: 0.2 }]] : [];
      for (const [argv, base, flag] of [...variants, ...withMaxLr]) {
        const curve = (f: object) => JSON.stringify(scheduleCurve(name, { ...defaults, ...f }));
        const acts = curve({ ...base, ...flag }) !== curve(base);
        assert.equal(isRefused(schedule(name, ...argv)), !acts, `schedule ${name} ${argv.join(" ")}: ${acts ? "acts" : "does nothing"}`);
      }
    }
    const len = { stepsPerEpoch: 10, totalSteps: 100 };
    for (const [argv, , flag] of variants.filter(([argv]) => argv[0] !== "--steps-per-epoch" && argv[0] !== "--lr")) {
      const acts = makeSchedule(new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 }), flag, len) !== null;
      assert.equal(isRefused(train(...argv)), !acts, `train ${argv.join(" ")} without --schedule: ${acts ? "acts" : "does nothing"}`);
    }
  });
});

describe("schedule lengths against the run's: a warmup, decay step or milestone the run never reaches is refused, naming both numbers", () => {
  const len = { stepsPerEpoch: 10, totalSteps: 100, origin: "10 epochs × 10 batches" };
  const make = (f: ScheduleFlags) => () => makeSchedule(new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 }), f, len);
  // The reference: the library's schedulers themselves, the lr each of 100 steps uses. A refused value leaves the curve as it would be without it.
  const curve = (make: (opt: SGD) => { step(): void }) => {
    const opt = new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 }), s = make(opt), lrs: number[] = [];
    for (let i = 0; i < 100; i++) { lrs.push(opt.paramGroups[0]!.lr); s.step(); }
    return JSON.stringify(lrs);
  };
  const warm = (opt: SGD, n: number) => new S.LinearLR(opt, { startFactor: 0.01, endFactor: 1, totalIters: n });

  test("--warmup longer than the run never reaches --lr (1000000 on a 5-step run passed silently); as long as the run it leaves the schedule no step", () => {
    assert.throws(make({ warmup: 101 }), { message: "--warmup: 101 steps is longer than the run's 100 steps (10 epochs × 10 batches): the lr would never reach --lr" });
    assert.throws(make({ warmup: 100, schedule: "cosine" }), { message: "--warmup: 100 steps is the run's whole 100 steps (10 epochs × 10 batches): it leaves the cosine schedule no step" });
    assert.ok(make({ warmup: 100 })() !== null, "warmup alone may span the run");
    assert.ok(make({ warmup: 99, schedule: "cosine" })() !== null);
    assert.equal(curve((o) => new S.SequentialLR(o, { schedulers: [warm(o, 100), new S.CosineAnnealingLR(o, { tMax: 1 })], milestones: [100] })), curve((o) => warm(o, 100)),
      "the cosine after a whole-run warmup does nothing");
    const r = cli.run("train", "--warmup", "1000000", "--train-size", "50", "--epochs", "1", "--out", join(cli.tmp(), "run"));
    assert.deepEqual([r.code, r.err], [2, "minima: --warmup: 1000000 steps is longer than the run's 1 step (1 epoch × 1 batch): the lr would never reach --lr\n"]);
    const s = cli.run("schedule", "cosine", "--steps", "1000", "--warmup", "1001");
    assert.deepEqual([s.code, s.err], [2, "minima: --warmup: 1001 steps is longer than the run's 1000 steps (--steps): the lr would never reach --lr\n"]);
  });

  test("step: a --step-size (or its default, one epoch) not below the schedule's steps never decays; multistep: milestones past it never act", () => {
    const constant = curve((o) => new S.ConstantLR(o, { factor: 1, totalIters: 0 }));
    assert.equal(curve((o) => new S.StepLR(o, { stepSize: 100 })), constant, "step size 100 of 100 steps: no decay");
    assert.notEqual(curve((o) => new S.StepLR(o, { stepSize: 99 })), constant, "step size 99: one decay, at the last step");
    assert.throws(make({ schedule: "step", stepSize: 100 }), { message: "--step-size: decays every 100 steps, but the run's 100 steps (10 epochs × 10 batches) end before the first decay: the lr never changes; choose a --step-size below 100" });
    make({ schedule: "step", stepSize: 99 })();
    const oneEpoch = () => makeSchedule(new SGD([zeros([1], { requiresGrad: true })], { lr: 0.1 }), { schedule: "step" }, { stepsPerEpoch: 10, totalSteps: 10, origin: "1 epoch × 10 batches" });
    assert.throws(oneEpoch, { message: "--schedule step: decays every 10 steps (one epoch, the default), but the run's 10 steps (1 epoch × 10 batches) end before the first decay: the lr never changes; choose a --step-size below 10" });
    assert.equal(curve((o) => new S.MultiStepLR(o, { milestones: [50, 100] })), curve((o) => new S.MultiStepLR(o, { milestones: [50] })), "milestone 100 of 100 steps does nothing");
    assert.throws(make({ schedule: "multistep", milestones: [50, 100, 120] }), { message: "--milestones: 100, 120 are past the run's 100 steps (10 epochs × 10 batches): the lr never decays there; choose milestones below 100" });
    assert.throws(make({ schedule: "multistep", milestones: [95], warmup: 10 }), { message: "--milestones: 95 is past the 90 steps after --warmup 10: the lr never decays there; choose milestones below 90" });
    make({ schedule: "multistep", milestones: [99] })();
    const r = cli.run("schedule", "step", "--steps", "100");
    assert.deepEqual([r.code, r.err], [2, "minima: --schedule step: decays every 100 steps (one epoch, the default), but the run's 100 steps (--steps) end before the first decay: the lr never changes; choose a --step-size below 100\n"]);
  });
});
