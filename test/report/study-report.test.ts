import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as mn from "../../src/index.node.js";
import { correlationRatio, importance, ranks, studyData, type StudyLike } from "../../src/report/study-data.js";
import { thinTrials } from "../../src/report/study-plots.js";
import { decodePng, inkStats } from "../helpers/decode-png.js";

type FrozenTrial = mn.tune.FrozenTrial;

/** A FrozenTrial built by hand, as a storage would hold it. */
function frozen(number: number, state: mn.tune.TrialState, value: number | null, params: Record<string, number | string>, extra: Partial<FrozenTrial> = {}): FrozenTrial {
  const distributions: Record<string, mn.tune.Distribution> = {};
  for (const [k, v] of Object.entries(params)) {
    distributions[k] = typeof v === "string" ? mn.tune.categorical(["relu", "gelu", "tanh"]) : k === "lr" ? mn.tune.float(1e-4, 1, { log: true }) : mn.tune.float(1e-6, 1e-2, { log: true });
  }
  return { trialId: number, number, state, value, datetimeStart: null, datetimeComplete: null, params, distributions, intermediateValues: new Map(), userAttrs: {}, systemAttrs: {}, ...extra };
}

const studyOf = (trials: FrozenTrial[], systemAttrs: Record<string, unknown> = {}, direction: mn.tune.Direction = "minimize"): StudyLike =>
  ({ studyName: "s", direction, trials, systemAttrs });

/** Every <circle>'s centre, in drawing order. */
const circles = (svg: string) => [...svg.matchAll(/<circle cx="([-\d.]+)" cy="([-\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);

describe("study report: the numbers behind the pictures", () => {
  test("ranks match scipy.stats.rankdata's documented example (ties share their mean rank): [0, 2, 3, 2] → [1, 2.5, 4, 2.5]", () => {
    assert.deepEqual(ranks([0, 2, 3, 2]), [1, 2.5, 4, 2.5]);
  });

  test("correlationRatio is η² = SS_between / SS_total (closed form: [[1,2],[3,4]] → 4/5; one value → 0)", () => {
    assert.equal(correlationRatio([[1, 2], [3, 4]]), 0.8);
    assert.equal(correlationRatio([[3, 3], [3]]), 0);
  });

  test("importance: 9 trials whose value follows lr alone give lr η² = 54/60 over 3 bins (closed form) and the unused parameter near 0", () => {
    const lrs = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];
    const wds = [5e-3, 1e-5, 1e-3, 1e-6, 1e-4, 2e-6, 3e-5, 4e-3, 5e-4];
    const trials = lrs.map((lr, i) => frozen(i, "COMPLETE", i, { lr, weightDecay: wds[i]! }));
    const data = studyData(studyOf(trials));
    // Value ranks 1..9 in lr order, bins {1,2,3} {4,5,6} {7,8,9}: between 3·(3² + 0 + 3²) = 54, total Σ(r − 5)² = 60.
    assert.equal(importance(data, "lr"), 54 / 60);
    assert.ok(importance(data, "weightDecay") < 0.5);
  });

  test("importance sees a U-shaped dependence (lr too small or too large) that a correlation would miss", () => {
    const lrs = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];
    const trials = lrs.map((lr, i) => frozen(i, "COMPLETE", (Math.log10(lr) + 2) ** 2, { lr, weightDecay: 10 ** (-6 + (i * 7) % 9 / 2.25) }));
    const data = studyData(studyOf(trials));
    assert.ok(importance(data, "lr") > importance(data, "weightDecay"), `${importance(data, "lr")} vs ${importance(data, "weightDecay")}`);
  });

  test("studyData counts states, ranks COMPLETE trials by direction (earlier first on a tie), reads the metric and the stage boxes", () => {
    const stage = (k: number, budget: number) => ({ systemAttrs: { "minima:c2f_stage": k, "minima:budget": budget } });
    const trials = [
      frozen(0, "COMPLETE", 0.8, { lr: 0.1 }, stage(1, 1)), frozen(1, "PRUNED", 0.5, { lr: 0.2 }, stage(2, 3)), frozen(2, "COMPLETE", 0.9, { lr: 0.3 }),
      frozen(3, "FAIL", null, { lr: 0.4 }), frozen(4, "COMPLETE", 0.9, { lr: 0.5 }), frozen(5, "RUNNING", null, {}), frozen(6, "COMPLETE", NaN, { lr: 0.6 }),
    ];
    const data = studyData(studyOf(trials, {
      "minima:metric": "valAccuracy", "minima:sampler": { name: "coarse-to-fine", seed: 1 },
      "minima:c2f:stage:2": { lr: { low: 0.01, high: 0.1, log: true }, act: { choices: ["relu"] } },
      "minima:c2f:stage:1": { lr: { low: 1e-4, high: 1, log: true }, bad: { low: 2, high: 1, log: false }, act: { choices: ["relu", "gelu"] } },
    }, "maximize"));
    assert.deepEqual(data.counts, { RUNNING: 1, COMPLETE: 4, PRUNED: 1, FAIL: 1, WAITING: 0 });
    assert.deepEqual(data.ranked.map((t) => t.number), [2, 4, 0], "maximize: 0.9 (trial 2 before 4), then 0.8; NaN left out");
    assert.equal(data.metric, "valAccuracy");
    assert.equal(data.sampler, "coarse-to-fine");
    assert.deepEqual(data.stages, [{ stage: 1, box: { lr: [1e-4, 1] }, choices: { act: ["relu", "gelu"] }, budget: 1 }, { stage: 2, box: { lr: [0.01, 0.1] }, choices: { act: ["relu"] }, budget: 3 }],
      "CoarseToFineSampler's boxes by stage number, the budget from the stage's trials; a reversed range is left out");
  });

  test("thinTrials draws at most max trials of 10,000: the best tenth of max, then evenly spread others, the same every time", () => {
    const trials = Array.from({ length: 10_000 }, (_, i) => frozen(i, "COMPLETE", (i * 7919) % 10_000, { lr: 0.01 }));
    const data = studyData(studyOf(trials));
    const drawn = thinTrials(trials, data.ranked, 300);
    assert.equal(drawn.length, 300);
    for (const t of data.ranked.slice(0, 30)) assert.ok(drawn.includes(t), `best trial ${t.number} drawn`);
    assert.deepEqual(thinTrials(trials, data.ranked, 300).map((t) => t.number), drawn.map((t) => t.number));
    assert.deepEqual(drawn.map((t) => t.number), [...drawn.map((t) => t.number)].sort((a, b) => a - b), "in trial order");
  });
});

describe("study report: charts", () => {
  const curve = (values: number[]) => new Map(values.map((v, i) => [i + 1, v] as [number, number]));
  const trials = [
    frozen(0, "COMPLETE", 0.3, { lr: 0.01, weightDecay: 1e-4, act: "relu" }, { intermediateValues: curve([0.9, 0.5, 0.3]), userAttrs: { diagnosis: { summary: "Healthy <ok>", findings: [{ severity: "info" }] } } }),
    frozen(1, "PRUNED", 0.95, { lr: 0.5, weightDecay: 1e-3, act: "gelu" }, { intermediateValues: curve([1.2, 0.95]) }),
    frozen(2, "COMPLETE", 0.6, { lr: 1e-3, weightDecay: 1e-5, act: "tanh" }, { intermediateValues: curve([1.0, 0.8, 0.6]), userAttrs: { diagnosis: { summary: "Diverged at step 40", findings: [{ severity: "problem" }] } } }),
    frozen(3, "COMPLETE", 0.4, { lr: 0.1, weightDecay: 1e-2, act: "relu" }, { intermediateValues: curve([0.8, 0.5, 0.4]) }),
  ];
  const data = studyData(studyOf(trials, { "minima:metric": "valLoss" }));
  const plots = mn.report.studyPlots(data);
  const plot = (name: string) => plots.find((p) => p.name === name)!;

  test("one chart each: curves, the objective by every parameter, parallel coordinates, c2f boxes (a note: no stages), coverage", () => {
    assert.deepEqual(plots.map((p) => p.name), ["curves", "param-lr", "param-weightDecay", "param-act", "parallel", "c2f-boxes", "coverage"]);
    assert.equal(plot("c2f-boxes").svg, null);
    assert.equal(plot("c2f-boxes").note, "Not a coarse-to-fine study: it recorded no stage boxes (minima:c2f:stage:<k>).");
  });

  test("learning curves: one path per trial, the pruned trial ends in a cross at its last point, the best is black and thick", () => {
    const svg = plot("curves").svg!;
    const paths = [...svg.matchAll(/<path d="M([^"]*)" fill="none" stroke="([^"]*)" stroke-width="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)];
    assert.deepEqual(paths.map((m) => m[4]).sort(), ["trial 0", "trial 1", "trial 2", "trial 3"]);
    const best = paths.find((m) => m[4] === "trial 0")!;
    assert.deepEqual([best[2], best[3]], ["#000000", "2.5"]);
    const pruned = paths.find((m) => m[4] === "trial 1")!;
    const last = pruned[1]!.split("L").at(-1)!.split(",").map(Number);
    const cross = /<path d="M([-\d.]+),([-\d.]+)L[-\d.]+,[-\d.]+M[-\d.]+,[-\d.]+L[-\d.]+,[-\d.]+" stroke="#E69F00"/.exec(svg)!;
    // d3-path writes coordinates to 3 decimals, the cross at full precision.
    assert.ok(Math.abs(Number(cross[1]) + 5 - last[0]!) < 1e-3 && Math.abs(Number(cross[2]) + 5 - last[1]!) < 1e-3, `the × is centred on the pruned curve's last point ${last}`);
  });

  test("a log parameter's axis is logarithmic: equal ratios of lr lie equal distances apart", () => {
    const svg = plot("param-lr").svg!;
    const xs = circles(svg).map(([x]) => x);
    // lr 1e-3, 0.01, 0.1 (trials 2, 0 → a cross for the best, 3): the dots of 1e-3 and 0.1 sit symmetric about 0.01's x, taken from the tick "0.01".
    const tick = Number(/<line x1="([\d.]+)" x2="\1" y1="372" y2="377" stroke="#333"\/>\n<text x="\1" y="390" text-anchor="middle">0.01<\/text>/.exec(svg)![1]);
    const [a, b] = [xs.find((x) => x < tick)!, xs.find((x) => x > tick + 1 && x < tick + 200)!];
    assert.ok(Math.abs((tick - a) - (b - tick)) < 1e-9, `${a} ${tick} ${b}`);
    assert.match(svg, /<circle cx="[-\d.]+" cy="[-\d.]+" r="3.5" fill="none" stroke="[^"]*" stroke-width="1.5"><title>trial 1 \(PRUNED\)/, "the pruned trial is a ring");
  });

  test("a categorical parameter gets one labelled slot per choice", () => {
    const svg = plot("param-act").svg!;
    for (const c of ["relu", "gelu", "tanh"]) assert.match(svg, new RegExp(`text-anchor="middle">${c}</text>`));
  });

  test("parallel coordinates: one line per COMPLETE trial (3), through an axis per parameter and the metric", () => {
    const svg = plot("parallel").svg!;
    assert.equal([...svg.matchAll(/<title>trial \d/g)].length, 3);
    for (const name of ["lr", "weightDecay", "act", "valLoss"]) assert.match(svg, new RegExp(`font-weight="bold">${name}</text>`));
  });

  test("the coarse-to-fine boxes sit where the trials at their corners are drawn (points and rectangles share the axes)", () => {
    const stage = (k: number) => ({ systemAttrs: { "minima:c2f_stage": k, "minima:budget": k } });
    const corner = [frozen(0, "COMPLETE", 0.5, { lr: 1e-3, weightDecay: 1e-5 }, stage(1)), frozen(1, "COMPLETE", 0.4, { lr: 0.1, weightDecay: 1e-3 }, stage(1)),
      frozen(2, "COMPLETE", 0.2, { lr: 0.01, weightDecay: 1e-4 }, stage(2))];
    const staged = studyData(studyOf(corner, { "minima:c2f:stage:1": { lr: { low: 1e-3, high: 0.1, log: true }, weightDecay: { low: 1e-5, high: 1e-3, log: true } } }));
    const svg = mn.report.studyPlots(staged).find((p) => p.name === "c2f-boxes")!.svg!;
    const rect = /<rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)" fill="#0072B2" fill-opacity="0.08"[^>]*><title>stage 1 \(budget 1\)<\/title>/.exec(svg)!;
    const [x, y, w, h] = rect.slice(1).map(Number) as [number, number, number, number];
    const [[x0, y0], [x1, y1]] = circles(svg);
    assert.deepEqual([x0, y0], [x, y + h], "lr 1e-3, wd 1e-5: the box's lower-left corner");
    assert.deepEqual([x1, y1], [x + w, y], "lr 0.1, wd 1e-3: its upper-right corner");
    assert.match(svg, /stage 1 \(budget 1\)<\/text>/);
  });

  test("coverage: a 3 × 3 grid tries 3 values of each parameter, 9 random trials 9 (the notes' picture), one rug tick per value", () => {
    const values = [1e-3, 1e-2, 1e-1];
    const grid = values.flatMap((lr, i) => values.map((w, j) => frozen(3 * i + j, "COMPLETE", (Math.log10(lr) + 2) ** 2 + j * 1e-3, { lr, weightDecay: w / 100 })));
    const random = Array.from({ length: 9 }, (_, i) => frozen(i, "COMPLETE", i, { lr: 10 ** (-3 + (i * 0.37) % 2), weightDecay: 10 ** (-5 + (i * 0.61) % 2) }));
    const cover = (trials: FrozenTrial[]) => mn.report.studyPlots(studyData(studyOf(trials))).find((p) => p.name === "coverage")!.svg!;
    const rugX = (svg: string) => [...svg.matchAll(/<line x1="([-\d.]+)" x2="\1" y1="372" y2="364" stroke="#D55E00"/g)].length;
    assert.match(cover(grid), /9 trials tried 3 values of lr and 3 of weightDecay/);
    assert.equal(rugX(cover(grid)), 3);
    assert.match(cover(random), /9 trials tried 9 values of (lr|weightDecay) and 9 of/);
    assert.equal(rugX(cover(random)), 9);
  });

  test("10,000 trials: the report is made in seconds, draws at most 300 curves and 2000 points, and says so; the tables use every trial", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => frozen(i, "COMPLETE", ((i * 7919) % 10_000) / 10_000, { lr: 10 ** (-4 + ((i * 0.618) % 4)), weightDecay: 10 ** (-6 + ((i * 0.414) % 4)) },
      { intermediateValues: new Map(Array.from({ length: 20 }, (_, s) => [s, 1 / (s + 1)] as [number, number])) }));
    const start = performance.now();
    const { html, plots: big } = mn.report.studyReport(studyOf(many));
    const seconds = (performance.now() - start) / 1000;
    assert.ok(seconds < 20, `${seconds} s`);
    assert.equal([...big.find((p) => p.name === "curves")!.svg!.matchAll(/<title>trial /g)].length, 300);
    assert.equal(circles(big.find((p) => p.name === "param-lr")!.svg!).length, 1999, "2000 points, the best one a cross");
    assert.match(big.find((p) => p.name === "curves")!.caption, /\(300 of 10000 trials drawn: the best, then every k-th other\)/);
    assert.match(html, /10000: 10000 complete, 0 pruned/);
    assert.match(html, /The 10 best of 10000 complete trials\./);
    assert.ok(html.length < 5e6, `${html.length} characters`);
  });
});

describe("study report: the page", () => {
  test("the best trials in order with their parameters and diagnoses, problems listed, names escaped, nothing loaded from outside", () => {
    const trials = [
      frozen(0, "COMPLETE", 0.3, { lr: 0.01 }, { userAttrs: { diagnosis: { summary: "Healthy <ok>", findings: [{ severity: "info" }] } } }),
      frozen(1, "COMPLETE", 0.2, { lr: 0.1 }, { userAttrs: { diagnosis: { summary: "Diverged at step 40", findings: [{ severity: "problem" }] } } }),
      frozen(2, "FAIL", null, { lr: 1 }, { userAttrs: { diagnosis: "lr too high" } }),
    ];
    const { html } = mn.report.studyReport({ studyName: "mlp <1>", direction: "minimize", trials, systemAttrs: { "minima:metric": "valLoss" } });
    assert.match(html, /<h1>mlp &lt;1&gt;<\/h1>/);
    const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td class="diagnosis[^"]*">([^<]*)<\/td><\/tr>/g)].map((m) => m.slice(1));
    assert.deepEqual(rows, [["1", "1", "0.2", "0.1", "Diverged at step 40"], ["2", "0", "0.3", "0.01", "Healthy &lt;ok&gt;"]]);
    assert.match(html, /<h2>Trials with problems \(1\)<\/h2>\n<ul>\n<li><span class="where">trial 1 \(COMPLETE\)<\/span>: Diverged at step 40<\/li>/);
    assert.match(html, /<dt>objective<\/dt><dd>valLoss \(minimize\)<\/dd>/);
    assert.match(html, /<dt>best<\/dt><dd>0.2 \(trial 1\): lr = 0.1<\/dd>/);
    assert.match(html, /content="default-src 'none'; style-src 'unsafe-inline'"/);
    assert.ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(html), "no script, no outside URL but SVG's namespace");
  });

  test("a real study (RandomSampler, ask/report/tell) written with PNGs: the HTML and a readable PNG per drawn chart, in a temporary folder", () => {
    const study = mn.tune.createStudy({ sampler: new mn.tune.RandomSampler({ seed: 3 }), studyName: "quad", onWarning: () => {} });
    study.optimize((t) => {
      const lr = t.suggestFloat("lr", 1e-4, 1, { log: true }), wd = t.suggestFloat("weightDecay", 1e-6, 1e-2, { log: true });
      let v = 0;
      for (let s = 1; s <= 4; s++) t.report((v = (Math.log10(lr) + 2) ** 2 + Math.abs(Math.log10(wd) + 4) / 10 + 1 / s), s);
      return v;
    }, { nTrials: 12 });
    const dir = mkdtempSync(join(tmpdir(), "minima-study-report-"));
    try {
      const written = mn.report.writeStudyReport(study, dir, { png: true });
      assert.equal(written[0], join(dir, "study-report.html"));
      assert.deepEqual(written.slice(1).map((p) => p.slice(dir.length + 1)).sort(),
        ["study-plots/coverage.png", "study-plots/curves.png", "study-plots/parallel.png", "study-plots/param-lr.png", "study-plots/param-weightDecay.png"]);
      assert.match(readFileSync(written[0]!, "utf8"), /12: 12 complete/);
      const image = decodePng(readFileSync(join(dir, "study-plots", "curves.png")));
      assert.equal(image.width, 1440);
      assert.ok(inkStats(image).ink > 0.02 * image.width * image.height);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("report's new SVG charts refuse bad input by name", () => {
  test("scatterChart: a rectangle with its corners the wrong way round", () => {
    assert.throws(() => mn.report.scatterChart({ title: "", xLabel: "", yLabel: "", points: [], rects: [{ x0: 2, x1: 1, y0: 0, y1: 1, color: "#000", label: "box" }] }),
      { message: "scatterChart: rectangle \"box\" has its corners the wrong way round; expected x0 ≤ x1 and y0 ≤ y1, got x 2..1, y 0..1" });
  });
  test("parallelCoordinates: fewer than 2 axes, or an axis with a value count other than the lines'", () => {
    assert.throws(() => mn.report.parallelCoordinates({ title: "", axes: [{ name: "a", scale: { kind: "linear" }, values: [1] }], colors: ["#000"] }),
      { message: "parallelCoordinates: needs at least 2 axes, got 1" });
    assert.throws(() => mn.report.parallelCoordinates({ title: "", axes: [{ name: "a", scale: { kind: "linear" }, values: [1] }, { name: "b", scale: { kind: "linear" }, values: [1, 2] }], colors: ["#000"] }),
      { message: "parallelCoordinates: axis \"b\" has 2 values for 1 lines" });
  });
});

describe("study report: coarse-to-fine stages on the page", () => {
  test("a table of each stage's budget and box (numeric ranges, kept choices), from CoarseToFineSampler's attrs", () => {
    const t = (n: number, stage: number, budget: number) => frozen(n, "COMPLETE", n, { lr: 0.01, act: "relu" }, { systemAttrs: { "minima:c2f_stage": stage, "minima:budget": budget } });
    const { html } = mn.report.studyReport(studyOf([t(0, 1, 1), t(1, 2, 3)], {
      "minima:c2f:stage:1": { lr: { low: 1e-4, high: 1, log: true }, act: { choices: ["relu", "gelu", "tanh"] } },
      "minima:c2f:stage:2": { lr: { low: 0.002, high: 0.05, log: true }, act: { choices: ["relu"] } },
    }));
    assert.match(html, /<thead><tr><th>stage<\/th><th>budget<\/th><th>lr<\/th><th>act<\/th><\/tr><\/thead>/);
    assert.match(html, /<tr><td>1<\/td><td>1<\/td><td>1e-4 … 1<\/td><td>relu, gelu, tanh<\/td><\/tr>/);
    assert.match(html, /<tr><td>2<\/td><td>3<\/td><td>0.002 … 0.05<\/td><td>relu<\/td><\/tr>/);
  });
});

describe("study report on the samplers' own studies", () => {
  // Bergstra & Bengio 2012's picture (note 003): the objective depends on lr alone; 9 trials each.
  const objective = (t: mn.tune.Trial) => {
    const lr = t.suggestFloat("lr", 1e-4, 1, { log: true });
    t.suggestFloat("weightDecay", 1e-6, 1e-2, { log: true });
    return (Math.log10(lr) + 2.3) ** 2;
  };
  const coverage = (sampler: mn.tune.Sampler) => {
    const study = mn.tune.createStudy({ sampler, onWarning: () => {} });
    study.optimize(objective, { nTrials: 9 });
    return mn.report.studyReport(study).plots.find((p) => p.name === "coverage")!;
  };

  test("GridSampler 3 × 3 tries 3 values of lr, RandomSampler 9: the coverage picture says so, lr (the one that matters) first", () => {
    const grid = coverage(new mn.tune.GridSampler({ searchSpace: { lr: [1e-3, 1e-2, 1e-1], weightDecay: [1e-5, 1e-4, 1e-3] }, seed: 0 }));
    assert.match(grid.svg!, /9 trials tried 3 values of lr and 3 of weightDecay/);
    const random = coverage(new mn.tune.RandomSampler({ seed: 0 }));
    assert.match(random.svg!, /9 trials tried 9 values of lr and 9 of weightDecay/);
  });

  test("CoarseToFineSampler: each stage's box is drawn, nested in the one before, and listed with its budget", () => {
    const study = mn.tune.createStudy({ sampler: new mn.tune.CoarseToFineSampler({ stages: 3, trialsPerStage: 6, topK: 2, initialBudget: 1, budgetGrowth: 2, seed: 1 }), onWarning: () => {} });
    study.optimize(objective, { nTrials: 18 });
    const { html, plots } = mn.report.studyReport(study);
    const svg = plots.find((p) => p.name === "c2f-boxes")!.svg!;
    const rects = [...svg.matchAll(/<rect x="([-\d.]+)" y="([-\d.]+)" width="([-\d.]+)" height="([-\d.]+)" fill="[^"]*" fill-opacity="0.08"[^>]*><title>stage (\d) \(budget (\d)\)/g)]
      .map((m) => ({ x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]), stage: Number(m[5]), budget: Number(m[6]) }));
    assert.deepEqual(rects.map((r) => [r.stage, r.budget]), [[1, 1], [2, 2], [3, 4]]);
    for (let k = 1; k < rects.length; k++) {
      const [outer, inner] = [rects[k - 1]!, rects[k]!];
      const eps = 1e-6;
      assert.ok(inner.x >= outer.x - eps && inner.y >= outer.y - eps && inner.x + inner.w <= outer.x + outer.w + eps && inner.y + inner.h <= outer.y + outer.h + eps, `stage ${inner.stage}'s box inside stage ${outer.stage}'s`);
    }
    assert.match(html, /<tr><td>3<\/td><td>4<\/td><td>[^<]+ … [^<]+<\/td><td>[^<]+ … [^<]+<\/td><\/tr>/);
  });
});
