import { escapeMarkup as escape } from "../escape.js";

export interface ConfusionChartOptions {
  title: string;
  /** The class names, in label order: the rows' and the columns'. */
  classes: readonly string[];
  /** matrix[i][j]: samples of true class i predicted as class j. */
  matrix: readonly (readonly number[])[];
  width?: number;
}

/**
 * A confusion matrix as a self-contained SVG heatmap: true classes down, predicted across, each cell
 * shaded by its share of its row (so a small class's errors show as plainly as a large one's) and
 * labelled with its count; the class names on both axes.
 * @example writeFileSync("confusion.svg", confusionChart({ title: "test set", classes: ["cat", "dog"], matrix: [[9, 1], [2, 8]] }));
 */
export function confusionChart(options: ConfusionChartOptions): string {
  const { title, classes, matrix } = options;
  const k = classes.length;
  const labelWidth = Math.min(160, 16 + 7 * classes.reduce((w, c) => Math.max(w, c.length), 0));
  const m = { top: 56, right: 20, bottom: labelWidth + 24, left: labelWidth + 34 };
  const cell = Math.max(8, Math.floor(((options.width ?? 720) - m.left - m.right) / k));
  // Many classes widen the chart rather than shrink cells past reading.
  const width = Math.max(options.width ?? 720, m.left + k * cell + m.right);
  const height = m.top + cell * k + m.bottom;
  const fontSize = Math.min(12, Math.floor(cell / 3));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  matrix.forEach((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((v, j) => {
      const share = total === 0 ? 0 : v / total;
      const x = m.left + j * cell, y = m.top + i * cell;
      // Blue for the diagonal (right), orange-red off it (wrong): Okabe & Ito's colours, faded by the share.
      const color = i === j ? "0,114,178" : "213,94,0";
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgba(${color},${(0.08 + 0.92 * share).toFixed(3)})" stroke="#fff"><title>${escape(`${classes[i]} predicted as ${classes[j]}: ${v} of ${total}`)}</title></rect>`);
      if (fontSize >= 7) out.push(`<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle" font-size="${fontSize}" fill="${share > 0.6 ? "#fff" : "#222"}">${v}</text>`);
    });
  });
  classes.forEach((c, i) => {
    const mid = m.top + i * cell + cell / 2, name = escape(short(c));
    out.push(`<text x="${m.left - 6}" y="${mid}" text-anchor="end" dominant-baseline="middle">${name}</text>`);
    const x = m.left + i * cell + cell / 2, y = m.top + k * cell + 6;
    out.push(`<text transform="translate(${x} ${y}) rotate(-60)" text-anchor="end" dominant-baseline="middle">${name}</text>`);
  });
  out.push(`<text transform="translate(14 ${m.top + (k * cell) / 2}) rotate(-90)" text-anchor="middle">true class</text>`);
  out.push(`<text x="${m.left + (k * cell) / 2}" y="${height - 8}" text-anchor="middle">predicted class</text>`);
  out.push("</svg>");
  return out.join("\n");
}

export interface BarChartOptions {
  title: string;
  labels: readonly string[];
  /** In [0, 1]; NaN draws no bar and says "no samples". */
  values: readonly number[];
  width?: number;
}

/**
 * Horizontal bars in [0, 1], one per label, each with its percentage: per-class accuracy, where the
 * weakest classes stand out.
 * @example writeFileSync("per-class.svg", fractionBars({ title: "accuracy per class", labels: ["cat", "dog"], values: [0.9, 0.8] }));
 */
export function fractionBars(options: BarChartOptions): string {
  const { title, labels, values, width = 720 } = options;
  const labelWidth = Math.min(200, 20 + 7 * labels.reduce((w, c) => Math.max(w, c.length), 0));
  const bar = 20, m = { top: 40, right: 80, bottom: 16, left: labelWidth };
  const height = m.top + bar * labels.length + m.bottom;
  const span = width - m.left - m.right;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="100%" height="100%" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  labels.forEach((label, i) => {
    const v = values[i]!, y = m.top + i * bar;
    out.push(`<text x="${m.left - 6}" y="${y + bar / 2}" text-anchor="end" dominant-baseline="middle">${escape(short(label))}</text>`);
    out.push(`<rect x="${m.left}" y="${y + 3}" width="${span}" height="${bar - 6}" fill="#eee"/>`);
    if (Number.isFinite(v)) out.push(`<rect x="${m.left}" y="${y + 3}" width="${(span * Math.min(1, Math.max(0, v))).toFixed(1)}" height="${bar - 6}" fill="#0072B2"/>`);
    out.push(`<text x="${m.left + span + 6}" y="${y + bar / 2}" dominant-baseline="middle">${Number.isFinite(v) ? `${(100 * v).toFixed(2)}%` : "no samples"}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}

/** A long class name cut to fit beside the chart. */
function short(name: string): string {
  return name.length > 22 ? `${name.slice(0, 21)}…` : name;
}
