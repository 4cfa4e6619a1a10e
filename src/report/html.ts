import type { History } from "../train/history.js";
import { escapeMarkup as escapeHtml } from "./escape.js";
import type { ConfusionLog, LoggedDiagnosis, LoggedFinding } from "../io/run-log.js";
import { runPlots, type RunPlot } from "./run-plots.js";

export interface ReportInput {
  /** Shown as the page's heading: the run's folder name, usually. */
  title: string;
  /** The run's config.json (CLI flags); null when unknown. */
  config: Record<string, unknown> | null;
  history: History;
  diagnosis: LoggedDiagnosis | null;
  /** Remarks about the data (a torn last line was ignored...). */
  notes?: readonly string[];
  /** The charts, when the caller has made them already (writeReport does, for the PNGs). */
  plots?: readonly RunPlot[];
  /** A classifier's confusion matrix (the run log's "confusion" record), drawn with the per-class accuracy when the plots are made here. */
  confusion?: ConfusionLog | null;
}

// The config fields worth a glance, in reading order; the rest are in the full config below.
const CONFIG_FIELDS: [key: string, label: string][] = [
  ["dataset", "dataset"], ["model", "model"], ["hidden", "hidden"], ["channels", "channels"], ["optimizer", "optimizer"],
  ["lr", "learning rate"], ["schedule", "schedule"], ["warmup", "warmup steps"], ["batchSize", "batch size"],
  ["clipNorm", "clip norm"], ["sam", "SAM ρ"], ["weightDecay", "weight decay"], ["seed", "seed"],
];


const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * A training run's babysitting report as one self-contained HTML page: what was run, how it did,
 * the diagnosis, and the charts as inline SVG. It loads nothing (a Content-Security-Policy forbids
 * it), so it opens offline and can be mailed as one file.
 * @example writeFileSync("report.html", mn.report.renderReport({ title: "my run", config: null, history, diagnosis: null }));
 */
export function renderReport(input: ReportInput): string {
  const { title, config, history, diagnosis, notes = [] } = input;
  const plots = input.plots ?? runPlots(history, input.confusion ?? null);
  return htmlPage(`${title} · minima report`, STYLE, `<header>
<h1>${escapeHtml(title)}</h1>
${summaryList(config, history)}
${notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("\n")}
</header>
<section id="diagnosis">
<h2>Diagnosis</h2>
${diagnosisHtml(diagnosis)}
</section>
${eventsHtml(history)}
<section id="plots">
<h2>Plots</h2>
${plots.map(figure).join("\n")}
</section>
${config === null ? "" : `<details id="config"><summary>Full configuration</summary><pre>${escapeHtml(JSON.stringify(config, null, 2))}</pre></details>`}`);
}

/**
 * A self-contained page around `body`: its Content-Security-Policy lets no request leave it (styles
 * inline, no scripts, no fonts or images from anywhere), for run and study reports alike.
 */
export function htmlPage(title: string, style: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function summaryList(config: Record<string, unknown> | null, history: History): string {
  const rows: [string, string][] = [];
  for (const [key, label] of CONFIG_FIELDS) {
    const v = config?.[key];
    // The CLI records --channels for every model; only a CNN has them.
    if (key === "channels" && config?.["model"] !== "cnn") continue;
    if (v !== undefined && v !== null) rows.push([label, Array.isArray(v) ? v.join(", ") : String(v)]);
  }
  const planned = typeof config?.["epochs"] === "number" ? ` of ${config["epochs"]}` : "";
  rows.push(["epochs", `${history.epochs.length}${planned}`]);
  if (history.steps.length > 0) rows.push(["optimizer steps", String(history.steps[history.steps.length - 1]!.step)]);
  let best: { acc: number; epoch: number } | null = null;
  for (const e of history.epochs) if (e.valAccuracy !== null && Number.isFinite(e.valAccuracy) && (best === null || e.valAccuracy > best.acc)) best = { acc: e.valAccuracy, epoch: e.epoch };
  if (best !== null) rows.push(["best val accuracy", `${pct(best.acc)} (epoch ${best.epoch})`]);
  const last = history.epochs[history.epochs.length - 1];
  if (last?.testAccuracy !== null && last?.testAccuracy !== undefined) rows.push(["test accuracy", `${pct(last.testAccuracy)} (epoch ${last.epoch})`]);
  if (history.schedule) rows.push(["lr schedule", `${history.schedule.name}, stepped after every ${history.schedule.interval === "step" ? "optimizer step" : "epoch"}`]);
  if (history.stopReason !== null) rows.push(["stopped", history.stopReason]);
  return `<dl class="summary">\n${rows.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join("\n")}\n</dl>`;
}

function diagnosisHtml(diagnosis: LoggedDiagnosis | null): string {
  if (diagnosis === null) return `<p class="note">No diagnosis for this run.</p>`;
  const items = diagnosis.findings.map((f) => `<li class="finding ${f.severity}">
<span class="severity">${escapeHtml(f.severity)}</span> <span class="message">${escapeHtml(f.message)}</span>${where(f)}
<p class="advice">${escapeHtml(f.advice)}</p>
</li>`);
  return `<p class="summary-text">${escapeHtml(diagnosis.summary)}</p>\n${items.length === 0 ? "" : `<ul class="findings">\n${items.join("\n")}\n</ul>`}`;
}

/** " (fc1.weight, epoch 3, step 50)": where a finding happened, when it says. */
function where(f: LoggedFinding): string {
  const parts = [f.layer, f.epoch === undefined ? undefined : `epoch ${f.epoch}`, f.step === undefined ? undefined : `step ${f.step}`].filter((p) => p !== undefined);
  return parts.length === 0 ? "" : ` <span class="where">(${escapeHtml(parts.join(", "))})</span>`;
}

/** What callbacks did to the run (rollbacks, learning-rate cuts): the charts' jumps are explained here. */
function eventsHtml(history: History): string {
  if (history.events.length === 0) return "";
  const items = history.events.map((e) => `<li><span class="where">step ${e.step} (epoch ${e.epoch})</span>: ${escapeHtml(e.message)}</li>`);
  return `<section id="events">\n<h2>Events</h2>\n<ul>\n${items.join("\n")}\n</ul>\n</section>`;
}

/** A plot as a figure with its caption, or the note that says why it is missing. */
export function figure(plot: RunPlot): string {
  const body = plot.svg ?? `<p class="note missing">${escapeHtml(plot.note ?? "No data.")}</p>`;
  return `<figure id="plot-${escapeHtml(plot.name)}">\n${body}<figcaption>${escapeHtml(plot.caption)}</figcaption>\n</figure>`;
}

// System fonts only: a web font would be a network request, which the page must never make.
export const STYLE = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1500px; padding: 0 1rem; color: #222; }
h1 { margin-bottom: .5rem; word-break: break-all; }
dl.summary { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: 0; }
dl.summary div { display: flex; gap: .4rem; }
dt { color: #666; } dt::after { content: ":"; } dd { margin: 0; font-weight: 600; }
.note { color: #666; font-style: italic; }
ul.findings { list-style: none; padding: 0; }
li.finding { border-left: 5px solid; padding: .4rem .8rem; margin: .5rem 0; background: #f7f7f7; }
li.finding.info { border-color: #0072B2; } li.finding.warning { border-color: #E69F00; background: #fff8e6; }
li.finding.problem { border-color: #D55E00; background: #fdeee6; }
.severity { font-weight: 700; text-transform: uppercase; font-size: .8em; }
.advice { margin: .2rem 0 0; }
#plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 1rem; }
#plots h2 { grid-column: 1 / -1; }
figure { margin: 0; border: 1px solid #ddd; padding: .5rem; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: .9em; color: #444; margin-top: .3rem; }
pre { background: #f4f4f4; padding: 1rem; overflow: auto; }
`;
