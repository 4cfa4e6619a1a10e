import { describe, mock, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { runTune, tuneCommand, type TuneFlags } from "../../src/cli/commands/tune.js";
import { runLeasedTrial } from "../../src/cli/commands/tune-run-trial.js";
import { trainCommand, type TrainFlags } from "../../src/cli/commands/train.js";
import { gridValues } from "../../src/cli/tune-search.js";
import { runTuneTrial, settingsAttrs } from "../../src/cli/tune-trial.js";
import { parseCli, useCli, CHECKOUT } from "./run-minima.js";
import { Ajv } from "ajv";

/** Whether a config.json is valid by the shipped schemas/config.schema.json. */
function validConfig(config: unknown): void {
  const validate = new Ajv({ strictTuples: false, allErrors: true }).compile(JSON.parse(readFileSync(join(CHECKOUT, "schemas", "config.schema.json"), "utf8")) as object);
  assert.ok(validate(config), JSON.stringify(validate.errors));
}

const cli = useCli();
/** A quick trial: a small MLP on 300 digits. */
const small = ["--train-size", "300", "--hidden", "16"];

/** The flags commander makes of a `minima tune` command line (its action not run). */
function tuneFlags(...argv: string[]): TuneFlags {
  const cmd = tuneCommand().action(() => {});
  cmd.parse(argv, { from: "user" });
  return cmd.opts<TuneFlags>();
}

/** The `minima train` settings of a command line, with train's defaults. */
function trainFlags(...argv: string[]): TrainFlags {
  const cmd = trainCommand().action(() => {});
  cmd.parse(argv, { from: "user" });
  return cmd.opts<TrainFlags>();
}

/** Runs fn with console.log silenced (each trial prints its run). */
function quietly<T>(fn: () => T): T {
  const log = mock.method(console, "log", () => {});
  try {
    return fn();
  } finally {
    log.mock.restore();
  }
}

const records = (run: string) => readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
const epochs = (run: string) => records(run).filter((r) => r["kind"] === "epoch");

describe("minima tune", () => {
  test("each trial is the minima train run of its parameters: same losses (a run of minima train is the reference), reported per epoch, attrs and diagnosis recorded", () => {
    const out = join(cli.tmp(), "study");
    const study = quietly(() => runTune(tuneFlags("--space", "lr=float(0.01, 0.3, log); momentum=float(0.5, 0.95)", "--sampler", "random", "--trials", "2",
      "--epochs", "2", ...small, "--storage", "memory", "--out", out)));
    const trials = study.trials;
    assert.deepEqual(trials.map((t) => [t.number, t.state]), [[0, "COMPLETE"], [1, "COMPLETE"]]);
    const t = trials[0]!;
    const run = join(out, "trials", "0");
    assert.equal(t.systemAttrs[mn.tune.ATTR.runDir], run);
    assert.equal(t.systemAttrs[mn.tune.ATTR.checkpoint], join(run, "checkpoints", "last"));
    assert.ok(existsSync(join(run, "checkpoints", "last.json")) && existsSync(join(run, "report.html")));
    validConfig(JSON.parse(readFileSync(join(run, "config.json"), "utf8")));
    // The reference: minima train with the trial's values as flags, on the same data, seed and settings.
    const reference = join(cli.tmp(), "reference");
    const r = cli.run("train", "--lr", String(t.params["lr"]), "--momentum", String(t.params["momentum"]), "--epochs", "2", ...small, "--out", reference);
    assert.equal(r.code, 0, r.err);
    const ref = epochs(reference), got = epochs(run);
    assert.deepEqual(got.map((e) => [e["loss"], e["valLoss"]]), ref.map((e) => [e["loss"], e["valLoss"]]));
    assert.deepEqual([...t.intermediateValues.entries()], ref.map((e) => [e["epoch"], e["valLoss"]]));
    assert.equal(t.value, ref.at(-1)!["valLoss"]);
    // The diagnosis stored on the trial is the one the run's log ends with.
    const end = records(run).find((e) => e["kind"] === "end")! as { diagnosis: { summary: string } };
    assert.equal((t.userAttrs["diagnosis"] as { summary: string }).summary, end.diagnosis.summary);
    // What a worker elsewhere needs: the space as Optuna's distribution JSON, the fixed settings, the metric, the folder.
    const attrs = study.systemAttrs;
    assert.deepEqual(attrs[mn.tune.ATTR.space], { lr: JSON.parse(mn.tune.distributionToJson(mn.tune.float(0.01, 0.3, { log: true }))), momentum: JSON.parse(mn.tune.distributionToJson(mn.tune.float(0.5, 0.95))) });
    assert.equal(attrs[mn.tune.ATTR.metric], "valLoss");
    assert.equal(attrs[mn.tune.ATTR.studyDir], out);
    assert.equal((attrs[mn.tune.ATTR.fixed] as TrainFlags).epochs, 2);
    assert.deepEqual(attrs[mn.tune.ATTR.sampler], { name: "random", seed: 0 });
  });

  test("params named like list flags: hidden and layers set --hidden, beta1 sets --betas; valAccuracy is maximized", () => {
    const out = join(cli.tmp(), "study");
    const study = quietly(() => runTune(tuneFlags("--space", "hidden=categorical(8); layers=int(2, 2); beta1=float(0.8, 0.8)", "--optimizer", "adam", "--metric", "valAccuracy",
      "--sampler", "random", "--trials", "1", "--epochs", "1", "--train-size", "300", "--storage", "memory", "--out", out)));
    assert.equal(study.direction, "maximize");
    const config = JSON.parse(readFileSync(join(out, "trials", "0", "config.json"), "utf8")) as TrainFlags;
    assert.deepEqual(config.hidden, [8, 8]);
    assert.deepEqual(config.betas, [0.8, 0.999]);
    assert.equal(study.trials[0]!.value, epochs(join(out, "trials", "0"))[0]!["valAccuracy"]);
  });

  test("a pruned trial stops after the epoch the pruner names; its retry with minima:resume_from ends bit-identical to an uninterrupted trial (model.safetensors bytes)", () => {
    const out = join(cli.tmp(), "study");
    const storage = new mn.tune.InMemoryStorage();
    const fixed = trainFlags("--epochs", "3", ...small);
    const space = { lr: mn.tune.float(0.01, 0.3, { log: true }) };
    const pruneAfterOne: mn.tune.Pruner = { name: "after-one", prune: (_s, t) => t.intermediateValues.size >= 1 };
    const study = mn.tune.createStudy({ storage, studyName: "s", sampler: new mn.tune.RandomSampler({ seed: 1 }), pruner: pruneAfterOne });
    for (const [k, v] of Object.entries(settingsAttrs({ space, fixed, metric: "valLoss", studyDir: out }))) study.setSystemAttr(k, v);
    const train = trainCommand();
    quietly(() => study.optimize((trial) => runTuneTrial(study, trial, train), { nTrials: 1 }));
    const pruned = study.trials[0]!;
    assert.equal(pruned.state, "PRUNED");
    assert.deepEqual([...pruned.intermediateValues.keys()], [1]);
    assert.equal(epochs(join(out, "trials", "0")).length, 1);
    // The retry (as the reaper writes it: the params fixed, resume_from the dead trial's checkpoint), and a fresh trial of the same lr, without pruning.
    const lr = pruned.params["lr"]!;
    storage.createTrial(study.studyId, { state: "WAITING", systemAttrs: { fixed_params: { lr }, [mn.tune.ATTR.resumeFrom]: pruned.systemAttrs[mn.tune.ATTR.checkpoint] } });
    const again = mn.tune.loadStudy({ storage, studyName: "s" });
    quietly(() => again.optimize((trial) => runTuneTrial(again, trial, train), { nTrials: 1 }));
    again.enqueueTrial({ lr });
    quietly(() => again.optimize((trial) => runTuneTrial(again, trial, train), { nTrials: 1 }));
    const [, resumed, whole] = again.trials;
    assert.deepEqual([resumed!.state, whole!.state], ["COMPLETE", "COMPLETE"]);
    assert.deepEqual([...resumed!.intermediateValues.keys()], [2, 3]);
    assert.equal(resumed!.value, whole!.value);
    const bytes = (n: number) => readFileSync(join(out, "trials", String(n), "model.safetensors"));
    assert.ok(bytes(1).equals(bytes(2)), "the resumed trial's weights equal the uninterrupted trial's");
    assert.deepEqual(epochs(join(out, "trials", "1")).map((e) => e["loss"]), epochs(join(out, "trials", "2")).map((e) => e["loss"]));
  });

  test("a trial's budget (minima:budget, coarse-to-fine's) sets its epochs in place of --epochs", () => {
    const out = join(cli.tmp(), "study");
    const storage = new mn.tune.InMemoryStorage();
    const study = mn.tune.createStudy({ storage, studyName: "s", sampler: new mn.tune.RandomSampler({ seed: 2 }) });
    for (const [k, v] of Object.entries(settingsAttrs({ space: { lr: mn.tune.float(0.01, 0.1) }, fixed: trainFlags("--epochs", "3", ...small), metric: "valLoss", studyDir: out }))) study.setSystemAttr(k, v);
    storage.createTrial(study.studyId, { state: "WAITING", systemAttrs: { [mn.tune.ATTR.budget]: 1 } });
    quietly(() => study.optimize((trial) => runTuneTrial(study, trial), { nTrials: 1 }));
    assert.equal(epochs(join(out, "trials", "0")).length, 1);
    assert.deepEqual([...study.trials[0]!.intermediateValues.keys()], [1]);
    assert.equal(study.trials[0]!.state, "COMPLETE");
  });

  test("run-trial runs the trial a worker leased and tells its value; a stale lease epoch is refused and writes nothing", () => {
    const out = join(cli.tmp(), "study");
    const storage = new mn.tune.InMemoryStorage();
    const study = mn.tune.createStudy({ storage, studyName: "s", sampler: new mn.tune.RandomSampler({ seed: 3 }) });
    for (const [k, v] of Object.entries(settingsAttrs({ space: { lr: mn.tune.float(0.01, 0.1) }, fixed: trainFlags("--epochs", "1", ...small), metric: "valLoss", studyDir: out }))) study.setSystemAttr(k, v);
    const lease = storage.startNewTrial(study.studyId, "worker-a");
    const flags = { storage: "memory", study: "s", trialId: lease.trialId, workerId: "worker-a", epoch: lease.epoch };
    assert.throws(() => quietly(() => runLeasedTrial({ ...flags, epoch: lease.epoch + 1 }, storage)), mn.LeaseLostError);
    assert.equal(storage.getTrial(lease.trialId).state, "RUNNING");
    quietly(() => runLeasedTrial(flags, storage));
    const t = storage.getTrial(lease.trialId);
    assert.equal(t.state, "COMPLETE");
    assert.equal(t.value, epochs(join(out, "trials", "0"))[0]!["valLoss"]);
  });

  test("a study of that name made with other settings is refused, naming what differs", () => {
    const storage = new mn.tune.InMemoryStorage();
    const out = join(cli.tmp(), "study");
    const base = ["--sampler", "random", "--trials", "1", "--epochs", "1", ...small, "--study", "s", "--out", out];
    quietly(() => runTune(tuneFlags("--space", "lr=float(0.01, 0.1)", ...base), storage));
    assert.throws(() => runTune(tuneFlags("--space", "lr=float(0.01, 0.1, log)", "--weight-decay", "0.001", ...base), storage), {
      message: 'study "s" in memory: exists with other settings: --space (the study\'s: "lr=float(0.01, 0.1)"); --weight-decay (the study\'s: not given); continue it with its settings, or name another --study',
    });
    // The same settings continue it: one more trial.
    quietly(() => runTune(tuneFlags("--space", "lr=float(0.01, 0.1)", ...base), storage));
    assert.equal(mn.tune.loadStudy({ storage, studyName: "s" }).trials.length, 2);
  });

  // Exact texts of bad input, each naming the value and what was expected.
  const refusals: [string[], string][] = [
    [["--space", "learning_rate=float(1e-3, 0.3, log)"], 'no train setting is named "learning_rate"; expected parameters named like the train flags they set: hidden, layers, beta1, beta2, model, blocks'],
    [["--space", "lrr=float(1e-3, 0.3, log)"], 'no train setting is named "lrr" (did you mean "lr"?); expected parameters named like the train flags they set: hidden, layers, beta1, beta2,'],
    [["--space", "momentum=float(0.5, 1.5)"], "--space: momentum=1.5 (its high bound): expected a number in [0, 1)."],
    [["--space", "optimizer=categorical(sgd, adamm)"], '--space: optimizer=adamm (a choice): expected one of sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam, radam, lion; did you mean "adam"?'],
    [["--space", "nesterov=categorical(1, 0)"], "--space: nesterov=1 (a choice): --nesterov is on or off: expected categorical(true, false)."],
    [["--space", "momentum=float(0.5, 0.9)", "--optimizer", "adam"], "--space: momentum does nothing with --optimizer adam; it acts with --optimizer sgd, momentum, nesterov, rmsprop"],
    [["--space", "layers=int(1, 3)", "--model", "resmlp"], "--space: layers does nothing with --model resmlp, which takes one width (--blocks sets its depth); expected blocks in the space for resmlp"],
    [["--space", "lr=float(0.01, 0.1)", "--val-fraction", "0"], "--metric: valLoss needs a validation set, and --val-fraction 0 leaves none; expected a --val-fraction above 0, or --metric loss or accuracy"],
    [["--space", "lr=float(0.01, 0.1)", "--sampler", "coarse-to-fine", "--trials", "20"], "--trials: 20 trials do not split evenly into 3 stages; expected a multiple of --stages, like 18 or 21"],
    [["--space", "lr=float(0.01, 0.1)", "--workers", "2"], "--workers: 2 worker processes cannot share a study kept in this process's memory; expected --storage naming a journal file, sqlite:///… or postgresql://… (or --workers 1)"],
  ];
  for (const [argv, message] of refusals) {
    test(`refuses ${argv.join(" ")}`, () => {
      assert.throws(() => runTune(tuneFlags(...argv, "--storage", "memory", "--out", join(cli.tmp(), "s"))), (e: Error) => {
        assert.ok(e instanceof mn.OptionError, String(e));
        assert.ok(e.message.startsWith(message.startsWith("--") ? message : `--space: ${message}`), `got: ${e.message}`);
        return true;
      });
    });
  }

  test("a warning, not a refusal, for a parameter idle in some trials only", () => {
    const err = mock.method(console, "error", () => {});
    try {
      assert.throws(() => runTune(tuneFlags("--space", "optimizer=categorical(sgd, adam); momentum=float(0.5, 0.9)", "--workers", "2", "--storage", "memory")), /--workers/);
      assert.deepEqual(err.mock.calls.map((c) => c.arguments[0]), ["minima: warning: --space: momentum does nothing in the trials with optimizer adam; it acts with --optimizer sgd, momentum, nesterov, rmsprop"]);
    } finally {
      err.mock.restore();
    }
  });

  test("an unknown sampler or pruner gets a did-you-mean; a sampler's flag with another sampler is refused", () => {
    const space = ["--space", "lr=float(0.01, 0.1)"];
    assert.equal(parseCli(tuneCommand, ...space, "--sampler", "rnadom").error,
      "error: option '--sampler <name>' argument 'rnadom' is invalid. Allowed choices are grid, random, coarse-to-fine, tpe; did you mean \"random\"?");
    assert.equal(parseCli(tuneCommand, ...space, "--pruner", "medain").error,
      "error: option '--pruner <name>' argument 'medain' is invalid. Allowed choices are none, median, halving, hyperband, asha; did you mean \"median\"?");
    assert.equal(parseCli(tuneCommand, ...space, "--sampler", "random", "--grid-points", "4").error, "minima: --grid-points: does nothing with --sampler random; it acts with --sampler grid");
    assert.equal(parseCli(tuneCommand, ...space, "--top-k", "4").error, "minima: --top-k: does nothing with --sampler tpe; it acts with --sampler coarse-to-fine");
    assert.equal(parseCli(tuneCommand, ...space, "--momentum", "0.5", "--optimizer", "adam").error, "minima: --momentum: does nothing with --optimizer adam; it acts with --optimizer sgd, momentum, nesterov or rmsprop");
  });

  test("the command line: a malformed --space exits 2 naming the character; a trained search prints the trials and the best", () => {
    const bad = cli.run("tune", "--space", "lr=float(1e-3, 0.3, lgo)", "--storage", "memory");
    assert.equal(bad.code, 2);
    assert.equal(bad.err, 'minima: --space: at character 21: unknown setting "lgo"; expected log or step=s: float(low, high[, log][, step=s]), got "lgo)"\n');
    const out = join(cli.tmp(), "study");
    const r = cli.run("tune", "--space", "lr=float(0.01, 0.3, log)", "--sampler", "random", "--trials", "2", "--epochs", "1", ...small, "--storage", "memory", "--study", "cli", "--out", out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^minima tune: study "cli" in memory, random sampler, no pruner, 2 trials; minimize valLoss; space lr=float\(0\.01, 0\.3, log\)$/m);
    assert.match(r.out, /^\| trial \| state \| lr \| valLoss \| diagnosis \|$/m);
    assert.match(r.out, /^\| 0 \| COMPLETE \| 0\.\d+ \| \d\.\d+ \| .+ \|$/m);
    assert.match(r.out, new RegExp(`^best: trial [01], valLoss \\d\\.\\d+, lr=0\\.\\d+ \\(${join(out, "trials").replace(/[\\/.]/g, "\\$&")}/[01]\\)$`, "m"));
  });
});

describe("many trials in one process", () => {
  const cli = useCli();
  test("each trial frees its run folder's lock when it ends: 12 trials leave no exit listener behind (Node warns past 10)", () => {
    const r = cli.run("tune", "--space", "lr=float(0.01, 0.3, log)", "--sampler", "random", "--trials", "12", "--epochs", "1", ...small, "--storage", "memory", "--study", "many", "--out", join(cli.tmp(), "many"));
    assert.equal(r.code, 0, r.err);
    assert.doesNotMatch(r.err, /MaxListenersExceededWarning/);
  });
});

describe("grid values per parameter (closed form: evenly spaced in the transformed space, snapped to the step)", () => {
  test("log floats, ints, steps and categoricals", () => {
    assert.deepEqual(gridValues(mn.tune.float(1e-4, 1, { log: true }), 3), [1e-4, 0.01, 1]);
    assert.deepEqual(gridValues(mn.tune.float(0, 1), 5), [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(gridValues(mn.tune.int(1, 4), 3), [1, 3, 4]);
    assert.deepEqual(gridValues(mn.tune.int(1, 4), 4), [1, 2, 3, 4]);
    assert.deepEqual(gridValues(mn.tune.int(1, 3), 5), [1, 2, 3]);
    assert.deepEqual(gridValues(mn.tune.float(0, 1, { step: 0.3 }), 3), [0, 0.6, 0.9]);
    assert.deepEqual(gridValues(mn.tune.categorical(["relu", "gelu"]), 3), ["relu", "gelu"]);
  });
});

describe("minima compare --tune-lr", () => {
  test("tries each optimizer's usual lr × 0.1, 0.316, 1, 3.16, 10 and compares at the one with the lowest validation loss (the comparison's run is that trial's run: same loss)", () => {
    const out = join(cli.tmp(), "cmp");
    const r = cli.run("compare", "--optimizers", "sgd,adam", "--tune-lr", "--epochs", "1", ...small, "--out", out);
    assert.equal(r.code, 0, r.err);
    const config = JSON.parse(readFileSync(join(out, "config.json"), "utf8")) as { lr: Record<string, number>; lrSearch: { optimizer: string; trials: { lr: number; valLoss: number | null }[]; best: number }[] };
    validConfig(config);
    const usual: Record<string, number> = { sgd: 0.05, adam: 1e-3 };
    for (const search of config.lrSearch) {
      const u = usual[search.optimizer]!;
      assert.deepEqual(search.trials.map((t) => t.lr), [0.1, Math.sqrt(0.1), 1, Math.sqrt(10), 10].map((f) => Number((u * f).toPrecision(6))));
      const best = search.trials.filter((t) => t.valLoss !== null).reduce((a, b) => (b.valLoss! < a.valLoss! ? b : a));
      assert.equal(search.best, best.lr);
      assert.equal(config.lr[search.optimizer], best.lr);
      const epoch = records(out).find((e) => e["kind"] === "epoch" && e["optimizer"] === search.optimizer)!;
      assert.equal(epoch["valLoss"], best.valLoss);
    }
  });

  test("--lr with --tune-lr, and --tune-lr without a validation set, are refused", () => {
    const r = cli.run("compare", "--tune-lr", "--lr", "0.1");
    assert.equal(r.code, 2);
    assert.equal(r.err, "minima: --lr: does nothing with --tune-lr, which chooses each optimizer's lr; expected one of --lr and --tune-lr\n");
    const v = cli.run("compare", "--tune-lr", "--val-fraction", "0");
    assert.equal(v.err, "minima: --tune-lr: tunes on the validation set, and --val-fraction 0 leaves none; expected a --val-fraction above 0\n");
  });
});
