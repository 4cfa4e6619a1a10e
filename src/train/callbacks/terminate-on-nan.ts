import type { BatchLog, Callback, FitContext } from "../callback.js";

/** Stops training at the first batch whose loss is NaN or infinite (Keras's TerminateOnNaN). */
export class TerminateOnNaN implements Callback {
  onBatchEnd(ctx: FitContext, log: BatchLog): void {
    if (!Number.isFinite(log.loss)) ctx.stop(`loss became ${log.loss} at step ${log.step} (epoch ${log.epoch})`);
  }
}
