import { InvalidArgumentError, type Command, type Option } from "commander";
import { OptionError } from "../errors.js";
import { closest } from "../options.js";
import type { Distribution, ParamValue } from "../tune/distributions.js";
import { didYouMean } from "./choice-hints.js";
import { doesNothing, FLAG_RULES, type Setting } from "./flag-rules.js";
import type { TrainFlags } from "./commands/train.js";
import { hiddenFor } from "./models.js";

/**
 * Which `minima train` settings a search may vary: a parameter of `--space` is named like the train
 * flag it sets, in the flag's camelCase (lr, momentum, weightDecay, dropout, batchSize, optimizer,
 * activation…), and its values pass the flag's own check. Three names have no flag of their own:
 * `hidden` (one width for every hidden layer), `layers` (how many hidden layers) and `beta1`/`beta2`
 * (the halves of --betas).
 */

/** Train flags a trial may not vary: where the run goes and what data it sees (a different validation set would make trials incomparable), and --epochs, the budget. */
const NOT_SEARCHABLE = new Set(["resume", "out", "overwrite", "png", "initFrom", "freeze", "lrFor", "checkpointEvery", "keepEpochs", "sharpnessEvery", "epochs", "dataset", "labelColumn", "valFraction", "trainSize", "channels", "milestones", "betas"]);
/** Parameters that set a list-valued flag. */
const SPECIAL = ["hidden", "layers", "beta1", "beta2"] as const;

/** The parameter names a --space may use, in --help order: the train command's flags a trial can vary, and the special ones. */
export function searchableParams(train: Command): string[] {
  const names = train.options.map((o) => o.attributeName()).filter((n) => !NOT_SEARCHABLE.has(n) && n !== "hidden");
  return [...SPECIAL, ...names];
}

/**
 * Refuses, before anything runs, a parameter no train flag answers to (listing those that do), and a
 * value some trial could draw that its flag would refuse (a float's bounds, an int's bounds, each
 * choice), naming the parameter and the value.
 */
export function checkSpaceParams(train: Command, space: Readonly<Record<string, Distribution>>): void {
  const known = searchableParams(train);
  for (const [name, dist] of Object.entries(space)) {
    if (!known.includes(name)) {
      const hint = closest(name, known);
      throw new OptionError({ where: "--space", what: `no train setting is named "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}`, expected: `parameters named like the train flags they set: ${known.join(", ")}` });
    }
    const values: ParamValue[] = dist.kind === "categorical" ? [...dist.choices] : [dist.low, dist.high];
    for (const value of values) valueOf(train, name, value, dist.kind === "categorical" ? "a choice" : value === dist.low ? "its low bound" : "its high bound");
  }
}

/** The train flags of one trial: the study's fixed settings with the trial's parameters in place of theirs. */
export function trialFlags(train: Command, fixed: TrainFlags, params: Readonly<Record<string, ParamValue>>): TrainFlags {
  const flags: Record<string, unknown> = { ...fixed };
  for (const [name, value] of Object.entries(params)) {
    if (SPECIAL.includes(name as (typeof SPECIAL)[number])) continue;
    flags[name] = valueOf(train, name, value, "the trial's value");
  }
  if ("hidden" in params || "layers" in params) {
    const base = hiddenFor(fixed);
    const width = "hidden" in params ? (valueOf(train, "hidden", params["hidden"]!, "the trial's value") as number) : (base[0] ?? 256);
    // resmlp takes one width, for its stem and every block.
    const layers = "layers" in params ? (params["layers"] as number) : flags["model"] === "resmlp" ? 1 : Math.max(base.length, 1);
    flags["hidden"] = Array.from({ length: layers }, () => width);
  }
  if ("beta1" in params || "beta2" in params) {
    const [b1, b2] = fixed.betas ?? [0.9, 0.999];
    flags["betas"] = [valueOf(train, "beta1", params["beta1"] ?? b1, "the trial's value"), valueOf(train, "beta2", params["beta2"] ?? b2, "the trial's value")];
  }
  return flags as unknown as TrainFlags;
}

/** A parameter's value as its flag parses it; `what` says which value it is in the refusal. */
function valueOf(train: Command, name: string, value: ParamValue, what: string): unknown {
  const bad = (why: string): never => {
    throw new OptionError({ where: "--space", what: `${name}=${String(value)} (${what}): ${why}` });
  };
  if (name === "layers") {
    if (!(typeof value === "number" && Number.isInteger(value) && value >= 0)) bad("expected a whole number of hidden layers ≥ 0.");
    return value;
  }
  if (name === "hidden") {
    if (!(typeof value === "number" && Number.isInteger(value) && value >= 1)) bad("expected a positive integer width.");
    return value;
  }
  if (name === "beta1" || name === "beta2") {
    if (!(typeof value === "number" && value >= 0 && value < 1)) bad("expected a number in [0, 1).");
    return value;
  }
  const option = train.options.find((o) => o.attributeName() === name) as Option;
  if (option.isBoolean()) {
    if (typeof value !== "boolean") bad(`--${option.name()} is on or off: expected categorical(true, false).`);
    return value;
  }
  if (option.argChoices && !option.argChoices.includes(String(value))) bad(`expected one of ${option.argChoices.join(", ")}${didYouMean([String(value)], option.argChoices) || "."}`);
  if (value === null || typeof value === "boolean") bad(`--${option.name()} takes a value, not ${String(value)}.`);
  if (option.parseArg === undefined) return String(value);
  try {
    return option.parseArg(String(value), undefined);
  } catch (e) {
    if (e instanceof InvalidArgumentError) bad(e.message);
    throw e;
  }
}

/**
 * Refuses a parameter whose flag does nothing in every trial (momentum with --optimizer adam), by the
 * train command's own flag rules (flag-rules.ts), and warns about one that does nothing in some trials
 * (momentum when optimizer=categorical(sgd, adam)).
 */
export function checkIdleParams(space: Readonly<Record<string, Distribution>>, fixed: Setting): void {
  const models = space["model"]?.kind === "categorical" ? space["model"].choices : [fixed.model];
  if ("layers" in space && models.includes("resmlp")) {
    throw new OptionError({ where: "--space", what: "layers does nothing with --model resmlp, which takes one width (--blocks sets its depth)", expected: "blocks in the space for resmlp" });
  }
  const choices = ["model", "optimizer", "schedule"] as const;
  let settings: Setting[] = [fixed];
  for (const c of choices) {
    const d = space[c];
    if (d?.kind === "categorical") settings = settings.flatMap((s) => d.choices.map((v) => ({ ...s, [c]: v as string })));
  }
  for (const name of Object.keys(space)) {
    const flag = `--${name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
    for (const rule of FLAG_RULES) {
      if (rule.flag !== flag || !("choice" in rule) || rule.warn) continue;
      const idle = settings.filter((s) => doesNothing(rule, s));
      if (idle.length === 0) continue;
      const values = [...new Set(idle.map((s) => s[rule.choice] ?? "none"))].join(", ");
      const acts = "actsWith" in rule ? `; it acts with --${rule.choice} ${rule.actsWith.filter((v) => v !== null).join(", ")}` : "";
      if (idle.length < settings.length) console.error(`minima: warning: --space: ${name} does nothing in the trials with ${rule.choice} ${values}${acts}`);
      else throw new OptionError({ where: "--space", what: `${name} does nothing with --${rule.choice} ${values}${"why" in rule && rule.why ? ` (${rule.why})` : ""}${acts}` });
    }
  }
}
