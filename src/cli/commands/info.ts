import { Command } from "commander";
import { cpus, totalmem } from "node:os";
import { backendReport } from "../../backend/native/report.js";
import { listBackends } from "../../backend/select.js";
import { findFashionMnist } from "../../data/datasets/fashion-mnist.js";
import { EMBEDDED_MNIST } from "../../data/datasets/mnist.js";
import { version } from "../version.js";

/** `minima info`: versions, backend, threads, and where the data sets are. */
export function infoCommand(): Command {
  return new Command("info")
    .description("print versions, the compute backend, threads and data sets found")
    .action(() => {
      const cpu = cpus()[0]?.model ?? "unknown";
      const report = backendReport();
      let fashion: string;
      try { fashion = findFashionMnist(); } catch { fashion = "not found (apt-get install dataset-fashion-mnist, or pass --dataset <dir>)"; }
      const lines = [
        ["minima", version],
        ["node", process.versions.node],
        ["platform", `${process.platform}-${process.arch}`],
        ["cpu", `${cpu} (${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB)`],
        ["backend", `${report.backend} (available: ${listBackends().join(", ")}; MINIMA_BACKEND chooses)`],
        ["native", report.native],
        ["threads", report.threads],
        ["mnist", `embedded, 10,000 digits in ${EMBEDDED_MNIST}`],
        ["fashion-mnist", fashion],
      ];
      for (const [k, v] of lines) console.log(`${k!.padEnd(14)} ${v}`);
    });
}
