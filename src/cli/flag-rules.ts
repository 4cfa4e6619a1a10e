import type { Command } from "commander";
import { OptionError } from "../errors.js";

/** The choices a flag can depend on. */
type Choice = "model" | "optimizer" | "schedule";

/**
 * What one run of a command is set to: every flag's value by commander's attribute name, with the
 * model, the optimizer and the schedule (null: none). `minima compare` has one per optimizer.
 */
export interface Setting {
  model?: string;
  optimizer?: string;
  schedule?: string | null | undefined;
  hidden?: number[] | undefined;
  dropout?: number | undefined;
  blocks?: number;
  momentum?: number | undefined;
  maxLr?: number | undefined;
  stepSize?: number | undefined;
  t0?: number | undefined;
  valFraction?: number;
  sam?: number | undefined;
}

type FlagRule = { flag: string; warn?: true } & (
  /** The flag acts only with these choices (null: with none, e.g. no --schedule). */
  | { choice: Choice; actsWith: readonly (string | null)[]; why?: string; hint?: string }
  /** The flag does nothing with these choices. */
  | { choice: Choice; idleWith: readonly string[]; why: string }
  /** The flag does nothing (or not what it says) when `when` holds; `says` tells why. */
  | { when: (s: Setting) => boolean; says: (s: Setting, name: (c: Choice) => string) => string }
);

const ADAM_FAMILY = ["adam", "adamw", "adamax", "nadam", "radam"];
/** mlp and cnn with --hidden none: no dense hidden layer (resmlp reads --hidden as its width). */
const noHiddenLayer = (s: Setting) => s.model !== "resmlp" && s.hidden?.length === 0;
const resmlpWithoutBlocks = (s: Setting) => s.model === "resmlp" && s.blocks === 0;

/**
 * Every flag of train, compare and schedule that can do nothing for the chosen model, optimizer or
 * schedule, in --help order, read off what src/cli/models.ts, optimizers.ts and schedules.ts and the
 * builders do with each. A rule is refused (a usage error) unless `warn`: a warning is for a flag that
 * still acts, but not as its help says, where refusing would break a legitimate use.
 */
export const FLAG_RULES: readonly FlagRule[] = [
  // The model (src/cli/models.ts: what each builder is given).
  { flag: "--blocks", choice: "model", actsWith: ["resmlp"] },
  { flag: "--drop-path", choice: "model", actsWith: ["resmlp"] },
  { flag: "--drop-path", when: resmlpWithoutBlocks, says: () => "does nothing: --blocks 0 leaves no residual block to drop" },
  { flag: "--batch-norm", choice: "model", actsWith: ["mlp", "cnn"], why: "resmlp has no batch norm" },
  { flag: "--batch-norm", when: (s) => s.model === "mlp" && noHiddenLayer(s), says: () => "does nothing: --hidden none leaves no hidden layer to normalize" },
  { flag: "--hidden", when: (s) => s.model === "resmlp" && s.hidden?.length !== 1,
    says: (s) => `--model resmlp takes one width, for its stem and every block (--blocks sets the depth); got ${s.hidden?.join(",") || "none"}` },
  { flag: "--channels", choice: "model", actsWith: ["cnn"] },
  { flag: "--activation", choice: "model", actsWith: ["mlp", "resmlp"], why: "the cnn uses ReLU throughout" },
  { flag: "--activation", when: (s) => s.model === "mlp" && noHiddenLayer(s), says: () => "does nothing: --hidden none leaves no hidden layer" },
  { flag: "--init", choice: "model", actsWith: ["mlp"], why: "resmlp and cnn keep PyTorch's default initialization" },
  // The optimizer (src/cli/optimizers.ts: the hyperparameters each one is given).
  { flag: "--momentum", choice: "optimizer", actsWith: ["sgd", "momentum", "nesterov", "rmsprop"] },
  { flag: "--momentum", when: (s) => s.momentum === 0 && (s.optimizer === "momentum" || s.optimizer === "nesterov"),
    says: (s, name) => `0 does nothing with ${name("optimizer")} ${s.optimizer}, which keeps μ = 0.9 (it needs a momentum); for plain SGD choose sgd` },
  { flag: "--nesterov", choice: "optimizer", actsWith: ["sgd"], hint: " (--optimizer nesterov is SGD with it on)" },
  { flag: "--nesterov", when: (s) => s.optimizer === "sgd" && !s.momentum,
    says: () => "needs a momentum to look ahead along: add --momentum (e.g. 0.9), or choose --optimizer nesterov (μ = 0.9)" },
  { flag: "--betas", choice: "optimizer", actsWith: [...ADAM_FAMILY, "lion"] },
  { flag: "--eps", choice: "optimizer", actsWith: ["adagrad", "adadelta", "rmsprop", ...ADAM_FAMILY] },
  // SAM (src/cli/sam.ts).
  { flag: "--sam-adaptive", when: (s) => s.sam === undefined, says: () => "does nothing without --sam <rho>: it makes SAM adaptive (ASAM)" },
  { flag: "--sam-m", when: (s) => s.sam === undefined, says: () => "does nothing without --sam <rho>: it splits SAM's batches into m chunks" },
  // The schedule (src/cli/schedules.ts: the options each schedule is built with).
  { flag: "--lr", when: (s) => s.schedule === "one-cycle" && s.maxLr !== undefined,
    says: (_s, name) => `does nothing with ${name("schedule")} one-cycle and --max-lr: the cycle runs from max-lr/25 up to max-lr and down` },
  { flag: "--warmup", choice: "schedule", idleWith: ["plateau"], why: "warmup steps per batch, plateau per epoch" },
  { flag: "--step-size", choice: "schedule", actsWith: ["step"] },
  { flag: "--gamma", choice: "schedule", actsWith: ["step", "multistep", "exponential"] },
  { flag: "--milestones", choice: "schedule", actsWith: ["multistep"] },
  { flag: "--t-max", choice: "schedule", actsWith: ["cosine"] },
  { flag: "--eta-min", choice: "schedule", actsWith: ["cosine", "cosine-restarts"] },
  { flag: "--t0", choice: "schedule", actsWith: ["cosine-restarts"] },
  { flag: "--t-mult", choice: "schedule", actsWith: ["cosine-restarts"] },
  { flag: "--decay-rate", choice: "schedule", actsWith: ["inverse-time"] },
  { flag: "--power", choice: "schedule", actsWith: ["polynomial"] },
  { flag: "--max-lr", choice: "schedule", actsWith: ["one-cycle", "cyclic"] },
  { flag: "--factor", choice: "schedule", actsWith: ["plateau"] },
  { flag: "--patience", choice: "schedule", actsWith: ["plateau"] },
  { flag: "--steps-per-epoch", when: (s) => !epochCounted(s),
    says: (s) => `does nothing with schedule ${s.schedule}${s.schedule === "step" ? " and --step-size" : s.schedule === "cosine-restarts" ? " and --t0" : ""}: it sets the defaults of step (--step-size), cosine-restarts (--t0), inverse-time, inverse-sqrt, cyclic and plateau` },
  { flag: "--schedule", warn: true, when: (s) => s.schedule === "plateau" && s.valFraction === 0,
    says: () => "plateau watches the training loss: --val-fraction 0 leaves no validation set" },
  // Regularization and fine-tuning (src/cli/regularization.ts, fine-tuning.ts).
  { flag: "--dropout", when: (s) => !!s.dropout && noHiddenLayer(s), says: () => "does nothing: --hidden none leaves no hidden layer to drop out" },
  { flag: "--dropout", when: (s) => !!s.dropout && resmlpWithoutBlocks(s), says: () => "does nothing: --blocks 0 leaves no residual block, where resmlp's dropout goes" },
  { flag: "--early-stopping", warn: true, when: (s) => s.valFraction === 0,
    says: () => "watches the training loss: --val-fraction 0 leaves no validation set" },
  { flag: "--lr-for", choice: "schedule", idleWith: ["one-cycle", "cyclic"], why: "it drives every parameter group's lr from one --max-lr" },
];

/** Whether --steps-per-epoch sets a default of this schedule (`minima schedule`). */
function epochCounted(s: Setting): boolean {
  return ["inverse-time", "inverse-sqrt", "cyclic", "plateau"].includes(s.schedule ?? "")
    || (s.schedule === "step" && s.stepSize === undefined) || (s.schedule === "cosine-restarts" && s.t0 === undefined);
}

/** How a command names each choice on its command line: { optimizer: "--optimizers" } for compare. */
export type ChoiceNames = Partial<Record<Choice, string>>;

/**
 * Refuses (OptionError, exit 2) the first flag the user gave (defaults never count) that does
 * nothing in every setting, and prints one stderr line for each that is a warning rule or does
 * nothing in only some settings (compare: --betas does nothing for sgd but acts for adam).
 */
export function checkFlags(cmd: Command, settings: readonly Setting[], names: ChoiceNames = {}): void {
  const given = (flag: string) => cmd.options.some((o) => o.long === flag && cmd.getOptionValueSource(o.attributeName()) === "cli");
  const name = (c: Choice) => names[c] ?? `--${c}`;
  const defaulted = (c: Choice) => (cmd.options.some((o) => o.long === name(c) && cmd.getOptionValueSource(o.attributeName()) !== "cli") ? " (the default)" : "");
  for (const rule of FLAG_RULES) {
    if (!given(rule.flag)) continue;
    const idle = settings.filter((s) => doesNothing(rule, s));
    if (idle.length === 0) continue;
    const some = idle.length < settings.length;
    let what: string;
    if ("when" in rule) what = rule.says(idle[0]!, name);
    else {
      const values = [...new Set(idle.map((s) => s[rule.choice] ?? null))];
      const acts = "actsWith" in rule ? `it acts with ${name(rule.choice)} ${orList(rule.actsWith.filter((v) => v !== null))}${rule.hint ?? ""}` : null;
      if (some) what = `${orList(values, "and")} run${values.length === 1 ? "s" : ""} without it${acts ? `; ${acts}` : ""}`;
      else {
        const withWhat = values.includes(null) ? `without ${name(rule.choice)}` : `with ${name(rule.choice)} ${values.join(", ")}${defaulted(rule.choice)}`;
        what = `does nothing ${withWhat}${rule.why ? ` (${rule.why})` : ""}; ${acts ?? `choose another ${rule.choice} or drop ${rule.flag}`}`;
      }
    }
    if (rule.warn || some) console.error(`minima: warning: ${rule.flag}: ${what}`);
    else throw new OptionError({ where: rule.flag, what });
  }
}

/** Whether `rule` finds its flag idle in setting `s`. */
export function doesNothing(rule: FlagRule, s: Setting): boolean {
  if ("when" in rule) return rule.when(s);
  const value = s[rule.choice] ?? null;
  return "actsWith" in rule ? !rule.actsWith.includes(value) : value !== null && rule.idleWith.includes(value);
}

/** "a, b or c" (or "a, b and c"). */
function orList(values: readonly (string | null)[], conjunction = "or"): string {
  return values.length < 2 ? values.join("") : `${values.slice(0, -1).join(", ")} ${conjunction} ${values.at(-1)}`;
}
