import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";
import * as mn from "../../src/index.node.js";
import { decodePng, inkStats } from "../helpers/decode-png.js";
import { jsonl, syntheticRecords, writeRunDir } from "./synthetic-run.js";

const CHROMIUM = process.env["MINIMA_CHROMIUM"] || "/usr/bin/chromium";
// The tests compile without the DOM library (src must not lean on it); these are the few browser
// names that the functions run inside the page use.
interface PageElement {
  getBoundingClientRect(): { width: number; height: number };
  querySelectorAll(selector: string): ArrayLike<{ getTotalLength(): number }>;
  textContent: string | null;
}
declare const document: { querySelector(selector: string): PageElement | null };
declare function getComputedStyle(element: unknown): { borderLeftColor: string };

const PLOTS = ["loss", "accuracy", "step-loss", "lr", "grad-norm", "gap", "update-ratio"];

// What a person sees: the written report.html opened from disk in a real browser.
describe("report.html in headless Chromium", () => {
  test("loads without errors or requests, draws every chart, and its screenshot is a picture, not a blank page", { timeout: 20_000 }, async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or point MINIMA_CHROMIUM at a Chromium binary`);
    const diagnosis = { summary: "Overfits after epoch 3.", findings: [{ kind: "overfitting", severity: "warning" as const, message: "Validation loss rose.", advice: "Stop earlier.", epoch: 3 }] };
    const dir = writeRunDir(jsonl(syntheticRecords({ epochs: 4, stepsPerEpoch: 30, end: { stopReason: null, diagnosis } })));
    const [html] = mn.report.writeReport(dir);
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. headless: true is --headless=new.
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      const problems: string[] = [];
      page.on("console", (m) => { if (m.type() === "error" || m.type() === "warn") problems.push(`console ${m.type()}: ${m.text()}`); });
      page.on("pageerror", (e) => problems.push(`page error: ${String(e)}`));
      page.on("requestfailed", (r) => problems.push(`failed request: ${r.url()}`));
      page.on("request", (r) => { if (!r.url().startsWith("file:")) problems.push(`network request: ${r.url()}`); });
      const response = await page.goto(pathToFileURL(html!).href, { waitUntil: "load" });
      assert.ok(response === null || response.ok(), "the file loads");

      assert.equal(await page.title(), "run-1 · minima report");
      const charts = await page.evaluate((ids: string[]) => ids.map((id) => {
        const svg = document.querySelector(`figure#plot-${id} svg`);
        const box = svg?.getBoundingClientRect();
        const paths = svg ? Array.from(svg.querySelectorAll("path")) : [];
        return { id, width: box?.width ?? 0, height: box?.height ?? 0, drawn: paths.reduce((s, p) => s + p.getTotalLength(), 0), caption: document.querySelector(`figure#plot-${id} figcaption`)?.textContent ?? "" };
      }), PLOTS);
      for (const c of charts) {
        assert.ok(c.width > 300 && c.height > 150, `${c.id}: the chart's box is ${c.width}×${c.height}`);
        assert.ok(c.drawn > 100, `${c.id}: its lines are ${c.drawn} px long`);
        assert.ok(c.caption.length > 20, `${c.id}: caption "${c.caption}"`);
      }
      const warningColor = await page.$eval("li.finding.warning", (li) => getComputedStyle(li).borderLeftColor);
      assert.equal(warningColor, "rgb(230, 159, 0)", "a warning finding is styled as one");

      const shot = await page.screenshot({ fullPage: true, type: "png" });
      writeFileSync(join(dir, "screenshot.png"), shot);
      const image = decodePng(shot);
      assert.equal(image.width, 1280);
      assert.ok(image.height > 1500, `the full page is ${image.height} px tall`);
      const { ink, colors } = inkStats(image);
      assert.ok(ink > 0.03 * image.width * image.height, `${ink} of ${image.width * image.height} pixels differ from the background`);
      assert.ok(colors > 100, `${colors} colours`);
      // The validation curves are drawn in #E69F00: count pixels of that exact colour on the screen.
      let validation = 0;
      for (let i = 0; i < image.rgba.length; i += 4) if (image.rgba[i] === 0xe6 && image.rgba[i + 1] === 0x9f && image.rgba[i + 2] === 0x00) validation++;
      assert.ok(validation > 200, `${validation} pixels of the validation colour`);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});
