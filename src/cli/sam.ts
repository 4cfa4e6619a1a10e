import type { Command } from "commander";
import type { GroupOptions, Optimizer, Params } from "../optim/optimizer.js";
import { SAM } from "../optim/sam.js";
import { integer, number } from "./parse.js";

/** `minima train`'s SAM flags. */
export interface SamFlags {
  /** SAM's ρ: the optimizer is wrapped in SAM (absent: no SAM). */
  sam?: number;
  /** ASAM (with --sam). */
  samAdaptive?: boolean;
  /** m-sharpness's m (with --sam). */
  samM?: number;
}

/** Adds --sam, --sam-adaptive and --sam-m (the last two act only with --sam: FLAG_RULES refuses them without). */
export function addSamOptions(cmd: Command): Command {
  return cmd
    .option("--sam <rho>", "sharpness-aware minimization (Foret et al. 2021) around --optimizer, within radius rho (e.g. 0.05; ASAM 0.5 to 2): two forward-backward passes a step", number(0, { inclusive: false }))
    .option("--sam-adaptive", "with --sam: ASAM, the radius scaled by each weight's size (Kwon et al. 2021)")
    .option("--sam-m <m>", "with --sam: m-sharpness, each batch split into m chunks with a perturbation each", integer(1));
}

/** The optimizer `make` builds over params, inside SAM when --sam is given. */
export function withSam(make: (params: Params<GroupOptions>) => Optimizer<GroupOptions>, params: Params<GroupOptions>, flags: SamFlags): Optimizer<GroupOptions> {
  if (flags.sam === undefined) return make(params);
  return new SAM(params, { base: make, rho: flags.sam, adaptive: flags.samAdaptive ?? false, m: flags.samM ?? 1 });
}

/** ", SAM ρ 0.05" (", ASAM ρ 1, m 4"): what the run's first line says of its SAM; "" without. */
export function samLabel(flags: SamFlags): string {
  if (flags.sam === undefined) return "";
  return `, ${flags.samAdaptive ? "ASAM" : "SAM"} ρ ${flags.sam}${flags.samM !== undefined && flags.samM > 1 ? `, m ${flags.samM}` : ""}`;
}
