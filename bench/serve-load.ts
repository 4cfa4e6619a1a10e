/**
 * The processes of the serve benchmark (bench/serve.bench.ts), one role each:
 *   node dist/bench/serve-load.js server ROOT            minima serve on ROOT; prints "URL <url>", then a
 *                                                       "SAMPLE {json}" of its own memory and CPU every 250 ms
 *   node dist/bench/serve-load.js writer FILE RATE SECS  appends RATE step records a second to FILE for SECS
 *                                                       seconds, each stamped with its wall time in ms ("t"),
 *                                                       and prints "WROTE <lines>"
 *   node dist/bench/serve-load.js grow FILE BYTES        appends ~200-byte step records in 4 MB writes, as fast
 *                                                       as it can, until FILE holds BYTES; prints "WROTE <lines>"
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { startServer } from "../src/serve/server.js";

/** Wall-clock ms with sub-ms resolution, comparable between processes of one machine. */
export const wallMs = () => performance.timeOrigin + performance.now();

/** A step record as fit logs it, ~200 bytes with the padding of a long run's numbers. */
export function stepLine(step: number, t: number): string {
  return JSON.stringify({ kind: "step", step, epoch: 1 + Math.floor(step / 1000), loss: 2.302585092994046 / (1 + step / 1e4), lr: 0.0031622776601683794, gradNorm: 1.2345678901234567, t, pad: "-".repeat(40) });
}

const [role, ...args] = process.argv.slice(2);
if (role === "server") {
  const server = await startServer({ root: args[0]!, port: 0 });
  process.stdout.write(`URL ${server.url}\n`);
  const sample = () => {
    const m = process.memoryUsage(), c = process.cpuUsage();
    process.stdout.write(`SAMPLE ${JSON.stringify({ t: wallMs(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, cpuMs: (c.user + c.system) / 1000 })}\n`);
  };
  sample();
  setInterval(sample, 250);
  process.on("SIGTERM", () => { sample(); void server.close().then(() => process.exit(0)); });
} else if (role === "writer") {
  const [file, rate, seconds] = [args[0]!, Number(args[1]), Number(args[2])];
  const fd = openSync(file, "a");
  const start = performance.now();
  let written = 0;
  // Catch up to the schedule each tick, so a late timer does not lower the rate.
  const tick = setInterval(() => {
    const due = Math.min(Math.floor(((performance.now() - start) / 1000) * rate), rate * seconds);
    while (written < due) writeSync(fd, stepLine(++written, wallMs()) + "\n");
    if (written >= rate * seconds) {
      clearInterval(tick);
      closeSync(fd);
      process.stdout.write(`WROTE ${written}\n`);
    }
  }, 1000 / rate);
} else if (role === "grow") {
  const [file, bytes] = [args[0]!, Number(args[1])];
  const fd = openSync(file, "a");
  let size = 0, written = 0;
  while (size < bytes) {
    const lines: string[] = [];
    for (let b = 0; b < 4 << 20; ) {
      const line = stepLine(++written, wallMs()) + "\n";
      lines.push(line);
      b += line.length;
    }
    size += writeSync(fd, lines.join(""));
  }
  closeSync(fd);
  process.stdout.write(`WROTE ${written}\n`);
}
