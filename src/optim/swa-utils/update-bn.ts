import { noGrad } from "../../autograd/no-grad.js";
import { OptionError } from "../../errors.js";
import { Module, type AnyModule } from "../../nn/module.js";
import { Tensor } from "../../tensor/tensor.js";

/**
 * What updateBn needs of a batch-norm layer (the fields torch's _BatchNorm has): running
 * statistics as tensors (null when the layer does not track them), and a momentum where
 * null means "cumulative average over the batches seen since the statistics were reset".
 */
export interface RunningStats {
  runningMean: Tensor | null;
  runningVar: Tensor | null;
  momentum: number | null;
  numBatchesTracked?: Tensor | null;
}

function tracksRunningStats(m: AnyModule): m is AnyModule & RunningStats {
  const r = m as Partial<RunningStats>;
  return r.runningMean instanceof Tensor && r.runningVar instanceof Tensor && "momentum" in m;
}

/**
 * Recomputes the running statistics of every batch-norm layer in `model` with one pass over
 * `loader`, as torch.optim.swa_utils.update_bn. Averaged weights (AveragedModel) come with
 * running means and variances that belong to none of the averaged models, so they must be
 * measured again before the averaged model is evaluated.
 *
 * Each layer with `runningMean`/`runningVar` tensors and a `momentum` field is reset (mean 0,
 * variance 1, `numBatchesTracked` 0 when present) and its momentum set to null, which makes it
 * average the batches of this pass with equal weight; the model runs forward in training mode
 * under noGrad on the first tensor of every batch; then each momentum and each module's own
 * training flag are restored (torch restores only the top-level flag). A model without such
 * layers is left untouched and the loader is not read.
 *
 * @param loader  batches: a tensor each, or an array whose first element is the input (a DataLoader)
 * @param model   the model to update in place (an AveragedModel, say)
 * @example mn.optim.swaUtils.updateBn(trainLoader, swaModel);
 */
export function updateBn(loader: Iterable<Tensor | readonly Tensor[]>, model: Module): void {
  const where = "updateBn";
  if (!(model instanceof Module)) throw new OptionError({ where, what: "model is not an mn.nn.Module", got: String(model) });
  if (loader === null || typeof (loader as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== "function") {
    throw new OptionError({ where, what: "loader is not iterable", got: String(loader) });
  }
  const layers = model.modules().filter(tracksRunningStats);
  if (layers.length === 0) return;
  const momenta = layers.map((m) => m.momentum);
  const modes = model.modules().map((m) => [m, m.training] as const);
  for (const m of layers) {
    // In place, not new tensors: the buffers are registered by reference in the module.
    m.runningMean!.data.fill(0);
    m.runningVar!.data.fill(1);
    m.numBatchesTracked?.data.fill(0);
    m.momentum = null;
  }
  model.train();
  try {
    noGrad(() => {
      let i = 0;
      for (const batch of loader) {
        const input = batch instanceof Tensor ? batch : batch[0];
        if (!(input instanceof Tensor)) throw new OptionError({ where, what: `batch ${i} has no input tensor`, expected: "a Tensor or an array whose first element is a Tensor" });
        model.forward(input);
        i++;
      }
    });
  } finally {
    layers.forEach((m, i) => { m.momentum = momenta[i]; });
    for (const [m, training] of modes) m.training = training;
  }
}
