/**
 * One measurement of bench/playground.bench.ts, in a process of its own: `node playground-child.js node` trains the
 * playground's trainer (web/lab/playground/trainer.ts, bundled by esbuild as the page's worker is) in Node on the js
 * backend; `… page` drives the page in Debian's Chromium. Both for seeds 1 to 5 of the default settings (spirals), until
 * the training accuracy passes 95%.
 */
import { buildSync } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { openPage, serveFolder } from "../test/web/harness.js";
import { ROOT, report } from "./common.js";

const SEEDS = [1, 2, 3, 4, 5];
const mode = process.argv[2];

if (mode === "node") {
  const dir = mkdtempSync(join(tmpdir(), "minima-playground-bench-"));
  try {
    const file = join(dir, "trainer.mjs");
    const contents = `export { PlaygroundTrainer } from "./web/lab/playground/trainer.ts"; export { DEFAULTS } from "./web/lab/playground/settings.ts";`;
    const out = buildSync({ stdin: { contents, resolveDir: ROOT, loader: "ts" }, bundle: true, format: "esm", platform: "neutral", write: false, logLevel: "error" });
    writeFileSync(file, out.outputFiles[0]!.contents);
    const { PlaygroundTrainer, DEFAULTS } = await import(pathToFileURL(file).href) as {
      PlaygroundTrainer: new (s: unknown) => { runEpoch(): void; scores(): { trainAccuracy: number } };
      DEFAULTS: Record<string, unknown>;
    };
    // A few epochs first, so the first seed's time is not the JIT's warm-up.
    const warm = new PlaygroundTrainer({ ...DEFAULTS, seed: 0 });
    for (let e = 0; e < 10; e++) warm.runEpoch();
    const rows = SEEDS.map((seed) => {
      const trainer = new PlaygroundTrainer({ ...DEFAULTS, seed });
      let epochs = 0, ms = 0;
      while (epochs < 3000) {
        const start = performance.now();
        trainer.runEpoch();
        ms += performance.now() - start;
        epochs++;
        if (trainer.scores().trainAccuracy > 0.95) break;
      }
      return { seed, epochs, msPerEpoch: ms / epochs };
    });
    report(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else if (mode === "page") {
  const root = mkdtempSync(join(tmpdir(), "minima-playground-bench-"));
  const server = await serveFolder(root);
  const rows: { seed: number; epoch: number; seconds: number }[] = [];
  try {
    for (const seed of SEEDS) {
      const opened = await openPage(`${server.url}#/lab/playground?seed=${seed}`);
      try {
        await opened.page.waitForSelector(".playground[data-epoch='0']");
        const start = performance.now();
        await opened.page.click(".playground button.play");
        await opened.page.waitForFunction('Number(document.querySelector(".playground").dataset.trainAccuracy) > 0.95', { timeout: 120_000, polling: 20 });
        const seconds = (performance.now() - start) / 1000;
        const epoch = Number(await opened.page.$eval(".playground", (e) => e.getAttribute("data-epoch")));
        if (opened.problems.length > 0) throw new Error(opened.problems.join("; "));
        rows.push({ seed, epoch, seconds });
      } finally {
        await opened.close();
      }
    }
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
  report(rows);
} else {
  throw new Error(`playground-child: expected "node" or "page", got ${mode}`);
}
