import { totalmem } from "node:os";
import { OptionError } from "../errors.js";
import type { ModelSpec } from "../nn/model-spec.js";

/**
 * What a run would allocate, estimated before anything is: a flag like --hidden 99999999 or
 * --channels 100000 would otherwise fail deep inside with "Invalid typed array length", or
 * swap the machine to a halt. The estimate counts float32 (4 B) values:
 * - each parameter, its gradient and two optimizer states (Adam's m and v, the most any
 *   optimizer here keeps): 4 values per parameter;
 * - each layer's output per sample (linear, batch norm, activation, conv, pool), twice (the
 *   forward value autograd keeps and its gradient), times the batch size.
 * It leaves out what is small beside these (the data set, evaluation batches, temporaries).
 */
export interface MemoryEstimate {
  parameters: number;
  /** Layer outputs per sample. */
  activations: number;
  bytes: number;
}

export function trainingMemory(spec: ModelSpec, batchSize: number): MemoryEstimate {
  let parameters = 0, activations = 0;
  const linear = (n: number, m: number, normed: boolean, activated: boolean) => {
    parameters += n * m + m + (normed ? 2 * m : 0);
    activations += m * (1 + (normed ? 1 : 0) + (activated ? 1 : 0));
  };
  if (spec.builder === "mlp") {
    const o = spec.options, widths = [o.inputs, ...o.hidden, o.outputs];
    for (let i = 0; i + 1 < widths.length; i++) linear(widths[i]!, widths[i + 1]!, !!o.batchNorm && i + 2 < widths.length, i + 2 < widths.length);
  } else if (spec.builder === "residualMlp") {
    const o = spec.options;
    linear(o.inputs, o.width, false, true);
    for (let b = 0; b < (o.blocks ?? 2); b++) { linear(o.width, o.width, false, true); activations += o.width; }
    linear(o.width, o.outputs, false, false);
  } else {
    const o = spec.options;
    let [c, h, w] = o.inputShape;
    for (const out of o.channels ?? [32, 64]) {
      const convOut = out * Math.max(0, h - 2) * Math.max(0, w - 2);
      parameters += c * out * 9 + out + (o.batchNorm ? 2 * out : 0);
      h = Math.floor((h - 2) / 2);
      w = Math.floor((w - 2) / 2);
      activations += convOut * (2 + (o.batchNorm ? 1 : 0)) + out * Math.max(0, h) * Math.max(0, w);
      c = out;
    }
    const widths = [c * Math.max(0, h) * Math.max(0, w), ...(o.hidden ?? [128]), o.outputs];
    for (let i = 0; i + 1 < widths.length; i++) linear(widths[i]!, widths[i + 1]!, !!o.batchNorm && i + 2 < widths.length, i + 2 < widths.length);
  }
  return { parameters, activations, bytes: 4 * (4 * parameters + 2 * batchSize * activations) };
}

/**
 * Refuses a model whose training would need more than this machine's memory (os.totalmem(): past
 * it the run swaps or is killed; the free memory would make the verdict change from run to run).
 */
export function checkTrainingMemory(description: string, spec: ModelSpec, batchSize: number, limit = totalmem()): void {
  const m = trainingMemory(spec, batchSize);
  if (m.bytes <= limit) return;
  throw new OptionError({
    where: "model size",
    what: `${description} would need about ${formatBytes(m.bytes)} of memory to train with batches of ${batchSize} (${m.parameters.toExponential(2)} parameters × 16 B for weights, gradients and optimizer state, plus ${m.activations.toExponential(2)} layer outputs per sample × 8 B); this machine has ${formatBytes(limit)}`,
  });
}

/** 1536 → "1.5 KiB", in binary units as `free -h` shows them. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
  return `${i === 0 ? bytes : bytes.toPrecision(3)} ${units[i]}`;
}
