import cliProgress from "cli-progress";

/** Live numbers for one epoch's bar. */
export interface EpochProgress {
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
}

/**
 * A progress bar per epoch (loss, accuracy, samples/s, ETA), drawn with cli-progress on a
 * terminal and left out when output is not a terminal (CI logs, pipes).
 */
export class EpochBar {
  private bar: cliProgress.SingleBar | null = null;

  start(label: string, total: number): void {
    if (!process.stderr.isTTY) return;
    this.bar = new cliProgress.SingleBar({
      format: `${label} {bar} {value}/{total} | loss {loss} | acc {acc} | {rate} samples/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(total, 0, { loss: "-", acc: "-", rate: "-" });
  }

  update(done: number, p: EpochProgress): void {
    this.bar?.update(done, { loss: p.loss.toFixed(4), acc: (100 * p.accuracy).toFixed(1) + "%", rate: Math.round(p.samplesPerSecond) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
