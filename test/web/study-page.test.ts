import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import * as mn from "../../src/index.node.js";
import { MAIN } from "../cli/run-minima.js";
import { syntheticValue, writeSyntheticStudy } from "../helpers/synthetic-study.js";
import { openPage, serveFolder, type OpenedPage } from "./harness.js";

const run = promisify(execFile);
/** A tiny real study: 2 trials of a small MLP on 300 digits, 2 epochs each. */
const tune = (out: string) => run(process.execPath, [MAIN, "tune", "--space", "lr=float(0.01, 0.3, log); momentum=float(0.5, 0.95)", "--sampler", "random",
  "--trials", "2", "--epochs", "2", "--train-size", "300", "--hidden", "16", "--out", out], { cwd: dirname(out) });

const rowNumbers = (o: OpenedPage) => o.page.$$eval(".trials-table tbody tr", (trs) => trs.map((tr) => Number(tr.getAttribute("data-number"))));
// Page-side code as strings: the tests compile without the DOM's types.
const waitRows = (o: OpenedPage, count: number) => o.page.waitForFunction(`document.querySelectorAll(".trials-table tbody tr").length === ${count}`, { timeout: 20_000 });
const hash = (o: OpenedPage) => o.page.evaluate("location.hash") as Promise<string>;

async function withServed(fill: (root: string) => Promise<void> | void, fn: (url: string, root: string) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "minima-study-page-"));
  try {
    await fill(root);
    const server = await serveFolder(root);
    try {
      await fn(server.url, root);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("the study page", () => {
  test("lists a real minima tune study's trials with the journal's values (mn.tune.loadStudy), links each to its run, and grows as the study runs on", { timeout: 180_000 }, async () => {
    await withServed((root) => tune(join(root, "study")).then(() => {}), async (url, root) => {
      const opened = await openPage(`${url}#/study/study`);
      try {
        await waitRows(opened, 2);
        const study = () => mn.tune.loadStudy({ storage: join(root, "study", "journal.log"), studyName: "study" });
        const rows = await opened.page.$$eval(".trials-table tbody tr", (trs) => trs.map((tr) => ({
          number: Number(tr.getAttribute("data-number")), state: tr.children[1]!.textContent, value: tr.querySelector("[data-value]")!.getAttribute("data-value"),
          run: tr.querySelector("a")?.getAttribute("href"), diagnosis: tr.querySelector(".diagnosis")!.textContent,
        })));
        const trials = study().trials;
        assert.deepEqual(rows.map((r) => r.number), trials.map((t) => t.number));
        for (const [i, t] of trials.entries()) {
          assert.equal(rows[i]!.state, t.state.toLowerCase());
          assert.equal(rows[i]!.value, String(t.value));
          assert.equal(rows[i]!.run, `#/run/study/trials/${t.number}`);
          assert.ok(rows[i]!.diagnosis.startsWith((t.userAttrs["diagnosis"] as { summary: string }).summary), rows[i]!.diagnosis);
        }
        assert.equal(await opened.page.$eval("[data-chart=history]", (e) => e.getAttribute("data-points")), "2");
        // Two more trials while the page is open: the journal's tail brings them in.
        await tune(join(root, "study"));
        await waitRows(opened, 4);
        assert.deepEqual(await rowNumbers(opened), [0, 1, 2, 3]);
        await opened.page.click(".trials-table tbody tr[data-number='3'] a");
        await opened.page.waitForFunction(`location.hash === "#/run/study/trials/3"`);
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    });
  });

  test("a 10,000-trial study pages, filters, sorts (the best equals the writer's formula's) and plots", { timeout: 180_000 }, async () => {
    let written!: ReturnType<typeof writeSyntheticStudy>;
    await withServed((root) => { mkdirSync(join(root, "big")); written = writeSyntheticStudy(join(root, "big"), 10_000); }, async (url) => {
      const opened = await openPage(`${url}#/study/big`, { width: 1400, height: 1000 });
      try {
        const { page } = opened;
        await waitRows(opened, 50);
        assert.deepEqual(await rowNumbers(opened), Array.from({ length: 50 }, (_, i) => i));
        const valued = written.states.filter((s) => s === "COMPLETE" || s === "PRUNED").length;
        assert.equal(await page.$eval("[data-chart=history]", (e) => e.getAttribute("data-points")), String(valued));
        assert.equal(await page.$eval("[data-chart=intermediate]", (e) => e.getAttribute("data-points")), "300");

        await page.click("[data-control=next]");
        await page.waitForSelector("[data-page='2']");
        assert.deepEqual(await rowNumbers(opened), Array.from({ length: 50 }, (_, i) => 50 + i));

        await page.select("[data-control=state]", "PRUNED");
        await page.waitForSelector("[data-page='1']");
        const pruned = written.states.flatMap((s, n) => (s === "PRUNED" ? [n] : []));
        assert.deepEqual(await rowNumbers(opened), pruned.slice(0, 50));
        assert.match(await page.$eval(".pager", (e) => e.textContent!), new RegExp(`page 1 of ${Math.ceil(pruned.length / 50)} \\(${pruned.length} trials\\)`));

        await page.select("[data-control=state]", "COMPLETE");
        await page.click("[data-sort=value]");
        await page.waitForFunction(`location.hash.includes("sort=value")`);
        const complete = written.states.flatMap((s, n) => (s === "COMPLETE" ? [n] : []));
        const best = [...complete].sort((a, b) => syntheticValue(written.params[a]!) - syntheticValue(written.params[b]!) || a - b);
        assert.deepEqual(await rowNumbers(opened), best.slice(0, 50));
        assert.equal(await hash(opened), "#/study/big?state=COMPLETE&sort=value");

        // The settings live in the URL: a reload lands on the same view.
        await page.reload({ waitUntil: "load" });
        await waitRows(opened, 50);
        assert.deepEqual(await rowNumbers(opened), best.slice(0, 50));

        await page.waitForSelector("[data-figure=parallel] svg", { timeout: 30_000 });
        const figures = await page.$$eval("[data-figure]", (fs) => fs.map((f) => [f.getAttribute("data-figure"), f.querySelector("svg") !== null]));
        assert.deepEqual(figures, [["param-lr", true], ["param-weightDecay", true], ["param-activation", true], ["parallel", true], ["c2f-boxes", true], ["coverage", true]]);
        assert.deepEqual(opened.problems, []);
      } finally {
        await opened.close();
      }
    });
  });

  test("says what is wrong when the folder holds no study", { timeout: 60_000 }, async () => {
    await withServed(() => {}, async (url) => {
      const opened = await openPage(`${url}#/study/nothing`);
      try {
        const text = await opened.page.waitForSelector("p.error").then((e) => e!.evaluate((p) => p.textContent));
        assert.equal(text, "Cannot read the study nothing: 404 no study at nothing: expected a study folder holding journal.log under the served folder");
        assert.deepEqual(opened.problems.map((p) => p.replace(/http:\/\/[^/]+/, "")), ["console error: Failed to load resource: the server responded with a status of 404 (Not Found) (/api/study/nothing)"]);
      } finally {
        await opened.close();
      }
    });
  });
});
