import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nonFiniteReplacer } from "../../src/io/non-finite-json.js";
import type { LoggedDiagnosis as Diagnosis } from "../../src/io/run-log.js";

export interface SyntheticRunOptions {
  epochs?: number;
  stepsPerEpoch?: number;
  /** Record validation figures (default true). */
  validation?: boolean;
  /** Record per-layer norms every 5 steps (default true). */
  layers?: boolean;
  /** Close with an "end" line carrying this diagnosis (undefined: no "end" line, as for a killed run). */
  end?: { stopReason: string | null; diagnosis: Diagnosis | null };
}

export const LAYER_NAMES = ["fc1.weight", "fc1.bias", "fc2.weight"];

/**
 * The metrics.jsonl records of a plausible classification run, in the order fit() writes them: a
 * loss that falls like 2.3·e^(−t/40) with deterministic wiggles, a cosine learning rate, validation
 * that lags training. No randomness, so every test sees the same curves.
 */
export function syntheticRecords(options: SyntheticRunOptions = {}): object[] {
  const { epochs = 4, stepsPerEpoch = 25, validation = true, layers = true } = options;
  const total = epochs * stepsPerEpoch, out: object[] = [];
  const lrAt = (t: number) => 0.05 * (1 + Math.cos((Math.PI * t) / total)) / 2;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = 1; i <= stepsPerEpoch; i++) {
      const step = (epoch - 1) * stepsPerEpoch + i;
      const loss = 2.3 * Math.exp(-step / 40) + 0.05 + 0.08 * Math.sin(step * 1.7) ** 2;
      out.push({ kind: "step", step, epoch, loss, lr: lrAt(step - 1), gradNorm: 3 * Math.exp(-step / 60) + 0.2 });
      if (layers && step % 5 === 0) {
        LAYER_NAMES.forEach((name, k) => {
          const weightNorm = 5 + k, updateNorm = lrAt(step - 1) * 0.1 * (k + 1);
          out.push({ kind: "layer", step, epoch, name, weightNorm, gradNorm: 1 / (k + 1), updateNorm, ratio: updateNorm / weightNorm });
        });
      }
    }
    const loss = 2.3 * Math.exp(-(epoch * stepsPerEpoch) / 40) + 0.1;
    out.push({
      kind: "epoch", epoch, loss, accuracy: 0.6 + 0.08 * epoch,
      valLoss: validation ? loss + 0.05 * epoch : null, valAccuracy: validation ? 0.58 + 0.07 * epoch : null,
      testLoss: loss + 0.06 * epoch, testAccuracy: 0.57 + 0.07 * epoch,
      lr: lrAt((epoch - 1) * stepsPerEpoch), steps: epoch * stepsPerEpoch, seconds: 1.5,
    });
  }
  if (options.end) out.push({ kind: "end", ...options.end });
  return out;
}

export const jsonl = (records: readonly object[]) => records.map((r) => JSON.stringify(r, nonFiniteReplacer) + "\n").join("");

export const CONFIG = { command: "train", dataset: "mnist", model: "mlp", hidden: [64], optimizer: "adam", lr: 0.05, epochs: 4, batchSize: 128, seed: 1 };

/** A fresh run directory holding config.json and the given metrics.jsonl text. */
export function writeRunDir(metrics: string, config: object | null = CONFIG): string {
  const dir = join(mkdtempSync(join(tmpdir(), "minima-report-")), "run-1");
  mkdirSync(dir);
  if (config !== null) writeFileSync(join(dir, "config.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, "metrics.jsonl"), metrics);
  return dir;
}
