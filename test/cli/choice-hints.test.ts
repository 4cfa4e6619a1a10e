import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { addChoiceHints } from "../../src/cli/choice-hints.js";
import { compareCommand } from "../../src/cli/commands/compare.js";
import { scheduleCommand } from "../../src/cli/commands/schedule.js";
import { trainCommand } from "../../src/cli/commands/train.js";
import { parseCli, useCli, type Verdict } from "./run-minima.js";

const cli = useCli();
const train = (...argv: string[]) => parseCli(trainCommand, ...argv);
const compare = (...argv: string[]) => parseCli(compareCommand, ...argv);
const schedule = (...argv: string[]) => parseCli(scheduleCommand, ...argv);
const refused = (error: string): Verdict => ({ error, warnings: [] });

describe("choice values get a did-you-mean, as flags do", () => {
  test("every .choices() flag and argument names the bad value, the allowed choices and the closest one (options.ts's closest)", () => {
    const optimizers = "sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam, radam, lion";
    const schedules = "constant, step, multistep, exponential, inverse-time, inverse-sqrt, cosine, cosine-restarts, linear, polynomial, one-cycle, cyclic, plateau";
    assert.deepEqual(train("--optimizer", "adamm"), refused(`error: option '--optimizer <name>' argument 'adamm' is invalid. Allowed choices are ${optimizers}; did you mean "adam"?`));
    assert.deepEqual(train("--model", "CNN"), refused(`error: option '--model <kind>' argument 'CNN' is invalid. Allowed choices are mlp, resmlp, cnn; did you mean "cnn"?`));
    assert.deepEqual(train("--activation", "leaky_relu"), refused(`error: option '--activation <name>' argument 'leaky_relu' is invalid. Allowed choices are relu, leaky-relu, tanh, sigmoid, gelu; did you mean "leaky-relu"?`));
    assert.deepEqual(train("--init", "kaiming-normel"), refused(`error: option '--init <scheme>' argument 'kaiming-normel' is invalid. Allowed choices are default, xavier-uniform, xavier-normal, kaiming-uniform, kaiming-normal; did you mean "kaiming-normal"?`));
    assert.deepEqual(train("--standardize", "globl"), refused(`error: option '--standardize <how>' argument 'globl' is invalid. Allowed choices are none, global, feature; did you mean "global"?`));
    assert.deepEqual(train("--on-divergence", "rollbak"), refused(`error: option '--on-divergence <action>' argument 'rollbak' is invalid. Allowed choices are stop, rollback, continue; did you mean "rollback"?`));
    assert.deepEqual(train("--schedule", "cosin"), refused(`error: option '--schedule <name>' argument 'cosin' is invalid. Allowed choices are ${schedules}; did you mean "cosine"?`));
    assert.deepEqual(schedule("onecycle"), refused(`error: command-argument value 'onecycle' is invalid for argument 'name'. Allowed choices are ${schedules}; did you mean "one-cycle"?`));
  });

  test("list-valued flags (--optimizers, --augment) suggest for each unknown name", () => {
    const optimizers = "sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam, radam, lion";
    assert.deepEqual(compare("--optimizers", "sgd,adamm"), refused(`error: option '--optimizers <names>' argument 'sgd,adamm' is invalid. unknown "adamm"; expected names from ${optimizers}; did you mean "adam"?`));
    assert.deepEqual(compare("--optimizers", "adamm,sgdd,xyz"), refused(`error: option '--optimizers <names>' argument 'adamm,sgdd,xyz' is invalid. unknown "adamm", "sgdd", "xyz"; expected names from ${optimizers}; did you mean "adam" (for "adamm"), "sgd" (for "sgdd")?`));
    assert.deepEqual(train("--augment", "flip,crpo:2"), refused(`error: option '--augment <list>' argument 'flip,crpo:2' is invalid. unknown augmentation "crpo"; expected flip, crop, shift, cutout, each with an optional :size (crop:4, shift:2, cutout:8); did you mean "crop"?`));
  });

  test("a value close to nothing keeps commander's message; a valid value parses as before", () => {
    assert.deepEqual(train("--model", "transformer"), refused("error: option '--model <kind>' argument 'transformer' is invalid. Allowed choices are mlp, resmlp, cnn."));
    assert.deepEqual(train("--augment", "zoom"), refused(`error: option '--augment <list>' argument 'zoom' is invalid. unknown augmentation "zoom"; expected flip, crop, shift, cutout, each with an optional :size (crop:4, shift:2, cutout:8).`));
    const cmd = trainCommand().action(() => {});
    addChoiceHints(cmd);
    cmd.parse(["--model", "cnn", "--optimizer", "adam"], { from: "user" });
    assert.deepEqual([cmd.opts()["model"], cmd.opts()["optimizer"]], ["cnn", "adam"]);
  });
});

describe("through the CLI", () => {
  test("a bad choice exits 2 with commander's line and the hint on stderr", () => {
    const bad = cli.run("train", "--optimizer", "adamm");
    assert.deepEqual([bad.code, bad.err, bad.out], [2, `error: option '--optimizer <name>' argument 'adamm' is invalid. Allowed choices are sgd, momentum, nesterov, adagrad, adadelta, rmsprop, adam, adamw, adamax, nadam, radam, lion; did you mean "adam"?\n`, ""]);
  });
});
