import type { FrozenTrial } from "../tune/frozen-trial.js";
import { escapeMarkup as escapeHtml } from "./escape.js";
import { STYLE, figure, htmlPage } from "./html.js";
import type { RunPlot } from "./run-plots.js";
import { diagnosisOf, diagnosisSeverity, type StageBox, type StudyData } from "./study-data.js";

/** How many of the best trials the report's table lists. */
export const BEST_ROWS = 10;

/**
 * A study's report as one self-contained HTML page (no request leaves it, as renderReport's): the
 * study's settings and counts, the best trials with their parameters and diagnoses, the trials the
 * diagnosis flagged, the coarse-to-fine stages, and the charts.
 * @example writeFileSync("study.html", mn.report.renderStudyReport(mn.report.studyData(study), mn.report.studyPlots(data)));
 */
export function renderStudyReport(data: StudyData, plots: readonly RunPlot[]): string {
  return htmlPage(`${data.name} · minima study report`, STYLE + TABLE_STYLE, `<header>
<h1>${escapeHtml(data.name)}</h1>
${summary(data)}
</header>
<section id="best">
<h2>Best trials</h2>
${bestTable(data)}
</section>
${flagged(data)}
${stagesTable(data)}
<section id="plots">
<h2>Plots</h2>
${plots.map(figure).join("\n")}
</section>`);
}

function summary(data: StudyData): string {
  const c = data.counts;
  const rows: [string, string][] = [
    ["objective", `${data.metric} (${data.direction})`],
    ...(data.sampler === null ? [] : [["sampler", data.sampler] as [string, string]]),
    ...(data.pruner === null ? [] : [["pruner", data.pruner] as [string, string]]),
    ["trials", `${data.trials.length}: ${c.COMPLETE} complete, ${c.PRUNED} pruned, ${c.FAIL} failed, ${c.RUNNING} running, ${c.WAITING} waiting`],
  ];
  const best = data.ranked[0];
  if (best !== undefined) rows.push(["best", `${formatValue(best.value!)} (trial ${best.number}): ${formatParams(best)}`]);
  return `<dl class="summary">\n${rows.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join("\n")}\n</dl>`;
}

function bestTable(data: StudyData): string {
  if (data.ranked.length === 0) return `<p class="note">No trial has completed with a finite value yet.</p>`;
  const names = data.params.map((p) => p.name);
  const head = ["rank", "trial", data.metric, ...names, "diagnosis"].map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const rows = data.ranked.slice(0, BEST_ROWS).map((t, i) => {
    const cells = [String(i + 1), String(t.number), formatValue(t.value!), ...names.map((n) => (n in t.params ? formatParam(t.params[n]!) : "—"))];
    const severity = diagnosisSeverity(t);
    return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}<td class="diagnosis${severity ? ` ${escapeHtml(severity)}` : ""}">${escapeHtml(diagnosisOf(t) ?? "—")}</td></tr>`;
  });
  const more = data.ranked.length > BEST_ROWS ? `<p class="note">The ${BEST_ROWS} best of ${data.ranked.length} complete trials.</p>` : "";
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>\n${more}`;
}

/** The trials whose diagnosis found a problem (diverged, lr too high…): what a babysitter reads first. */
function flagged(data: StudyData): string {
  const problems = data.trials.filter((t) => diagnosisSeverity(t) === "problem");
  if (problems.length === 0) return "";
  const shown = problems.slice(0, 50);
  const items = shown.map((t) => `<li><span class="where">trial ${t.number} (${t.state})</span>: ${escapeHtml(diagnosisOf(t) ?? "")}</li>`);
  const more = problems.length > shown.length ? `\n<p class="note">and ${problems.length - shown.length} more.</p>` : "";
  return `<section id="diagnoses">\n<h2>Trials with problems (${problems.length})</h2>\n<ul>\n${items.join("\n")}\n</ul>${more}\n</section>`;
}

function stagesTable(data: StudyData): string {
  if (data.stages.length === 0) return "";
  const names = [...new Set(data.stages.flatMap((s) => [...Object.keys(s.box), ...Object.keys(s.choices)]))];
  const head = ["stage", "budget", ...names].map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const entry = (s: StageBox, n: string) => (s.box[n] ? `${formatParam(s.box[n]![0])} … ${formatParam(s.box[n]![1])}` : s.choices[n] ? s.choices[n]!.map(String).join(", ") : "—");
  const rows = data.stages.map((s) => `<tr>${[String(s.stage), s.budget === null ? "—" : String(s.budget), ...names.map((n) => entry(s, n))]
    .map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`);
  return `<section id="stages">\n<h2>Coarse-to-fine stages</h2>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>\n</section>`;
}

/** Five significant digits: enough to tell trials apart, short enough for a table. */
export function formatValue(v: number): string {
  return String(Number(v.toPrecision(5)));
}

function formatParam(v: unknown): string {
  if (typeof v !== "number") return String(v);
  return Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(3).replace(/\.?0*e/, "e") : formatValue(v);
}

function formatParams(t: FrozenTrial): string {
  return Object.entries(t.params).map(([k, v]) => `${k} = ${formatParam(v)}`).join(", ");
}

const TABLE_STYLE = `
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: .25rem .6rem; text-align: left; }
th { background: #f4f4f4; }
td.diagnosis { max-width: 40rem; font-size: .9em; }
td.diagnosis.problem { background: #fdeee6; } td.diagnosis.warning { background: #fff8e6; }
.where { color: #666; }
`;
