import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeRecord, parseRunLog } from "../../src/io/run-log.js";
import { openPage, serveFolder } from "./harness.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
let root = "";

/** Runs `minima ...args` in `root`, failing the test on a non-zero exit. */
function minima(...args: string[]): void {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, MINIMA_BACKEND: "js" } });
  assert.equal(r.status, 0, `minima ${args.join(" ")}: ${r.stderr}`);
}

const json = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8")) as Record<string, any>;
/** The texts of an SVG file written by the CLI, in order (titles, ticks, labels, legend). */
const svgTexts = (path: string) => [...readFileSync(join(root, path), "utf8").matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'"));
/** A number the page printed to 4 significant digits, against the value in the file. */
const near = (shown: string, value: number) => assert.ok(Math.abs(Number(shown) - value) <= 5e-4 * Math.abs(value), `the page shows ${shown}, the file holds ${value}`);

before(() => {
  root = mkdtempSync(join(tmpdir(), "minima-serve-curvature-"));
  minima("train", "--epochs", "2", "--train-size", "512", "--hidden", "16", "--sharpness-every", "4", "--out", "runs/tiny");
  minima("curvature", "runs/tiny", "--k", "3", "--density-runs", "2", "--density-steps", "10", "--trace-matvecs", "8", "--batches", "1");
  minima("sharpness", "runs/tiny", "--batches", "1", "--batch-size", "256", "--iterations", "2");
  minima("slice", "runs/tiny", "--points", "5", "--batches", "1");
  minima("slice", "runs/tiny", "--dim", "2", "--points", "5", "--batches", "1");
  minima("slice", "runs/tiny", "--points", "7", "--batches", "1", "--out", "elsewhere/line");
  minima("lr-find", "--train-size", "512", "--hidden", "16", "--num-it", "30", "--curvature", "--curvature-batches", "1", "--out", "sweeps/lrf");
});
after(() => rmSync(root, { recursive: true, force: true }));

describe("minima serve: a run's curvature, sharpness, slices and LR range test (real outputs of minima train --sharpness-every, curvature, sharpness, slice, lr-find)", () => {
  test("#/analysis/<run>: λmax against 2/lr (as many points as the run log's sharpness records, one more once one is appended), the spectrum and its λ table, ε-sharpness, both slices", { timeout: 120_000 }, async () => {
    const server = await serveFolder(root);
    try {
      const opened = await openPage(`${server.url}#/analysis/runs/tiny`);
      try {
        const { page } = opened;
        const logged = parseRunLog(readFileSync(join(root, "runs/tiny/metrics.jsonl"), "utf8"), "metrics.jsonl").history.sharpness!;
        assert.ok(logged.length >= 2, "the run logged its sharpness");
        await page.waitForSelector(`[data-view=lambda] .lambda-chart[data-points="${logged.length}"] canvas`, { timeout: 10_000 });
        for (const view of ["spectrum", "sharpness"]) await page.waitForSelector(`[data-view=${view}][data-state=ready]`, { timeout: 10_000 });
        await page.waitForFunction(`document.querySelectorAll("[data-view=slice][data-state=ready]").length === 2`, { timeout: 10_000 });

        const curvature = json("runs/tiny/curvature.json");
        near(await page.$eval('[data-view=spectrum] tr[data-name="λmax"] td', (td) => td.textContent!), curvature["lambdaMax"]);
        near(await page.$eval('[data-view=spectrum] tr[data-name="λmin"] td', (td) => td.textContent!), curvature["lambdaMin"]);
        assert.equal(await page.$$eval("[data-view=spectrum] svg path", (p) => p.length > 0), true, "the spectrum plot is drawn");
        const sharpness = json("runs/tiny/sharpness.json");
        const cells = await page.$$eval("[data-view=sharpness] tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent!)));
        assert.deepEqual(cells.map((c) => Number(c[0])), sharpness["sharpness"].map((s: { epsilon: number }) => s.epsilon));
        cells.forEach((c, i) => near(c[1]!, sharpness["sharpness"][i].value));
        const pageTexts = (selector: string) => page.$eval(selector, (svg) => [...svg.querySelectorAll("text")].map((t) => t.textContent));
        assert.deepEqual(await pageTexts("[data-view=spectrum] svg"), svgTexts("runs/tiny/curvature.svg"), "the page draws minima curvature's spectrum plot");
        for (const folder of ["random-1d", "random-2d"]) {
          assert.deepEqual(await pageTexts(`[data-view=slice]:has(a[href$="${folder}/slice.json"]) svg`), svgTexts(`runs/tiny/slices/${folder}/slice.svg`), `the page draws minima slice's ${folder} plot`);
        }
        const slices = await page.$$eval("[data-view=slice] [data-dim]", (ds) => ds.map((d) => [d.getAttribute("data-dim"), d.getAttribute("data-cells"), d.querySelectorAll("svg path").length > 0]));
        assert.deepEqual(slices.sort(), [["1", "5", true], ["2", "25", true]]);

        const next = { ...logged.at(-1)!, step: logged.at(-1)!.step + 4 };
        appendFileSync(join(root, "runs/tiny/metrics.jsonl"), encodeRecord({ kind: "sharpness", ...next }) + "\n");
        await page.waitForSelector(`.lambda-chart[data-points="${logged.length + 1}"]`, { timeout: 5_000 });
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
    }
  });

  test("#/analysis/ lists the folders outside every run (lr-find's, slice --out elsewhere); the LR range test shows fastai's suggestions and 2/λmax", { timeout: 120_000 }, async () => {
    const server = await serveFolder(root);
    try {
      const opened = await openPage(`${server.url}#/analysis/`);
      try {
        const { page } = opened;
        await page.waitForSelector(".analysis-list a");
        assert.deepEqual((await page.$$eval(".analysis-list a", (as) => as.map((a) => a.textContent))).sort(), ["elsewhere/line", "sweeps/lrf"]);
        await Promise.all([page.waitForSelector("[data-view=slice][data-state=ready] [data-cells='7']"), page.click(".analysis-list a[href$='elsewhere/line']")]);

        await page.goto(`${server.url}#/analysis/sweeps/lrf`);
        await page.waitForSelector("[data-view=lr-find][data-state=ready]");
        const head = JSON.parse(readFileSync(join(root, "sweeps/lrf/lr_find.jsonl"), "utf8").split("\n")[0]!) as Record<string, any>;
        for (const rule of ["valley", "slide", "minimum", "steep"]) {
          const shown = await page.$eval(`[data-view=lr-find] tr[data-rule=${rule}] td`, (td) => td.textContent!);
          if (head["suggestions"][rule] === null) assert.equal(shown, "none"); else near(shown, head["suggestions"][rule].lr);
        }
        const limit = await page.$eval("[data-view=lr-find] [data-name=lr-limit]", (p) => p.textContent!);
        near(limit.match(/2\/λmax = (\S+)$/)![1]!, head["curvature"].lrLimit);
        assert.equal(await page.$$eval("[data-view=lr-find] svg path", (p) => p.length > 0), true, "the range test's plot is drawn");

        // The runs list links them too.
        await page.goto(`${server.url}#/`);
        await page.waitForSelector("table.analyses a");
        assert.deepEqual((await page.$$eval("table.analyses a", (as) => as.map((a) => a.textContent))).sort(), ["elsewhere/line", "sweeps/lrf"]);
        await Promise.all([page.waitForSelector("[data-view=lr-find][data-state=ready]"), page.click("table.analyses a[href$='sweeps/lrf']")]);
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
    }
  });

  test("files that are not what their names say show what is wrong in place of their views, and a path that is no folder of the index says so (exact texts)", { timeout: 120_000 }, async () => {
    mkdirSync(join(root, "broken"));
    writeFileSync(join(root, "broken/curvature.json"), "{}");
    writeFileSync(join(root, "broken/sharpness.json"), "[]");
    writeFileSync(join(root, "broken/lr_find.jsonl"), '{"kind":"x"}\n');
    writeFileSync(join(root, "broken/slice.json"), "{}");
    const server = await serveFolder(root);
    try {
      const opened = await openPage(`${server.url}#/analysis/broken`);
      try {
        const { page } = opened;
        await page.waitForFunction(`document.querySelectorAll("[data-state=error]").length === 4`, { timeout: 10_000 });
        const errors = Object.fromEntries(await page.$$eval("[data-state=error]", (views) => views.map((v) => [v.getAttribute("data-view"), v.querySelector(".error")!.textContent])));
        assert.deepEqual(errors, {
          spectrum: 'broken/curvature.json: is not minima curvature\'s output; expected a JSON object with "format": "minima.curvature"',
          sharpness: 'broken/sharpness.json: is not minima sharpness\'s output; expected a JSON object with a "sharpness" list',
          "lr-find": 'broken/lr_find.jsonl:1: is not an LR range test\'s first line; expected a record of kind "lr-find" (minima lr-find\'s lr_find.jsonl), got kind "x"',
          slice: "broken/slice.json: is not a slice; expected settings, a shape of one or two sizes, steps (alphas) along each direction and a loss per cell",
        });
        await page.goto(`${server.url}#/analysis/nowhere`);
        await page.waitForSelector("main .error");
        assert.equal(await page.$eval("main .error", (p) => p.textContent), `No run or analysis folder at nowhere in ${basename(root)}.`);
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    } finally {
      await server.close();
      rmSync(join(root, "broken"), { recursive: true, force: true });
    }
  });
});
