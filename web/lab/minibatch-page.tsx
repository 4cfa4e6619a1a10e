import { useEffect, useMemo, useState } from "preact/hooks";
import { report } from "../../src/index.js";
import { routeHash, type Route } from "../route.js";
import { fullLoss, type Problem } from "./minibatch/problem.js";
import type { Path } from "./minibatch/train.js";
import { useLatestWorker } from "./explorers/use-latest-reply.js";
import { SvgFigure } from "./explorers/svg-figure.js";
import type { MinibatchReply, MinibatchRequest } from "./minibatch-worker.js";
import "./explorers/explorers.css";

/** Samples in the problem: batch sizes 1, the middle one and this (full batch). */
const N = 256;
const MAX_EPOCHS = 100;
const COLORS = ["#D55E00", "#0072B2", "#009E73"];

interface Settings { lr: number; epochs: number; batch: number; seed: number }
const DEFAULTS: Settings = { lr: 0.1, epochs: 10, batch: 32, seed: 0 };

function parseSettings(q: URLSearchParams): Settings {
  const get = (k: keyof Settings) => (q.has(k) ? Number(q.get(k)) : DEFAULTS[k]);
  return { lr: get("lr"), epochs: get("epochs"), batch: get("batch"), seed: get("seed") };
}

/** The page's own settings (the lr is checked by mn.optim.SGD). */
function checkSettings(s: Settings): string | null {
  if (!(Number.isInteger(s.epochs) && s.epochs >= 1 && s.epochs <= MAX_EPOCHS)) return `Mini-batch: invalid epochs; expected an integer in [1, ${MAX_EPOCHS}], got ${s.epochs}`;
  if (!(Number.isInteger(s.batch) && s.batch >= 1 && s.batch <= N)) return `Mini-batch: invalid batch; expected an integer in [1, ${N}], got ${s.batch}`;
  if (!(Number.isInteger(s.seed) && s.seed >= 0)) return `Mini-batch: invalid seed; expected a non-negative integer, got ${s.seed}`;
  return null;
}

/**
 * The mini-batch explorer: one least-squares problem on two weights, trained by minima in a worker with batch size
 * 1, a middle one (32) and the full data, same lr and epochs: each path over the full loss's contours, and how
 * noisy the path and the loss curve are.
 */
export function MinibatchPage({ route }: { route: Route }) {
  const [s, setS] = useState(() => parseSettings(route.query));
  useEffect(() => setS(parseSettings(route.query)), [route]);
  const key = JSON.stringify(s);
  useEffect(() => history.replaceState(null, "", routeHash(route.page, route.rest, { ...s })), [key, route]);
  const problem = checkSettings(s);
  const request = { n: N, batchSizes: [1, s.batch, N], lr: s.lr, epochs: s.epochs, seed: s.seed };
  const { reply, busy } = useLatestWorker<Omit<MinibatchRequest, "id">, MinibatchReply>("minibatch", request, problem ? null : key);
  const update = (changes: Partial<Settings>) => setS({ ...s, ...changes });

  return (
    <section class="explorer minibatch">
      <div>
        <h2>Mini-batch size</h2>
        <p class="lede">Least squares on two weights, y ≈ 2·x₁ − x₂, {N} samples. Each run is minima's DataLoader, mseLoss, backward and SGD; only the batch size differs. A small batch takes many cheap, noisy steps per epoch; the full batch few, exact ones.</p>
        <fieldset>
          <legend>Training</legend>
          <label class="field">
            <span>lr</span>
            <input type="range" aria-label="lr slider" min={0.005} max={0.25} step={0.005} value={s.lr} onInput={(e) => update({ lr: Number(e.currentTarget.value) })} />
            <input type="number" name="lr" value={s.lr} step="any" onChange={(e) => update({ lr: Number(e.currentTarget.value) })} />
          </label>
          <label class="field">
            <span>epochs</span>
            <input type="range" aria-label="epochs slider" min={1} max={40} step={1} value={s.epochs} onInput={(e) => update({ epochs: Number(e.currentTarget.value) })} />
            <input type="number" name="epochs" value={s.epochs} step={1} onChange={(e) => update({ epochs: Number(e.currentTarget.value) })} />
          </label>
          <label class="field wide"><span>middle batch</span><input type="number" name="batch" value={s.batch} step={1} min={1} max={N} onChange={(e) => update({ batch: Number(e.currentTarget.value) })} /></label>
          <label class="field wide"><span>seed</span><input type="number" name="seed" value={s.seed} step={1} min={0} onChange={(e) => update({ seed: Number(e.currentTarget.value) })} /></label>
        </fieldset>
        {!problem && reply && !("error" in reply) && <Stats paths={reply.paths} />}
      </div>
      <div class="figures">
        {problem ? <p class="error" role="alert">{problem}</p>
          : reply === null ? <p class="muted">Training…</p>
          : "error" in reply ? <p class="error" role="alert">{reply.error}</p>
          : <Figures problem={reply.problem} paths={reply.paths} busy={busy} settings={key} />}
      </div>
    </section>
  );
}

const label = (b: number) => (b === N ? `full batch (${N})` : `batch ${b}`);

/** How far the path wandered: its length over the distance from its start to its end (1 for a straight line). */
function wander(p: Path): number {
  let length = 0;
  for (let i = 1; i < p.w1.length; i++) length += Math.hypot(p.w1[i]! - p.w1[i - 1]!, p.w2[i]! - p.w2[i - 1]!);
  return length / Math.hypot(p.w1[p.w1.length - 1]! - p.w1[0]!, p.w2[p.w2.length - 1]! - p.w2[0]!);
}

/**
 * How far each batch's loss strays from the full loss at the same weights, relative to it: the noise of the loss
 * curve (about √(2/B) for a batch of B near the minimum, where the squared residuals are χ²-like; 0 for the full batch).
 */
function lossNoise(p: Path): number {
  const d = p.batchLoss.map((l, i) => l / p.fullLoss[i]! - 1);
  return Math.sqrt(d.reduce((a, x) => a + x * x, 0) / d.length);
}

function Stats({ paths }: { paths: Path[] }) {
  return (
    <table class="stats minibatch-stats">
      <thead><tr><th></th>{paths.map((p) => <th>{label(p.batchSize)}</th>)}</tr></thead>
      <tbody>
        <tr><td>steps</td>{paths.map((p) => <td>{p.batchLoss.length}</td>)}</tr>
        <tr><td>final loss</td>{paths.map((p) => <td>{p.fullLoss[p.fullLoss.length - 1]!.toPrecision(4)}</td>)}</tr>
        <tr><td>path length ÷ distance</td>{paths.map((p) => <td>{wander(p).toPrecision(3)}</td>)}</tr>
        <tr><td>batch loss ÷ full loss − 1 (RMS)</td>{paths.map((p) => <td>{lossNoise(p).toPrecision(3)}</td>)}</tr>
      </tbody>
    </table>
  );
}

function Figures({ problem, paths, busy, settings }: { problem: Problem; paths: Path[]; busy: boolean; settings: string }) {
  const contours = useMemo(() => {
    const xs = Array.from({ length: 81 }, (_, i) => -3 + (6.5 * i) / 80), ys = Array.from({ length: 81 }, (_, j) => -2.5 + (6 * j) / 80);
    const values = ys.flatMap((w2) => xs.map((w1) => fullLoss(problem, w1, w2)));
    const [a11, a12, a22] = problem.a, det = a11 * a22 - a12 * a12;
    const best = { x: (a22 * problem.b[0] - a12 * problem.b[1]) / det, y: (a11 * problem.b[1] - a12 * problem.b[0]) / det };
    return paths.map((p, i) => report.contourPlot({
      title: label(p.batchSize), xLabel: "w₁", yLabel: "w₂", grid: { x: xs, y: ys, values }, levelScale: "log", levels: 10,
      paths: [{ name: `${p.batchLoss.length} steps`, x: p.w1, y: p.w2, color: COLORS[i]! }],
      points: [{ x: p.w1[0]!, y: p.w2[0]!, label: "start" }, { ...best, label: "least squares", shape: "star" }], width: 400, height: 380,
    }));
  }, [problem, paths]);
  const epochAxis = (p: Path, offset: number) => p.fullLoss.slice(offset).map((_, i) => (i + offset) / p.stepsPerEpoch);
  const batchSeries = paths.map((p, i): report.Series => ({ name: label(p.batchSize), x: epochAxis(p, 1), y: p.batchLoss, color: COLORS[i]!, strokeWidth: 1, opacity: 0.8 }));
  const fullSeries = paths.map((p, i): report.Series => ({ name: label(p.batchSize), x: epochAxis(p, 0), y: p.fullLoss, color: COLORS[i]! }));
  return (
    <figure class="minibatch-paths" data-settings={settings} data-busy={String(busy)}
      data-paths={JSON.stringify(paths.map((p) => ({ batchSize: p.batchSize, w1: p.w1, w2: p.w2, batchLoss: p.batchLoss, fullLoss: p.fullLoss })))}
      data-moments={JSON.stringify({ a: problem.a, b: problem.b, c: problem.c })}>
      <div class="figures row paths">{contours.map((svg) => <SvgFigure svg={svg} />)}</div>
      <div class="figures row">
        <SvgFigure svg={report.lineChart({ title: "the loss of each batch (what a run logs)", xLabel: "epoch", yLabel: "loss", yScale: "log", series: batchSeries, width: 620, height: 360 })} />
        <SvgFigure svg={report.lineChart({ title: "the full loss along each path", xLabel: "epoch", yLabel: "loss", yScale: "log", series: fullSeries, width: 620, height: 360 })} />
      </div>
    </figure>
  );
}
