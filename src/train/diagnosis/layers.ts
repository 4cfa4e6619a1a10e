import type { Thresholds } from "./thresholds.js";
import type { LayerLog } from "../history.js";
import { finding, type Finding } from "./finding.js";
import { median } from "./stats.js";
import { num, sci, times } from "./numbers.js";

/** One parameter over the sampled steps. */
export interface LayerStat {
  name: string;
  records: number;
  /** Median update/weight ratio over the finite ratios (a zero weight gives Infinity), null when none is. */
  medianRatio: number | null;
  /** Median gradient norm over the finite ones, null when none is. */
  medianGrad: number | null;
  /** Records whose gradient norm is below deadGrad, and the first such step. */
  deadSteps: number;
  firstDeadStep: number | null;
  /** The first record with a NaN or infinite gradient norm. */
  nonFinite: { step: number; gradNorm: number } | null;
}

/** Groups the layer log by parameter, in the order the parameters first appear. */
export function layerStats(logs: readonly LayerLog[], t: Thresholds): LayerStat[] {
  const byName = new Map<string, LayerLog[]>();
  for (const l of logs) {
    const list = byName.get(l.name);
    if (list) list.push(l); else byName.set(l.name, [l]);
  }
  return [...byName].map(([name, records]) => {
    const ratios = records.map((r) => r.ratio).filter(Number.isFinite);
    const grads = records.map((r) => r.gradNorm).filter(Number.isFinite);
    const dead = records.filter((r) => Math.abs(r.gradNorm) < t.deadGrad);
    const bad = records.find((r) => !Number.isFinite(r.gradNorm));
    return {
      name, records: records.length,
      medianRatio: ratios.length ? median(ratios) : null,
      medianGrad: grads.length ? median(grads) : null,
      deadSteps: dead.length,
      firstDeadStep: dead.length ? dead[0]!.step : null,
      nonFinite: bad ? { step: bad.step, gradNorm: bad.gradNorm } : null,
    };
  });
}

/** Zero gradient at deadFraction of the recorded steps or more. */
export function isDead(s: LayerStat, t: Thresholds): boolean {
  return s.records > 0 && s.deadSteps / s.records >= t.deadFraction;
}

/** The median over the live layers of their median update/weight ratio: how fast the model as a whole moves. */
export function liveMedianRatio(stats: readonly LayerStat[], t: Thresholds): number | null {
  const ratios = stats.filter((s) => !isDead(s, t) && s.medianRatio !== null).map((s) => s.medianRatio!);
  return ratios.length ? median(ratios) : null;
}

const DEAD = "Its gradient is exactly zero, so it no longer learns. Usual causes: ReLUs that died after a too-large step (lower the lr, add warmup), "
  + "a bad init (He/Kaiming for ReLU layers, no all-zero weight matrices), or a part of the model the loss does not reach (detached or unused); "
  + "LeakyReLU or GELU keep some gradient alive.";
const EXPLODING = "Clip the global gradient norm (e.g. at 1.0) and lower the lr; check this layer's init and the scale of its input "
  + "(normalize the inputs; batch or layer norm before it); in deep nets, residual connections keep gradients in range.";
const SLOW = "Raise the learning rate (10× per try), or give this layer its own larger lr in a param group; "
  + "if only this layer is slow, check that its gradient is not vanishing (init, saturating activations).";
const FAST = "Lower the learning rate (or this layer's, in a param group), add warmup or gradient clipping; "
  + "a tiny weight norm (e.g. zero-initialized biases) also inflates the ratio.";

/**
 * Per parameter, from the sampled norms (rule of thumb: an update moves a weight by ~1e-3 of its norm):
 * - exploding-layer (problem): a NaN/infinite gradient norm (only the layers that went first: after that, all do), or a median
 *   gradient norm above explodingGrad and explodingSpread× the median of the other (live) layers' medians;
 * - dead-layer (problem): gradient norm below deadGrad at deadFraction of the recorded steps or more;
 * - slow-layer / fast-layer (warning): median update/weight ratio below slowRatio / above fastRatio.
 */
export function findLayerProblems(stats: readonly LayerStat[], t: Thresholds): Finding[] {
  const out: Finding[] = [];
  const dead: LayerStat[] = [], slow: LayerStat[] = [], fast: LayerStat[] = [];
  const firstBad = Math.min(...stats.map((s) => s.nonFinite?.step ?? Infinity));
  for (const s of stats) {
    const where = { layer: s.name };
    if (s.nonFinite) {
      if (s.nonFinite.step === firstBad) {
        out.push(finding("exploding-layer", "problem",
          `Exploding layer: ${s.name}'s gradient norm became ${s.nonFinite.gradNorm} at step ${s.nonFinite.step}.`, EXPLODING,
          { ...where, step: s.nonFinite.step }));
      }
      continue;
    }
    if (isDead(s, t)) { dead.push(s); continue; }
    const others = stats.filter((o) => o !== s && o.medianGrad !== null && !isDead(o, t)).map((o) => o.medianGrad!);
    const typical = others.length ? median(others) : null;
    if (s.medianGrad !== null && s.medianGrad > t.explodingGrad && (typical === null || typical <= 0 || s.medianGrad > t.explodingSpread * typical)) {
      const versus = typical !== null && typical > 0 ? `, ${times(s.medianGrad / typical)} the other layers' median ${num(typical)}` : "";
      out.push(finding("exploding-layer", "problem",
        `Exploding layer: ${s.name} has a median gradient norm of ${sci(s.medianGrad)} over ${s.records} recorded steps${versus}.`, EXPLODING, where));
      continue;
    }
    if (s.medianRatio === null) continue;
    if (s.medianRatio < t.slowRatio) slow.push(s);
    else if (s.medianRatio > t.fastRatio) fast.push(s);
  }
  // One finding per kind, naming every layer it concerns: a too-low lr makes all of them slow at once.
  if (dead.length) {
    const list = dead.map((s) => `${s.name} (${s.deadSteps} of ${s.records} recorded steps, first at step ${s.firstDeadStep})`).join(", ");
    out.push(finding("dead-layer", "problem", `Dead ${plural(dead, "layer")}: ${list} got a zero gradient.`, DEAD, { layer: names(dead) }));
  }
  const ratioFinding = (kind: "slow-layer" | "fast-layer", group: LayerStat[], label: string, advice: string) => {
    if (!group.length) return;
    const list = group.map((s) => `${s.name} ${sci(s.medianRatio!)}`).join(", ");
    out.push(finding(kind, "warning",
      `${label} ${plural(group, "layer")}: median update/weight ratio ${list} (over ${group[0]!.records} recorded steps); about 1e-3 is healthy.`, advice, { layer: names(group) }));
  };
  ratioFinding("slow-layer", slow, "Slow", SLOW);
  ratioFinding("fast-layer", fast, "Fast", FAST);
  return out;
}

const names = (group: LayerStat[]) => group.map((s) => s.name).join(", ");
const plural = (group: unknown[], word: string) => (group.length === 1 ? word : `${word}s`);
