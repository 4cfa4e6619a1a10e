import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as mn from "../../src/index.node.js";
import { History } from "../../src/train/history.js";
import { CONFIG, LAYER_NAMES, syntheticRecords } from "./synthetic-run.js";

const PLOTS = ["loss", "accuracy", "step-loss", "lr", "grad-norm", "gap", "update-ratio"];

/** The History that readRun would make of syntheticRecords: the same records, sorted by kind. */
function history(options: Parameters<typeof syntheticRecords>[0] = {}): History {
  const records = syntheticRecords(options) as { kind: string }[];
  const strip = <T extends { kind: string }>(r: T) => { const { kind: _k, ...rest } = r; return rest; };
  return History.fromJSON({
    steps: records.filter((r) => r.kind === "step").map(strip) as never,
    layers: records.filter((r) => r.kind === "layer").map(strip) as never,
    epochs: records.filter((r) => r.kind === "epoch").map(strip) as never,
  });
}

/** The HTML of the <figure id="plot-name"> element. */
function figure(html: string, name: string): string {
  const m = new RegExp(`<figure id="plot-${name}">([\\s\\S]*?)</figure>`).exec(html);
  assert.ok(m, `figure plot-${name} is missing`);
  return m[1]!;
}

describe("report.renderReport", () => {
  test("a full history gets every plot as inline SVG, each in a figure with a caption", () => {
    const html = mn.report.renderReport({ title: "run-1", config: CONFIG, history: history(), diagnosis: null });
    assert.ok(html.startsWith("<!DOCTYPE html>"));
    for (const name of PLOTS) {
      const f = figure(html, name);
      assert.match(f, /^\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n<figcaption>[^<]{20,}<\/figcaption>/, name);
      assert.ok(!f.includes('class="note missing"'), `${name} should be drawn`);
    }
    assert.equal((html.match(/<figure /g) ?? []).length, PLOTS.length);
    // The per-layer chart has one line per parameter and the dashed 1e-3 reference.
    const ratio = figure(html, "update-ratio");
    for (const name of LAYER_NAMES) assert.ok(ratio.includes(`<title>${name}</title>`), name);
    assert.match(ratio, /stroke-dasharray="6 4"\/>\n<text[^>]*>1e-3<\/text>/);
    // Raw step losses are drawn light under their smoothed curve.
    assert.match(figure(html, "step-loss"), /stroke-opacity="0.3"><title>loss<\/title>[\s\S]*<title>EWMA β=0.9<\/title>/);
  });

  test("the header shows the run's settings, epochs, best validation and final test accuracy; the page loads nothing", () => {
    const html = mn.report.renderReport({ title: "run-1", config: CONFIG, history: history({ epochs: 4 }), diagnosis: null });
    const header = /<header>([\s\S]*)<\/header>/.exec(html)![1]!;
    for (const [k, v] of [["dataset", "mnist"], ["model", "mlp"], ["optimizer", "adam"], ["learning rate", "0.05"], ["batch size", "128"], ["epochs", "4 of 4"], ["optimizer steps", "100"]]) {
      assert.ok(header.includes(`<dt>${k}</dt><dd>${v}</dd>`), `${k}: ${v}`);
    }
    // syntheticRecords: valAccuracy 0.58 + 0.07·epoch is best at epoch 4; testAccuracy 0.57 + 0.07·4.
    assert.ok(header.includes("<dt>best val accuracy</dt><dd>86.00% (epoch 4)</dd>"));
    assert.ok(header.includes("<dt>test accuracy</dt><dd>85.00% (epoch 4)</dd>"));
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.ok(!/<script|<link|src=|@import|url\(/i.test(html), "no scripts, stylesheets, images or fonts to fetch");
  });

  test("missing data leaves a note in place of the plot: no validation set, no per-step records, no epochs", () => {
    const noVal = mn.report.renderReport({ title: "r", config: null, history: history({ validation: false, layers: false }), diagnosis: null });
    assert.match(figure(noVal, "gap"), /<p class="note missing">The run had no validation set, so there is no gap to show.<\/p>/);
    assert.match(figure(noVal, "update-ratio"), /<p class="note missing">The run recorded no per-layer statistics.<\/p>/);
    assert.ok(!figure(noVal, "loss").includes("<title>validation</title>"), "no validation line");
    assert.ok(figure(noVal, "loss").includes("<title>train</title>"));

    const epochsOnly = history();
    epochsOnly.steps = [];
    epochsOnly.layers = [];
    const old = mn.report.renderReport({ title: "r", config: null, history: epochsOnly, diagnosis: null });
    for (const name of ["step-loss", "grad-norm"]) assert.match(figure(old, name), /class="note missing">The run recorded no per-step metrics/);
    assert.match(figure(old, "lr"), /<svg[\s\S]*Learning rate per epoch/, "lr falls back to the per-epoch value");

    const empty = mn.report.renderReport({ title: "r", config: null, history: new History(), diagnosis: null });
    for (const name of PLOTS) assert.match(figure(empty, name), /class="note missing"/, name);
    assert.match(figure(empty, "loss"), /No epoch has finished yet/);
    assert.ok(empty.includes("<dt>epochs</dt><dd>0</dd>"));
    assert.ok(empty.includes("No diagnosis for this run."));
  });

  test("the diagnosis: its summary and each finding with its severity class, message, epoch and advice", () => {
    const diagnosis = {
      summary: "Training went well but started to overfit.",
      findings: [
        { kind: "overfitting", severity: "warning" as const, message: "Validation loss rose for 2 epochs.", advice: "Add weight decay.", epoch: 3 },
        { kind: "dead-layer", severity: "problem" as const, message: "fc1.bias never moved.", advice: "Check its learning rate.", layer: "fc1.bias", step: 40 },
      ],
    };
    const html = mn.report.renderReport({ title: "r", config: null, history: history(), diagnosis });
    const section = /<section id="diagnosis">([\s\S]*?)<\/section>/.exec(html)![1]!;
    assert.ok(section.includes('<p class="summary-text">Training went well but started to overfit.</p>'));
    assert.match(section, /<li class="finding warning">\n<span class="severity">warning<\/span> <span class="message">Validation loss rose for 2 epochs.<\/span> <span class="where">\(epoch 3\)<\/span>\n<p class="advice">Add weight decay.<\/p>/);
    assert.match(section, /<li class="finding problem">\n<span class="severity">problem<\/span> <span class="message">fc1.bias never moved.<\/span> <span class="where">\(fc1.bias, step 40\)<\/span>\n<p class="advice">Check its learning rate.<\/p>/);
    assert.ok(!section.includes("No diagnosis"));
  });

  test("events (what callbacks did to the run) get their own section, with where they happened; none, no section", () => {
    const h = history();
    h.events = [{ step: 42, epoch: 2, message: "divergence guard: rolled back to epoch 1 and cut the lr to 0.0250" }];
    const html = mn.report.renderReport({ title: "r", config: null, history: h, diagnosis: null });
    assert.match(html, /<section id="events">\n<h2>Events<\/h2>\n<ul>\n<li><span class="where">step 42 \(epoch 2\)<\/span>: divergence guard: rolled back to epoch 1 and cut the lr to 0.0250<\/li>\n<\/ul>/);
    assert.ok(!mn.report.renderReport({ title: "r", config: null, history: history(), diagnosis: null }).includes('id="events"'));
  });

  test("every text is escaped: a hostile run name, config value, stop reason or diagnosis cannot inject markup", () => {
    const evil = `<script>alert("x")</script><img src=x onerror='y'>&amp;`;
    const h = history();
    h.stopReason = evil;
    h.events = [{ step: 3, epoch: 1, message: evil }];
    const html = mn.report.renderReport({
      title: evil, config: { ...CONFIG, dataset: evil, optimizer: evil }, history: h,
      diagnosis: { summary: evil, findings: [{ kind: evil, severity: "info", message: evil, advice: evil, epoch: 1 }] },
      notes: [evil],
    });
    assert.ok(!html.includes("<script"), "no script element");
    assert.ok(!html.includes("<img"), "no img element");
    const escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;y&#39;&gt;&amp;amp;";
    // The title, the heading, dataset, optimizer, stop reason, note, summary, message, advice, event.
    assert.equal(html.split(escaped).length - 1, 10);
    // The full config is JSON, so its quotes come backslashed, and escaped all the same.
    assert.ok(html.includes(`&quot;dataset&quot;: &quot;&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;`));
  });
});
